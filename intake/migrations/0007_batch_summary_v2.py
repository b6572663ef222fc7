from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_f_promote_contacts_v2"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0007_batch_summary_v2.sql").read_text(),
            (SQL / "0007_batch_summary_v2.reverse.sql").read_text(),
        ),
    ]
