import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from intake.models import AuditLog, PleCycle, RawLoad, UploadJob
from outreach_admin.tables import BaseTable, DateTimeColumn
from outreach_admin.templatetags.phrases import counts_phrase

STATUS_CSS = {
    "pending": "status-email-yellow",
    "promoted": "status-email-green",
    "duplicate": "status-email-gray",
    "failed": "status-email-red",
}


def _badge(status):
    return format_html(
        '<span class="badge status-badge {}">{}</span>', STATUS_CSS.get(status, ""), status
    )


class BatchTable(BaseTable):
    batch_id = tables.Column(
        verbose_name="Batch",
        linkify=lambda record: reverse("intake:batch", args=[record["batch_id"]]),
    )
    sources = tables.Column(verbose_name="Source", orderable=False)
    total = tables.Column(verbose_name="Rows", attrs={"td": {"class": "num"}})
    n_pending = tables.Column(verbose_name="Pending", attrs={"td": {"class": "num"}})
    n_promoted = tables.Column(verbose_name="Promoted", attrs={"td": {"class": "num"}})
    n_duplicate = tables.Column(verbose_name="Duplicate", attrs={"td": {"class": "num"}})
    n_failed = tables.Column(verbose_name="Failed", attrs={"td": {"class": "num"}})
    first_created = DateTimeColumn(verbose_name="First load", relative=True)
    last_created = DateTimeColumn(verbose_name="Last load", relative=True)
    ingested_by = tables.Column(verbose_name="By", orderable=False)


class RawLoadTable(BaseTable):
    select = tables.CheckBoxColumn(
        accessor="load_id",
        attrs={
            "input": {"name": "load_ids", "form": "promote-selected", "class": "form-check-input"},
            "th__input": {
                "data-select-all": "load_ids",
                "class": "form-check-input",
                "aria-label": "Select all",
            },
        },
        orderable=False,
    )
    load_id = tables.Column(verbose_name="Load")
    email = tables.Column(orderable=False)
    status = tables.Column()
    result = tables.Column(empty_values=(), orderable=False, verbose_name="Result")
    source = tables.Column()
    created_at = DateTimeColumn(verbose_name="Loaded")

    class Meta(BaseTable.Meta):
        model = RawLoad
        fields = ("select", "load_id", "email", "status", "result", "source", "created_at")
        sequence = fields

    def render_select(self, value, record):
        if record.status != "pending":
            return ""
        return format_html(
            '<input type="checkbox" name="load_ids" value="{}" form="promote-selected" '
            'class="form-check-input" aria-label="Select load {}">',
            value,
            value,
        )

    def render_status(self, value):
        return _badge(value)

    def render_result(self, record):
        if record.status == "duplicate" and record.duplicate_of:
            reason = record.metadata.get("duplicate_reason", "")
            return format_html(
                'duplicate of <a href="{}">load {}</a> '
                '<span class="text-body-secondary">({})</span>',
                reverse("intake:load", args=[record.duplicate_of]),
                record.duplicate_of,
                reason,
            )
        if record.status == "failed":
            return record.failure_reason or "failed"
        if record.status == "promoted" and record.person_id:
            return format_html(
                'fed <a href="{}">{}</a> (vault #{})',
                _person_url(record.person_id),
                record.person_name or f"person {record.person_id}",
                record.vault_id,
            )
        if record.status == "promoted":
            return format_html("vault #{}", record.vault_id or "—")
        return "waiting for promotion"

    def render_load_id(self, value):
        return format_html('<a href="{}">{}</a>', reverse("intake:load", args=[value]), value)


def _person_url(contact_id):
    try:
        return reverse("people:contact", args=[contact_id])
    except Exception:
        return "#"


class AuditLogTable(BaseTable):
    created_at = DateTimeColumn(verbose_name="When")
    action = tables.Column()
    user_name = tables.Column(verbose_name="User")
    batch_id = tables.Column(
        verbose_name="Batch",
        linkify=lambda record: (
            reverse("intake:batch", args=[record.batch_id]) if record.batch_id else None
        ),
    )
    record_count = tables.Column(verbose_name="Records", attrs={"td": {"class": "num"}})
    details = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = AuditLog
        fields = ("created_at", "action", "user_name", "batch_id", "record_count", "details")
        sequence = fields

    def render_details(self, value):
        phrase = counts_phrase(value)
        return format_html('<span class="small">{}</span>', phrase) if phrase else "—"


class PleCycleTable(BaseTable):
    cycle_id = tables.Column(
        verbose_name="Run", linkify=lambda record: reverse("intake:run", args=[record.pk])
    )
    cycle_name = tables.Column(verbose_name="Name")
    status = tables.Column()
    started_by = tables.Column(verbose_name="By")
    started_at = DateTimeColumn(verbose_name="Started")
    duration = tables.Column(empty_values=(), orderable=False)
    n_steps = tables.Column(verbose_name="Steps", attrs={"td": {"class": "num"}})
    counts = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = PleCycle
        fields = (
            "cycle_id",
            "cycle_name",
            "status",
            "started_by",
            "started_at",
            "duration",
            "n_steps",
            "counts",
        )
        sequence = fields

    def render_duration(self, record):
        if not record.completed_at:
            return "running" if record.status == "running" else "—"
        seconds = (record.completed_at - record.started_at).total_seconds()
        return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"

    def render_counts(self, value):
        if not value:
            return "—"
        return format_html('<span class="small">{}</span>', counts_phrase(value))


class UploadJobTable(BaseTable):
    job_id = tables.Column(
        verbose_name="Job", linkify=lambda record: reverse("intake:upload_job", args=[record.pk])
    )
    file_name = tables.Column(verbose_name="File")
    batch_id = tables.Column(verbose_name="Batch")
    status = tables.Column()
    progress = tables.Column(empty_values=(), orderable=False, verbose_name="Progress")
    inserted = tables.Column(verbose_name="Stored", attrs={"td": {"class": "num"}})
    created_by = tables.Column(verbose_name="By")
    created_at = DateTimeColumn(verbose_name="Queued", relative=True)

    class Meta(BaseTable.Meta):
        model = UploadJob
        fields = (
            "job_id",
            "file_name",
            "batch_id",
            "status",
            "progress",
            "inserted",
            "created_by",
            "created_at",
        )
        sequence = fields

    def render_progress(self, record):
        total = "?" if record.rows_total is None else f"{record.rows_total:,}"
        return f"{record.rows_done:,} / {total} rows ({record.percent}%)"

    def value_progress(self, record):
        return record.rows_done
