"""intake.batch_summary: per (batch, source, UTC day) load counts for the batches page, kept by
statement-level triggers on intake.raw_loads and backfilled (SQL in
``sql/0005_batch_summary*.sql``)."""

from pathlib import Path

from django.db import migrations, models

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_f_ingest_json_v2")]

    operations = [
        migrations.CreateModel(
            name="BatchSummary",
            fields=[
                ("summary_id", models.BigAutoField(primary_key=True, serialize=False)),
                ("batch_id", models.TextField()),
                ("source", models.TextField()),
                ("load_day", models.DateField()),
                ("loads_total", models.BigIntegerField(db_default=0)),
                ("loads_pending", models.BigIntegerField(db_default=0)),
                ("loads_promoted", models.BigIntegerField(db_default=0)),
                ("loads_duplicate", models.BigIntegerField(db_default=0)),
                ("loads_failed", models.BigIntegerField(db_default=0)),
                ("first_created", models.DateTimeField()),
                ("last_created", models.DateTimeField()),
                ("first_load_id", models.BigIntegerField()),
                ("ingested_by", models.TextField(blank=True, null=True)),
            ],
            options={
                "db_table": 'intake"."batch_summary',
                "ordering": ["-last_created"],
                "indexes": [models.Index(fields=["-last_created"], name="batch_summary_last_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("batch_id", "source", "load_day"), name="batch_summary_key_uq"
                    )
                ],
            },
        ),
        RunSQLFile(SQL / "0005_batch_summary.sql"),
    ]
