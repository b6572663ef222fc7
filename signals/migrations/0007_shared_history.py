from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0006_history_v2"),
        ("companies", "0010_shared_history"),
    ]
    # Reversed in the opposite order: 0005's snapshot puts the triggers back on the clone (v1),
    # then 0006's snapshot brings the clone to v2, the definition this migration replaced.
    operations = [
        migrations.RunSQL(
            migrations.RunSQL.noop, (SQL / "0006_history_v2.sql").read_text(encoding="utf-8")
        ),
        RunSQLFile(SQL / "0007_shared_history.sql", reverse=SQL / "0005_history.sql"),
    ]
