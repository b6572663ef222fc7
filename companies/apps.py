from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Companies (schema company)"

    def ready(self):
        from companies.services import register_person_references

        register_person_references()
