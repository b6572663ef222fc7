from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People (schema people)"

    def ready(self):
        from people.services import references

        for position, table, pk, one, many in (
            (70, "people.email_verification", "verification_id", "e-mail verification result",
             "e-mail verification results"),
            (80, "people.enrichment", "enrichment_id", "enrichment job", "enrichment jobs"),
            (90, "people.intelligence", "intelligence_id", "intelligence item",
             "intelligence items"),
        ):  # fmt: skip
            references.register_repointed(
                table=table, pk=pk, column="contact_id", one=one, many=many, position=position
            )
        references.register_one_per_person(
            table="people.contact_verification",
            order="(email_status = 'green') DESC, email_checked_at DESC NULLS LAST",
            label="verification",
            position=10,
        )
