"""intake.worker_authenticate v2: owned by intake_writer like every intake SECURITY DEFINER
function, with the worker_token columns it needs (``sql/0092_worker_authenticate_writer.sql``)."""

from pathlib import Path

from django.db import migrations

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0091_worker_token_hash_private"),
    ]
    operations = [
        RunSQLFile(SQL / "0092_worker_authenticate_writer.sql"),
    ]
