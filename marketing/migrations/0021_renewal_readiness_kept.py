"""marketing.renewal_readiness kept by statement triggers, the renewals page's view over it
(issue 18; ``sql/0021_renewal_readiness_kept.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0020_member_status_count"),
        ("companies", "0090_slot_coverage"),
        ("people", "0070_merge_log_append_only"),
    ]
    operations = [
        RunSQLFile(SQL / "0021_renewal_readiness_kept.sql"),
    ]
