"""people.normalize_phone v2: NULL rather than a wrong E.164 (``sql/0051_normalize_phone_v2*``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("people", "0050_verification_follows_address")]
    operations = [
        migrations.RunSQL(
            (SQL / "0051_normalize_phone_v2.sql").read_text(),
            (SQL / "0051_normalize_phone_v2.reverse.sql").read_text(),
        )
    ]
