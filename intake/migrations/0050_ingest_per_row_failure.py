"""intake.f_ingest_json v3: a malformed or oversized row fails alone, raw-email indexes cannot
overflow, control characters in batch ids refused (``sql/0050_ingest_per_row_failure*.sql``)."""

from pathlib import Path

from django.contrib.postgres.indexes import HashIndex
from django.db import migrations
from django.db.models.fields.json import KT

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("intake", "0009_batch_summary_v3")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[RunSQLFile(SQL / "0050_ingest_per_row_failure.sql")],
            state_operations=[
                migrations.RemoveIndex(model_name="rawload", name="idx_raw_loads_raw_data_email"),
                migrations.AddIndex(
                    model_name="rawload",
                    index=HashIndex(KT("raw_data__email"), name="idx_raw_loads_raw_data_email"),
                ),
            ],
        )
    ]
