"""intake.upload_job: large uploads ingested in the background by manage.py process_uploads,
with progress the job page shows (issue 18: a 1,000,000-row upload timed out in the request).
The app role reads, inserts and updates jobs through intake.services.upload_jobs."""

from pathlib import Path

import django.db.models.functions.datetime
from django.db import migrations, models

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0101_f_ingest_json_v7"),
    ]

    operations = [
        migrations.CreateModel(
            name="UploadJob",
            fields=[
                ("job_id", models.BigAutoField(primary_key=True, serialize=False)),
                ("batch_id", models.TextField()),
                ("source", models.TextField()),
                ("file_name", models.TextField()),
                ("file_path", models.TextField()),
                ("file_bytes", models.BigIntegerField(db_default=0)),
                ("kind", models.TextField()),
                ("preset", models.TextField(db_default="generic")),
                ("mapping", models.JSONField(blank=True, null=True)),
                (
                    "status",
                    models.TextField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                            ("cancelled", "Cancelled"),
                        ],
                        db_default="queued",
                    ),
                ),
                ("rows_total", models.BigIntegerField(blank=True, null=True)),
                ("rows_done", models.BigIntegerField(db_default=0)),
                ("inserted", models.BigIntegerField(db_default=0)),
                ("duplicate", models.BigIntegerField(db_default=0)),
                ("skipped", models.BigIntegerField(db_default=0)),
                ("messages", models.JSONField(db_default=models.Value([], models.JSONField()))),
                ("error", models.TextField(blank=True, db_default="")),
                ("created_by", models.TextField()),
                (
                    "created_at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(), editable=False
                    ),
                ),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "updated_at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(), editable=False
                    ),
                ),
            ],
            options={
                "db_table": 'intake"."upload_job',
                "ordering": ["-job_id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status__in", ["queued", "running"])),
                        fields=["status", "job_id"],
                        name="upload_job_open_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["queued", "running", "done", "failed", "cancelled"])
                        ),
                        name="upload_job_status_ck",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("rows_done__gte", 0)), name="upload_job_rows_done_ck"
                    ),
                ],
            },
        ),
        RunSQLFile(SQL / "0110_upload_job_grants.sql"),
    ]
