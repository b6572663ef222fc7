from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.RunSQL(
            (SQL / "0001_foundation.sql").read_text(),
            (SQL / "0001_foundation.reverse.sql").read_text(),
        ),
    ]
