"""intake.f_ingest_json v7: the same results with less work per row (issue 16, B9): the length
gate is one size subtraction, a pending row's metadata skips jsonb_strip_nulls, the lock pass reads
each e-mail once."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0100_worker_auth_failure"),
    ]
    operations = [
        RunSQLFile(
            SQL / "0101_f_ingest_json_v7.sql",
            reverse=SQL / "0093_f_ingest_json_v6.sql",
        ),
    ]
