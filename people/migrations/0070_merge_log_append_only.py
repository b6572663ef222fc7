"""people.merge_log is append-only for the runtime role: no UPDATE but the write-once undo mark,
no DELETE or TRUNCATE (issue 19; ``sql/0070_merge_log_append_only.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0061_provenance_and_evidence"),
    ]
    operations = [
        RunSQLFile(SQL / "0070_merge_log_append_only.sql"),
    ]
