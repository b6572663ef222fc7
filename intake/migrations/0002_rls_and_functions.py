"""Row level security on intake.raw_loads / vault.contacts, the writer roles' grants and the
SECURITY DEFINER functions that are the only write path into them (SQL in ``sql/0002_*``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"
STEPS = [
    "0002_rls_and_grants",
    "0002_intake_support",
    "0002_f_ingest_json",
    "0002_f_promote_contacts",
    "0002_f_relink_people_contact",
    "0002_f_promote_company_intake",
]


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("companies", "0003_company_rules"),
        ("people", "0002_people_rules"),
        ("marketing", "0002_marketing_rules"),
    ]
    operations = [RunSQLFile(SQL / f"{step}.sql") for step in STEPS]
