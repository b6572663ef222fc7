"""normalize_domain v2 (no junk domains) and http(s)-only company URLs, CHECKed
(SQL in ``sql/0050_http_urls*.sql``)."""

from pathlib import Path

from django.db import migrations, models

from outreach_admin.db import RunSQLFile
from outreach_admin.fields import http_url_validator

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("companies", "0010_shared_history")]
    operations = [
        RunSQLFile(SQL / "0050_http_urls.sql"),
        # state only (validators need no SQL): the Python side of the CHECKs
        migrations.AlterField(
            model_name="company",
            name="website_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="company",
            name="linkedin_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="company",
            name="news_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="company",
            name="facebook_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="company",
            name="twitter_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
    ]
