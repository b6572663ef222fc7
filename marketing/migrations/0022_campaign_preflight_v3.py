"""Campaign pre-flight v3: index-driven for the chosen companies (issue 18;
``sql/0022_preflight_indexes.sql``, ``sql/0022_campaign_preflight_v3.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0021_renewal_readiness_kept"),
    ]
    operations = [
        RunSQLFile(SQL / "0022_preflight_indexes.sql"),
        RunSQLFile(
            SQL / "0022_campaign_preflight_v3.sql",
            reverse=SQL / "0007_campaign_preflight_v2.sql",
        ),
    ]
