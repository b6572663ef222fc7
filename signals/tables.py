import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from outreach_admin import dates
from outreach_admin.tables import BaseTable, DateTimeColumn
from signals.models import Signal


class SignalTable(BaseTable):
    select = tables.CheckBoxColumn(
        accessor="signal_id",
        attrs={
            "th__input": {
                "class": "form-check-input js-select-all",
                "data-select-group": "signals",
                "aria-label": "Select all signals on this page",
            },
            "td__input": {
                "class": "form-check-input",
                "data-select-group": "signals",
                "name": "signal",
                "form": "process-form",
                # Each box is named for its row, so a screen reader says what it selects.
                "aria-label": lambda record: (
                    f"Select the {record.reason} signal of {record.company.company_name}"
                ),
            },
        },
    )
    created_at = DateTimeColumn(verbose_name="Detected")
    company = tables.Column(
        accessor="company__company_name",
        verbose_name="Company",
        order_by="company__company_name",
        linkify=lambda record: reverse("companies:company", args=[record.company_id]),
    )
    reason = tables.Column()
    signal_strength = tables.Column(verbose_name="Strength", attrs={"td": {"class": "num"}})
    detail = tables.Column(accessor="payload", verbose_name="Detail", orderable=False)
    score = tables.Column(
        accessor="company__score__total_score",
        verbose_name="Company score",
        default="—",
        attrs={"td": {"class": "num"}},
    )
    processed_at = DateTimeColumn(verbose_name="Processed", default="not yet")

    class Meta(BaseTable.Meta):
        model = Signal
        fields = ()
        sequence = (
            "select",
            "created_at",
            "company",
            "reason",
            "signal_strength",
            "detail",
            "score",
            "processed_at",
        )

    def render_detail(self, value):
        if isinstance(value, dict) and value.get("next_renewal_date"):
            return format_html(
                "renewal {} · window opened {}",
                _payload_date(value["next_renewal_date"]),
                _payload_date(value.get("campaign_window_start")),
            )
        return ", ".join(f"{k}: {v}" for k, v in list((value or {}).items())[:3]) or "—"


def _payload_date(text) -> str:
    """A payload's ISO date in the app's one format (outreach_admin.dates); else as stored."""
    try:
        return dates.format_date(datetime.date.fromisoformat(str(text)))
    except ValueError:
        return str(text) if text else "?"
