from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_duplicate_detection_v2"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0005_list_indexes.sql").read_text(),
            (SQL / "0005_list_indexes.reverse.sql").read_text(),
        ),
    ]
