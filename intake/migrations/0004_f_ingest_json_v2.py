"""intake.f_ingest_json v2: bucketed advisory locks, so a 100,000-row streamed upload (one
transaction) no longer overflows the lock table (SQL in ``sql/0004_f_ingest_json_v2*.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_worker_api")]
    operations = [RunSQLFile(SQL / "0004_f_ingest_json_v2.sql")]
