from pathlib import Path

from django.db import migrations, models

from outreach_admin.db import RunSQLFile

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0005_founded_year_and_title_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="next_renewal_date",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="company",
            name="campaign_window_start",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        RunSQLFile(SQL / "0006_renewal_dates_stored.sql"),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                fields=["campaign_window_start", "company_name", "company_id"],
                name="company_window_start_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["next_renewal_date"], name="company_next_renewal_idx"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["campaign_window_start", "company_id"],
                name="company_window_active_idx",
            ),
        ),
    ]
