"""Indexed industry and state filters (issue 18; ``sql/0093_filter_indexes.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0092_renewal_count"),
    ]
    operations = [
        RunSQLFile(SQL / "0093_filter_indexes.sql"),
    ]
