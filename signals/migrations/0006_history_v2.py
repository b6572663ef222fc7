from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0005_history"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0006_history_v2.sql").read_text(),
            (SQL / "0006_history_v2.reverse.sql").read_text(),
        ),
    ]
