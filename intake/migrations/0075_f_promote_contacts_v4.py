"""vault.f_promote_contacts v4 (issue 16): a person moved to another employer leaves the old
company's slots, a re-sent load equal to the record is reported unchanged with no new provenance,
refused vendor phones are recorded as refused offers (SQL in ``sql/0075_f_promote_contacts_v4.sql``;
the reverse reinstalls v3 from the previous snapshot, ``sql/0061_f_promote_contacts_v3.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("intake", "0062_safe_http_url_v2")]
    operations = [
        RunSQLFile(
            SQL / "0075_f_promote_contacts_v4.sql",
            reverse=SQL / "0061_f_promote_contacts_v3.sql",
        ),
    ]
