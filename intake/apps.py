from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake, vault and pipeline runs"

    def ready(self):
        from intake.services.promote import register_person_references

        register_person_references()
