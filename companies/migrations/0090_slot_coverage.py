"""company.slot_coverage kept by statement triggers (issue 18; ``sql/0090_slot_coverage.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0070_renewal_roll_owner_only"),
    ]
    operations = [
        RunSQLFile(SQL / "0090_slot_coverage.sql"),
    ]
