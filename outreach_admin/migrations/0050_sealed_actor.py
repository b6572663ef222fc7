"""The acting user is named only through public.set_actor, sealed to its transaction (issue 19;
``sql/0050_sealed_actor.sql``); reverse = ``0050_sealed_actor.reverse.sql`` (current_actor v2)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("outreach_admin", "0008_savedview_owner_fk"),
    ]
    operations = [
        RunSQLFile(SQL / "0050_sealed_actor.sql"),
    ]
