"""company.renewal_count kept by statement triggers (issue 18; ``sql/0092_renewal_count.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0091_queue_indexes"),
    ]
    operations = [
        RunSQLFile(SQL / "0092_renewal_count.sql"),
    ]
