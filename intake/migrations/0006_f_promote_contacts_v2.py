"""vault.f_promote_contacts v2: one working set in temp tables, each distinct title classified
once, bucketed company locks (SQL in ``sql/0006_f_promote_contacts_v2*.sql``; the reverse
reinstalls v1 from ``sql/0002_f_promote_contacts.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_batch_summary"),
        ("companies", "0007_set_based_candidates"),  # company.classify_titles(text[])
    ]
    operations = [
        RunSQLFile(
            SQL / "0006_f_promote_contacts_v2.sql", reverse=SQL / "0002_f_promote_contacts.sql"
        )
    ]
