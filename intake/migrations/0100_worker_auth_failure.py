"""intake.worker_auth_failure: wrong worker-API tokens per client address and minute, so an
address guessing tokens gets 429s (issue 19 finding: wrong tokens were never throttled)."""

from pathlib import Path

from django.db import migrations, models

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0093_f_ingest_json_v6"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerAuthFailure",
            fields=[
                ("client", models.TextField(primary_key=True, serialize=False)),
                ("window_start", models.DateTimeField()),
                ("failures", models.IntegerField()),
            ],
            options={
                "db_table": 'intake"."worker_auth_failure',
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("failures__gt", 0)), name="worker_auth_failure_ck"
                    )
                ],
            },
        ),
        RunSQLFile(SQL / "0100_worker_auth_failure_grants.sql"),
    ]
