import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from companies.models import Company, CompanySlot
from companies.selectors import mark_green
from outreach_admin.tables import BaseTable, DateColumn


def _slot_url(record):
    return reverse("companies:slot", args=[record.pk])


class CompanyTable(BaseTable):
    company_name = tables.Column(
        linkify=lambda record: reverse("companies:company", args=[record.pk]),
        verbose_name="Company",
    )
    company_unique_id = tables.Column(verbose_name="Barton ID")
    domain = tables.Column()
    industry = tables.Column()
    state_region = tables.Column(verbose_name="State")
    renewal_month = tables.Column(verbose_name="Renewal")
    window_start = DateColumn(verbose_name="Window opens")
    filled_count = tables.Column(verbose_name="Slots", attrs={"td": {"class": "num"}})
    has_green = tables.BooleanColumn(verbose_name="Green", orderable=False)
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Company
        fields = (
            "company_name",
            "company_unique_id",
            "domain",
            "industry",
            "state_region",
            "renewal_month",
            "window_start",
            "filled_count",
            "has_green",
            "status",
        )
        sequence = fields

    def before_render(self, request):
        if hasattr(self, "page"):
            mark_green(row.record for row in self.page.object_list)

    def render_renewal_month(self, value, record):
        return record.next_renewal.strftime("%b") if record.next_renewal else value

    def render_filled_count(self, value):
        css = {3: "filled-green", 0: "empty"}.get(value, "filled-unverified")
        return format_html(
            '<span class="badge status-badge status-slot-{}">{}/3</span>', css, value
        )


class CompanySlotTable(BaseTable):
    company = tables.Column(
        accessor="company__company_name", verbose_name="Company", order_by="company__company_name"
    )
    role_code = tables.Column(verbose_name="Role")
    state = tables.Column(empty_values=(), orderable=False, verbose_name="Slot")
    window_start = DateColumn(verbose_name="Window opens")
    next_renewal = DateColumn(verbose_name="Renewal")
    industry = tables.Column(accessor="company__industry", verbose_name="Industry")
    state_region = tables.Column(accessor="company__state_region", verbose_name="Region")
    candidates = tables.Column(
        empty_values=(), orderable=False, verbose_name="Cands", attrs={"td": {"class": "num"}}
    )
    top = tables.Column(empty_values=(), orderable=False, verbose_name="Top candidate")
    open = tables.Column(empty_values=(), orderable=False, verbose_name="")

    class Meta(BaseTable.Meta):
        model = CompanySlot
        fields = ()
        sequence = (
            "company",
            "role_code",
            "state",
            "window_start",
            "next_renewal",
            "industry",
            "state_region",
            "candidates",
            "top",
            "open",
        )
        orderable = False
        row_attrs = {"data-queue-row": "", "data-href": lambda record: _slot_url(record)}

    def render_company(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("companies:company", args=[record.company_id]), value
        )

    def render_state(self, record):
        if record.contact_id is None:
            return mark_safe('<span class="badge status-badge status-slot-empty">empty</span>')
        return format_html(
            '<span class="badge status-badge status-slot-stale" title="{}">stale</span>',
            f"{record.contact.full_name} is {record.contact.status}",
        )

    def render_candidates(self, record):
        return (record.cand or {}).get("count", 0)

    def render_top(self, record):
        top = (record.cand or {}).get("top")
        if not top:
            return mark_safe('<span class="text-body-secondary">—</span>')
        return format_html(
            '{} <span class="text-body-secondary small">{} · {}</span> '
            '<span class="badge status-badge status-email-{}">{}</span>',
            top["full_name"],
            top.get("title") or "no title",
            f"{float(top['confidence']):.2f}",
            top["email_status"],
            top["email_status"],
        )

    def render_open(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-primary py-0" href="{}">Open</a>', _slot_url(record)
        )
