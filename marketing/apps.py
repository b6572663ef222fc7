from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "marketing"
    verbose_name = "Marketing (schema marketing)"

    def ready(self):
        from marketing.services.campaigns import register_person_references

        register_person_references()
