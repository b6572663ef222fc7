from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_duplicate_detection"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0004_duplicate_detection_v2.sql").read_text(),
            (SQL / "0004_duplicate_detection_v2.reverse.sql").read_text(),
        ),
    ]
