"""people.normalize_phone v2: NULL rather than a wrong E.164 (``sql/0051_normalize_phone_v2*``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("people", "0050_verification_follows_address")]
    operations = [RunSQLFile(SQL / "0051_normalize_phone_v2.sql")]
