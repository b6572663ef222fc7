"""company.field_provenance grants and vault_writer's promotion grants (SQL in ``sql/0061_provenance_grants*.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0060_field_provenance"),
    ]
    operations = [
        RunSQLFile(SQL / "0061_provenance_grants.sql"),
    ]
