import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from outreach_admin.tables import BaseTable
from people.models import Contact, MergeLog, ResolutionQueue
from people.selectors import match_reasons, pair_evidence


class ContactTable(BaseTable):
    full_name = tables.Column(
        linkify=("people:contact", {"pk": tables.A("pk")}), verbose_name="Name"
    )
    unique_id = tables.Column(verbose_name="Barton ID")
    company = tables.Column(
        accessor="company__company_name",
        linkify=lambda record: (
            reverse("companies:company", args=[record.company_id]) if record.company_id else None
        ),
        verbose_name="Company",
    )
    email_status = tables.Column(
        accessor="verification__email_status", verbose_name="E-mail status", default="—"
    )
    has_slot = tables.BooleanColumn(verbose_name="Slot", orderable=False)

    class Meta(BaseTable.Meta):
        model = Contact
        fields = ("full_name", "unique_id", "email", "title", "company", "email_status", "status")
        sequence = (*fields, "has_slot")

    def render_email_status(self, value):
        return format_html('<span class="badge status-badge status-email-{0}">{0}</span>', value)


class ResolutionQueueTable(BaseTable):
    resolution_id = tables.Column(
        linkify=("people:resolution", {"pk": tables.A("pk")}), verbose_name="Pair"
    )
    contact_primary = tables.Column(verbose_name="Person A", order_by="contact_primary__full_name")
    contact_duplicate = tables.Column(
        verbose_name="Person B", order_by="contact_duplicate__full_name"
    )
    conflict_type = tables.Column(verbose_name="Matched on")
    recommendation = tables.Column(verbose_name="Recommendation", default="—")

    class Meta(BaseTable.Meta):
        model = ResolutionQueue
        fields = (
            "resolution_id",
            "score",
            "contact_primary",
            "contact_duplicate",
            "conflict_type",
            "recommendation",
            "resolution_status",
        )
        row_attrs = {
            "data-pair-url": lambda record: reverse("people:resolution", args=[record.pk]),
            "data-not-duplicate-url": lambda record: reverse(
                "people:resolution_not_duplicate", args=[record.pk]
            ),
            "data-defer-url": lambda record: reverse("people:resolution_defer", args=[record.pk]),
        }

    def _person(self, p):
        company = p.company.company_name if p.company_id else "no company"
        return format_html(
            '{}<div class="small text-body-secondary">{} · {}</div>',
            p.full_name,
            p.email or "no e-mail",
            company,
        )

    def render_contact_primary(self, value):
        return self._person(value)

    def render_contact_duplicate(self, value):
        return self._person(value)

    def render_conflict_type(self, value, record):
        """The rule that queued the pair, and the field-by-field evidence under it ("name
        similar · e-mail differs · company same"), read from the pair's stored evidence."""
        evidence = pair_evidence(record.evidence)
        reasons = ", ".join(match_reasons(record))
        if not evidence:
            return reasons
        return format_html('{}<div class="small text-body-secondary">{}</div>', reasons, evidence)

    def render_recommendation(self, value):
        return value.replace("_", " ")


class MergeLogTable(BaseTable):
    merge_id = tables.Column(linkify=("people:merge", {"pk": tables.A("pk")}), verbose_name="Merge")
    survivor = tables.Column(linkify=("people:contact", {"pk": tables.A("survivor_id")}))
    absorbed = tables.Column(linkify=("people:contact", {"pk": tables.A("absorbed_id")}))
    undone_at = tables.Column(verbose_name="Undone", default="—")

    class Meta(BaseTable.Meta):
        model = MergeLog
        fields = ("merge_id", "merged_at", "survivor", "absorbed", "merged_by", "undone_at")
