from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_list_indexes"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0006_similar_people_keys.sql").read_text(),
            (SQL / "0006_similar_people_keys.reverse.sql").read_text(),
        ),
    ]
