from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_similar_people_keys"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0007_duplicate_queue_order.sql").read_text(),
            (SQL / "0007_duplicate_queue_order.reverse.sql").read_text(),
        ),
    ]
