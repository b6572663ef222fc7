from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "signals"
    label = "signals"
    verbose_name = "Buyer intent signals (schema bit)"

    def ready(self):
        from signals.services import register_person_references

        register_person_references()
