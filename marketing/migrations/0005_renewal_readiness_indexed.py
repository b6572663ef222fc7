from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0003_renewal_readiness_setbased"),
        ("companies", "0006_renewal_dates_stored"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0005_renewal_readiness_indexed.sql").read_text(),
            (SQL / "0005_renewal_readiness_indexed.reverse.sql").read_text(),
        ),
    ]
