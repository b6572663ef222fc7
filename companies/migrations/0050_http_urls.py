"""normalize_domain v2 (no junk domains) and http(s)-only company URLs, CHECKed
(SQL in ``sql/0050_http_urls*.sql``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("companies", "0008_renewal_dates_trigger_v2")]
    operations = [
        migrations.RunSQL(
            (SQL / "0050_http_urls.sql").read_text(),
            (SQL / "0050_http_urls.reverse.sql").read_text(),
        )
    ]
