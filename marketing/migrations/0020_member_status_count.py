"""marketing.member_status_count kept by statement triggers (issue 18;
``sql/0020_member_status_count.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0012_shared_history"),
    ]
    operations = [
        RunSQLFile(SQL / "0020_member_status_count.sql"),
    ]
