"""http(s)-only person URLs, CHECKed (SQL in ``sql/0052_http_urls*.sql``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0051_normalize_phone_v2"),
        ("companies", "0050_http_urls"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0052_http_urls.sql").read_text(),
            (SQL / "0052_http_urls.reverse.sql").read_text(),
        )
    ]
