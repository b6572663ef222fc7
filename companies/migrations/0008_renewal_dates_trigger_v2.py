from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0007_set_based_candidates"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0008_renewal_dates_trigger_v2.sql").read_text(),
            (SQL / "0008_renewal_dates_trigger_v2.reverse.sql").read_text(),
        ),
    ]
