"""outreach.renewal_roll hides an update from updated_at only inside the roll-forward (issue 19;
``sql/0070_renewal_roll_owner_only.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0061_provenance_grants"),
    ]
    operations = [
        RunSQLFile(SQL / "0070_renewal_roll_owner_only.sql"),
    ]
