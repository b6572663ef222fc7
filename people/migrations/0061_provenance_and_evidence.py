"""people.field_provenance grants, vault_writer's promotion grants and the vendor-evidence guard on people.contact_verification (SQL in ``sql/0061_provenance_and_evidence*.sql``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0060_field_provenance"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0061_provenance_and_evidence.sql").read_text(),
            (SQL / "0061_provenance_and_evidence.reverse.sql").read_text(),
        ),
    ]
