"""The runtime role can neither read nor change worker token hashes; the API checks a token
through intake.worker_authenticate (issue 19; ``sql/0091_worker_token_hash_private.sql``)."""

from pathlib import Path

from django.db import migrations, models

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0090_sealed_actor"),
    ]
    operations = [
        RunSQLFile(SQL / "0091_worker_token_hash_private.sql"),
        # The model's managers leave token_hash out, related access (lease.worker) included.
        migrations.AlterField(
            model_name="workertoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterModelOptions(
            name="workertoken",
            options={"base_manager_name": "objects", "ordering": ["name"]},
        ),
    ]
