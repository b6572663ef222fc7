"""Index-ordered profile URL and e-mail recheck queues (issue 18; ``sql/0081_queue_indexes.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0080_job_change_resolution"),
    ]
    operations = [
        RunSQLFile(SQL / "0081_queue_indexes.sql"),
    ]
