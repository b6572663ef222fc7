"""http(s)-only person URLs, CHECKed (SQL in ``sql/0052_http_urls*.sql``)."""

from pathlib import Path

from django.db import migrations, models

from outreach_admin.db import RunSQLFile
from outreach_admin.fields import http_url_validator

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0051_normalize_phone_v2"),
        ("companies", "0050_http_urls"),
    ]
    operations = [
        RunSQLFile(SQL / "0052_http_urls.sql"),
        # state only (validators need no SQL): the Python side of the CHECKs
        migrations.AlterField(
            model_name="contact",
            name="linkedin_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="contact",
            name="profile_source_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="contact",
            name="twitter_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
        migrations.AlterField(
            model_name="contact",
            name="facebook_url",
            field=models.TextField(blank=True, null=True, validators=[http_url_validator]),
        ),
    ]
