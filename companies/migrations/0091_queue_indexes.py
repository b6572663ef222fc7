"""Index-ordered company URL queue (issue 18; ``sql/0091_queue_indexes.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0090_slot_coverage"),
    ]
    operations = [
        RunSQLFile(SQL / "0091_queue_indexes.sql"),
    ]
