from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("outreach_admin", "0006_savedview_owner_without_db_constraint"),
    ]
    operations = [
        RunSQLFile(SQL / "0007_current_actor_v2.sql"),
    ]
