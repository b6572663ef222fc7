from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0006_renewal_dates_stored"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0007_set_based_candidates.sql").read_text(),
            (SQL / "0007_set_based_candidates.reverse.sql").read_text(),
        ),
    ]
