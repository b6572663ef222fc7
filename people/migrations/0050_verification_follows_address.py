"""A verification belongs to the address it verified (SQL in ``sql/0050_verification_follows_
address*.sql``); the new ``contact_verification.email`` column is added to the model state."""

from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models
from django.db.models.functions import Now

from outreach_admin.db import RunSQLFile
from outreach_admin.fields import EMAIL_STATUS_CHOICES

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [("people", "0009_shared_history")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[RunSQLFile(SQL / "0050_verification_follows_address.sql")],
            state_operations=[
                migrations.AddField(
                    model_name="contactverification",
                    name="email",
                    field=models.TextField(blank=True, null=True),
                ),
                migrations.CreateModel(
                    name="AddressVerification",
                    fields=[
                        (
                            "address_verification_id",
                            models.BigAutoField(primary_key=True, serialize=False),
                        ),
                        ("email", models.TextField()),
                        ("email_status", models.TextField(choices=EMAIL_STATUS_CHOICES)),
                        ("email_checked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "email_confidence",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=5, null=True
                            ),
                        ),
                        ("email_source_url", models.TextField(blank=True, null=True)),
                        ("provider", models.TextField(blank=True, null=True)),
                        ("saved_at", models.DateTimeField(db_default=Now())),
                        (
                            "contact",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="people.contact",
                            ),
                        ),
                    ],
                    options={"db_table": 'people"."address_verification'},
                ),
            ],
        )
    ]
