from pathlib import Path

from django.db import migrations

SQL = Path(__file__).parent / "sql"


class Migration(migrations.Migration):
    dependencies = [
        ("signals", "0002_signal_rules"),
        ("marketing", "0003_campaign_rules"),
    ]
    operations = [
        migrations.RunSQL(
            (SQL / "0003_renewal_signals.sql").read_text(),
            (SQL / "0003_renewal_signals.reverse.sql").read_text(),
        ),
    ]
