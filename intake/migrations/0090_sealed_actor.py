"""Every SQL reader of the acting user goes through public.current_actor() v3 (issue 19): the
intake and vault functions' audit rows, the batch summary trigger, and the promotion, which names
its writes through public.set_system_actor. One snapshot per object
(``sql/0090_sealed_actor_*.sql``); each reverse is the object's previous snapshot."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0085_saved_mapping"),
        ("outreach_admin", "0050_sealed_actor"),
    ]
    operations = [
        RunSQLFile(
            SQL / "0090_sealed_actor_f_ingest_json.sql",
            reverse=SQL / "0080_f_ingest_json_v4.sql",
        ),
        RunSQLFile(
            SQL / "0090_sealed_actor_f_promote_contacts.sql",
            reverse=SQL / "0075_f_promote_contacts_v4.sql",
        ),
        RunSQLFile(
            SQL / "0090_sealed_actor_f_promote_company_intake.sql",
            reverse=SQL / "0002_f_promote_company_intake.sql",
        ),
        RunSQLFile(
            SQL / "0090_sealed_actor_batch_summary.sql",
            reverse=SQL / "0009_batch_summary_v3.sql",
        ),
        RunSQLFile(
            SQL / "0090_sealed_actor_f_relink_people_contact.sql",
            reverse=SQL / "0002_f_relink_people_contact.sql",
        ),
    ]
