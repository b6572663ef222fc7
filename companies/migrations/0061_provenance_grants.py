"""company.field_provenance grants and vault_writer's promotion grants (SQL in ``sql/0061_provenance_grants*.sql``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0060_field_provenance"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0061_provenance_grants.sql").read_text(),
            (SQL / "0061_provenance_grants.reverse.sql").read_text(),
        ),
    ]
