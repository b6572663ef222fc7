import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from marketing.models import Campaign, CampaignContact
from marketing.selectors.campaigns import RenewalReadiness
from outreach_admin import dates
from outreach_admin.tables import BaseTable, DateColumn, DateTimeColumn, export_value

MEMBER_STATUS_CSS = {
    "pending": "status-email-gray",
    "sent": "status-slot-candidates",
    "opened": "status-slot-candidates",
    "replied": "status-email-green",
    "booked": "status-slot-filled-green",
    "bounced": "status-email-red",
    "unsubscribed": "status-email-yellow",
}
CAMPAIGN_STATUS_CSS = {
    "draft": "status-email-gray",
    "active": "status-email-green",
    "paused": "status-email-yellow",
    "completed": "status-slot-candidates",
}


# Members whose outreach has ended: no outcome can be recorded for them.
FINISHED_MEMBER_STATUSES = ("bounced", "unsubscribed", "booked")


def _company_url(record):
    return reverse("companies:company", args=[record.company_id])


class RenewalReadinessTable(BaseTable):
    select = tables.CheckBoxColumn(
        accessor="company_id",
        attrs={
            "th__input": {
                "class": "form-check-input js-select-all",
                "data-select-group": "renewals",
                "aria-label": "Select all companies on this page",
            },
            "td__input": {
                "class": "form-check-input",
                "data-select-group": "renewals",
                "name": "company",
                "form": "build-form",
                "aria-label": lambda record: f"Select {record.company_name}",
            },
        },
    )
    company_name = tables.Column(linkify=_company_url, verbose_name="Company")
    next_renewal_date = DateColumn(verbose_name="Renewal")
    campaign_window_start = DateColumn(verbose_name="Window opened")
    days_until_renewal = tables.Column(verbose_name="Days left", attrs={"td": {"class": "num"}})
    slots = tables.TemplateColumn(
        template_name="marketing/renewal_slots_cell.html",
        orderable=False,
        verbose_name="Slot contacts",
    )
    readiness = tables.TemplateColumn(
        template_name="marketing/renewal_readiness_cell.html",
        order_by=("-ready", "campaign_window_start"),
        verbose_name="Readiness",
    )
    industry = tables.Column()
    state_region = tables.Column(verbose_name="State")

    class Meta(BaseTable.Meta):
        model = RenewalReadiness
        fields = ()
        sequence = (
            "select",
            "company_name",
            "readiness",
            "next_renewal_date",
            "campaign_window_start",
            "days_until_renewal",
            "slots",
            "industry",
            "state_region",
        )
        row_attrs = {"class": lambda record: "" if record.ready else "row-not-ready"}

    def render_campaign_window_start(self, value, record):
        return dates.time_element(value, absolute_first=True)

    def value_campaign_window_start(self, value):
        return export_value(value)


class CampaignTable(BaseTable):
    select = tables.CheckBoxColumn(
        accessor="pk",
        exclude_from_export=True,
        attrs={
            "td__input": {"name": "ids", "form": "campaign-bulk-form", "aria-label": "Select"},
            "th__input": {
                "data-select-all": "campaign-bulk-form",
                "aria-label": "Select all on this page",
            },
        },
    )
    name = tables.Column(linkify=lambda record: reverse("marketing:campaign", args=[record.pk]))
    type = tables.Column()
    status = tables.Column()
    member_count = tables.Column(verbose_name="Members", attrs={"td": {"class": "num"}})
    sent_count = tables.Column(verbose_name="Sent", attrs={"td": {"class": "num"}})
    response_count = tables.Column(verbose_name="Responses", attrs={"td": {"class": "num"}})
    response_rate = tables.Column(
        verbose_name="Response rate", attrs={"td": {"class": "num"}}, default="—"
    )
    booked_count = tables.Column(verbose_name="Booked", attrs={"td": {"class": "num"}})
    created_by = tables.Column(verbose_name="Owner", default="—")
    created_at = DateTimeColumn(verbose_name="Created")

    class Meta(BaseTable.Meta):
        model = Campaign
        fields = ()
        sequence = (
            "select",
            "name",
            "type",
            "status",
            "member_count",
            "sent_count",
            "response_count",
            "response_rate",
            "booked_count",
            "created_by",
            "created_at",
        )

    def render_status(self, record):
        return format_html(
            '<span class="badge status-badge {}">{}</span>',
            CAMPAIGN_STATUS_CSS[record.status],
            record.status,
        )

    def render_type(self, record):
        return record.get_type_display()

    def render_response_rate(self, value):
        return f"{value:.0%}"


class CampaignContactTable(BaseTable):
    person = tables.Column(
        accessor="contact__full_name", verbose_name="Person", order_by="contact__full_name"
    )
    email = tables.Column(accessor="contact__email", verbose_name="Email")
    email_status = tables.Column(
        accessor="contact__verification__email_status",
        verbose_name="Email status",
        default="gray",
    )
    company = tables.Column(
        accessor="company__company_name",
        verbose_name="Company",
        order_by="company__company_name",
        linkify=lambda record: _company_url(record) if record.company_id else None,
        default="—",
    )
    role_code = tables.Column(verbose_name="Role", default="—")
    status = tables.Column(verbose_name="Member status")
    actions = tables.Column(empty_values=(), orderable=False, verbose_name="Actions")

    class Meta(BaseTable.Meta):
        model = CampaignContact
        fields = ()
        sequence = ("person", "email", "email_status", "company", "role_code", "status", "actions")

    def render_email_status(self, value):
        value = str(value).lower()  # the column shows the choice label ("Green")
        return format_html(
            '<span class="badge status-badge status-email-{}">{}</span>', value, value
        )

    def render_status(self, value, record):
        if record.on_hold:
            return mark_safe(
                '<span class="badge status-badge status-slot-stale" title="Another person at '
                'this company booked a meeting: outreach stopped">on hold — company booked</span>'
            )
        return format_html(
            '<span class="badge status-badge {}">{}</span>',
            MEMBER_STATUS_CSS[record.status],
            record.status,
        )

    def render_actions(self, record):
        return format_html("{}\n", self._action_form(record))  # (the template's last newline)

    def _action_form(self, record):
        """The row's action form, built here rather than from a template per row (issue 18: 61
        of 186 ms at size M), the same HTML: for users who may act (the view's ``can_act``), in
        a draft campaign a Remove form, else an outcome form (every outcome but the member's
        status) unless the member is finished (bounced, unsubscribed, booked) or on hold."""
        context = self.context
        if not context.get("can_act"):
            return ""
        csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context["csrf_token"]
        )
        name = record.contact.full_name
        if context["campaign"].status == "draft":
            return format_html(
                '<form method="post" action="{}" class="d-inline" data-confirm="Remove {} from'
                ' the campaign?">{}<button type="submit" class="btn btn-link btn-sm p-0'
                ' text-danger">Remove</button></form>',
                reverse("marketing:campaign_member_remove", args=[record.pk]),
                name,
                csrf,
            )
        if record.status in FINISHED_MEMBER_STATUSES or record.on_hold:
            return ""
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((o, o) for o in context["outcomes"] if o != record.status),
        )
        return format_html(
            '<form method="post" action="{}" class="d-inline-flex gap-1 member-outcome">{}'
            '<label class="visually-hidden" for="outcome-{}">Outcome for {}</label>'
            '<select class="form-select form-select-sm" name="outcome" id="outcome-{}">{}'
            '</select><button type="submit" class="btn btn-sm btn-outline-secondary">Record'
            "</button></form>",
            reverse("marketing:campaign_member_outcome", args=[record.pk]),
            csrf,
            record.pk,
            name,
            record.pk,
            options,
        )


class CampaignPreflightTable(BaseTable):
    included = tables.Column(verbose_name="Result")
    company_name = tables.Column(verbose_name="Company")
    role_code = tables.Column(verbose_name="Role")
    full_name = tables.Column(verbose_name="Person", default="— empty —")
    email = tables.Column(default="—")
    email_status = tables.Column(verbose_name="Email status", default="—")
    reason = tables.Column()

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 100000
        row_attrs = {"class": lambda record: "" if record.included else "row-excluded"}

    def render_included(self, value):
        if value:
            return mark_safe('<span class="badge status-badge status-email-green">included</span>')
        return mark_safe('<span class="badge status-badge status-email-red">excluded</span>')

    def render_email_status(self, value):
        return format_html(
            '<span class="badge status-badge status-email-{}">{}</span>', value, value
        )

    def render_reason(self, value, record):
        if record.included:
            return value
        return format_html('<span class="fw-semibold text-danger-emphasis">{}</span>', value)
