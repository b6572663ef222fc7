"""intake.saved_mapping: the upload page's confirmed column mapping, one per source and preset,
shared by every coordinator (it replaces the per-browser-session memory). The app role reads and
writes it through ``intake.services.mapping_save`` (and deletes a stale one from the admin);
viewers are refused by the views and the service, not by the grants (one role serves all)."""

from pathlib import Path

import django.db.models.functions.datetime
from django.db import migrations, models

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0080_f_ingest_json_v4"),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedMapping",
            fields=[
                ("mapping_id", models.BigAutoField(primary_key=True, serialize=False)),
                ("source", models.CharField(max_length=100)),
                ("preset", models.TextField()),
                ("mapping", models.JSONField()),
                ("headers", models.JSONField()),
                ("updated_by", models.TextField()),
                (
                    "updated_at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(), editable=False
                    ),
                ),
            ],
            options={
                "db_table": 'intake"."saved_mapping',
                "ordering": ["source", "preset"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "preset"), name="saved_mapping_key_uq"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("preset__in", ["apollo", "hubspot", "apify", "generic"])
                        ),
                        name="saved_mapping_preset_ck",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("source", ""), _negated=True),
                        name="saved_mapping_source_ck",
                    ),
                ],
            },
        ),
        RunSQLFile(SQL / "0085_saved_mapping_grants.sql"),
    ]
