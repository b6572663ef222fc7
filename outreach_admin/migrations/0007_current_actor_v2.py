from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("outreach_admin", "0006_savedview_owner_without_db_constraint"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0007_current_actor_v2.sql").read_text(),
            (SQL / "0007_current_actor_v2.reverse.sql").read_text(),
        ),
    ]
