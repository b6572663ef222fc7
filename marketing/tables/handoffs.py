import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from marketing.models import AcHandoff, BookingEvent
from outreach_admin import dates
from outreach_admin.tables import BaseTable, DateTimeColumn, export_value

STATUS_BADGE = {
    "pending": "text-bg-warning",
    "accepted": "text-bg-success",
    "rejected": "text-bg-danger",
    "closed": "text-bg-secondary",
}


def url_or_none(name, *args):
    """A URL when that page exists (other apps' pages may not yet), else None."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def status_badge(status, overdue=False):
    badge = format_html('<span class="badge {}">{}</span>', STATUS_BADGE.get(status, ""), status)
    if overdue:
        badge += mark_safe(' <span class="badge text-bg-danger">overdue</span>')
    return badge


class AcHandoffTable(BaseTable):
    select = tables.CheckBoxColumn(
        accessor="pk",
        exclude_from_export=True,
        attrs={
            "td__input": {"name": "ids", "form": "handoff-bulk-form", "aria-label": "Select"},
            "th__input": {
                "data-select-all": "handoff-bulk-form",
                "aria-label": "Select all on this page",
            },
        },
    )
    handoff_id = tables.Column(
        verbose_name="#",
        linkify=lambda record: reverse("marketing:handoff", args=[record.pk]),
        attrs={"a": {"data-row-link": ""}},
    )
    status = tables.Column(order_by=("status_rank", "created_at"))
    company = tables.Column(
        accessor="company__company_name",
        verbose_name="Company",
        linkify=lambda record: url_or_none("companies:company", record.company_id),
    )
    contact = tables.Column(accessor="contact__full_name", verbose_name="Person", default="—")
    campaign = tables.Column(
        accessor="booking_event__campaign__name", verbose_name="Campaign", default="—"
    )
    meeting = DateTimeColumn(accessor="booking_event__event_time", verbose_name="Meeting")
    assigned_to = tables.Column(
        accessor="assigned_to__username", verbose_name="Assignee", default="unassigned"
    )
    created_at = tables.Column(verbose_name="Age")
    due_at = DateTimeColumn(verbose_name="Due")
    reviewed_by = tables.Column(verbose_name="Reviewed by", default="—")

    class Meta(BaseTable.Meta):
        model = AcHandoff
        fields = ()
        sequence = (
            "select",
            "handoff_id",
            "status",
            "company",
            "contact",
            "campaign",
            "meeting",
            "assigned_to",
            "created_at",
            "due_at",
            "reviewed_by",
        )
        row_attrs = {
            "data-row": "",
            "class": lambda record: "table-danger" if record.is_overdue else "",
        }
        empty_text = "No handoffs match these filters."

    def render_status(self, record):
        return status_badge(record.status, record.is_overdue)

    def render_due_at(self, record, value):
        if record.status != "pending":
            return "—"
        return dates.time_element(value)

    def render_created_at(self, value):
        return dates.time_element(value)

    def value_due_at(self, record, value):
        return export_value(value) if record.status == "pending" else ""

    def value_created_at(self, value):
        return export_value(value)


class BookingEventTable(BaseTable):
    event_time = DateTimeColumn(verbose_name="Meeting")
    contact = tables.Column(accessor="contact__full_name", verbose_name="Person")
    company = tables.Column(
        accessor="company__company_name",
        verbose_name="Company",
        linkify=lambda record: url_or_none("companies:company", record.company_id),
    )
    campaign = tables.Column(accessor="campaign__name", verbose_name="Campaign", default="—")
    source = tables.Column(default="—")
    created_by = tables.Column(verbose_name="Booked by", default="—")
    created_at = DateTimeColumn(verbose_name="Recorded")
    handoff = tables.Column(
        accessor="handoff_id", verbose_name="Handoff", orderable=False, default="—"
    )

    class Meta(BaseTable.Meta):
        model = BookingEvent
        fields = ()
        sequence = (
            "event_time",
            "contact",
            "company",
            "campaign",
            "source",
            "created_by",
            "created_at",
            "handoff",
        )
        empty_text = "No bookings match these filters."

    def render_handoff(self, record, value):
        return format_html(
            '<a href="{}">#{}</a> {}',
            reverse("marketing:handoff", args=[value]),
            value,
            status_badge(record.handoff_status),
        )
