"""people.field_provenance grants, vault_writer's promotion grants and the vendor-evidence guard on people.contact_verification (SQL in ``sql/0061_provenance_and_evidence*.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0060_field_provenance"),
    ]
    operations = [
        RunSQLFile(SQL / "0061_provenance_and_evidence.sql"),
    ]
