"""intake.f_ingest_json v6: raw callers' rows nested deeper than 64 levels or holding a number of
4,301+ digits fail with their reason, as the upload refuses them (issue 19)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0092_worker_authenticate_writer"),
    ]
    operations = [
        RunSQLFile(
            SQL / "0093_f_ingest_json_v6.sql",
            reverse=SQL / "0090_sealed_actor_f_ingest_json.sql",
        ),
    ]
