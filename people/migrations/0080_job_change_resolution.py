"""A duplicate pair can be resolved as a job change (issue 17): the same person at two
companies, linked instead of merged (``people.services.pair_link_job_change``). A person's
``inactive`` status reads "Left the company" (a label only: the stored value is unchanged)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0070_merge_log_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="status",
            field=models.TextField(
                choices=[
                    ("active", "Active"),
                    ("inactive", "Left the company"),
                    ("bounced", "Bounced"),
                    ("unsubscribed", "Unsubscribed"),
                    ("merged", "Merged"),
                ],
                db_default="active",
                default="active",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="resolutionqueue",
            name="resolution_status_ck",
        ),
        migrations.AlterField(
            model_name="resolutionqueue",
            name="resolution_status",
            field=models.TextField(
                choices=[
                    ("pending", "Pending"),
                    ("merged", "Merged"),
                    ("not_duplicate", "Not Duplicate"),
                    ("deferred", "Deferred"),
                    ("job_change", "Job change"),
                ],
                db_default="pending",
                default="pending",
            ),
        ),
        migrations.AddConstraint(
            model_name="resolutionqueue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "resolution_status__in",
                        ["pending", "merged", "not_duplicate", "deferred", "job_change"],
                    )
                ),
                name="resolution_status_ck",
            ),
        ),
    ]
