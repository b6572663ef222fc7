"""intake.f_ingest_json v4: same contract, cheaper and plan-stable (``sql/0080_f_ingest_json_v4.sql``);
reverse = the v3 snapshot (0050, idempotent)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("intake", "0075_f_promote_contacts_v4")]
    operations = [
        RunSQLFile(
            SQL / "0080_f_ingest_json_v4.sql", reverse=SQL / "0050_ingest_per_row_failure.sql"
        ),
    ]
