from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_people_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0003_duplicate_detection.sql").read_text(),
            (SQL / "0003_duplicate_detection.reverse.sql").read_text(),
        ),
    ]
