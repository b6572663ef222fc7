"""vault.f_promote_contacts v3: every raw field v2 carried onto people and companies under the
survivorship rule with field provenance, vendor e-mail status as evidence, slot fills and clears
by the promotion of batch B, a detailed result (SQL in ``sql/0061_f_promote_contacts_v3*.sql``;
the reverse reinstalls v2 from ``sql/0006_f_promote_contacts_v2.sql``)."""

from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"

DROP_HELPERS = """
DROP FUNCTION IF EXISTS intake.survivorship_verdict(text, text, boolean, boolean, boolean, bigint,
    text, bigint, text);
DROP FUNCTION IF EXISTS intake.vendor_email_status(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0060_raw_load_fields_v2"),
        ("people", "0061_provenance_and_evidence"),
        ("companies", "0061_provenance_grants"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0061_f_promote_contacts_v3.sql").read_text(),
            (SQL / "0061_f_promote_contacts_v3.reverse.sql").read_text()
            + (SQL / "0006_f_promote_contacts_v2.sql").read_text()
            + DROP_HELPERS,
        )
    ]
