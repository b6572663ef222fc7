from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_similar_people_keys"),
    ]
    operations = [
        RunSQLFile(SQL / "0007_duplicate_queue_order.sql"),
    ]
