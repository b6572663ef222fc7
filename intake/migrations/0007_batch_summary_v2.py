from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_f_promote_contacts_v2"),
    ]
    operations = [
        RunSQLFile(SQL / "0007_batch_summary_v2.sql"),
    ]
