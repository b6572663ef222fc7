"""Read paths for renewals and campaigns (WORKFLOWS.md §3).

Everything is computed in SQL with a fixed number of queries per page:

* the renewals page reads ``marketing.vw_renewal_readiness_kept`` (marketing 0021, issue 18)
  through the read-only model ``RenewalReadiness``: the rule is ``marketing.vw_renewal_readiness``
  (marketing 0008), kept per company in ``marketing.renewal_readiness`` by statement triggers,
  with only the columns that depend on today computed per row (the first ready page walks a
  partial index); a row the daily roll-forward has not reached is read from the live view, so
  the list is right on a day no job ran;
* the builder's pre-flight report is ``marketing.campaign_preflight(company_ids, roles)``, the
  same function ``campaign_create`` inserts from;
* campaign pages annotate counts with aggregates and read members from
  ``marketing.vw_campaign_member`` (the derived "on hold" state).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps.registry import Apps
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, NullIf

from marketing.models import BookingEvent, Campaign, CampaignContact
from outreach_admin.db import schema_table
from outreach_admin.fields import ROLES

# Models over SQL views live in their own registry: the views are created by SQL migrations, so
# they must stay out of Django's migration state (makemigrations never sees them).
view_apps = Apps()


class RenewalReadiness(models.Model):
    """A company's next renewal with its slot contacts and readiness checklist (SQL view)."""

    company_id = models.BigIntegerField(primary_key=True)
    company_name = models.TextField()
    industry = models.TextField(null=True)
    state_region = models.TextField(null=True)
    company_status = models.TextField()
    is_archived = models.BooleanField()
    renewal_month = models.SmallIntegerField()
    window_days = models.IntegerField()
    next_renewal_date = models.DateField()
    campaign_window_start = models.DateField()
    days_until_renewal = models.IntegerField()
    days_until_window = models.IntegerField()
    in_window = models.BooleanField()
    ceo_contact_id = models.BigIntegerField(null=True)
    ceo_name = models.TextField(null=True)
    ceo_email_status = models.TextField(null=True)
    ceo_contact_status = models.TextField(null=True)
    cfo_contact_id = models.BigIntegerField(null=True)
    cfo_name = models.TextField(null=True)
    cfo_email_status = models.TextField(null=True)
    cfo_contact_status = models.TextField(null=True)
    hr_contact_id = models.BigIntegerField(null=True)
    hr_name = models.TextField(null=True)
    hr_email_status = models.TextField(null=True)
    hr_contact_status = models.TextField(null=True)
    filled_count = models.IntegerField()
    green_count = models.IntegerField()
    green_roles = ArrayField(models.TextField())
    pending_duplicates = models.IntegerField()
    open_campaign_id = models.BigIntegerField(null=True)
    open_campaign_name = models.TextField(null=True)
    ready = models.BooleanField()
    missing = ArrayField(models.TextField())

    class Meta:
        apps = view_apps
        app_label = "marketing"
        managed = False
        db_table = schema_table("marketing", "vw_renewal_readiness_kept")

    def slot_people(self) -> list[dict]:
        """The three slots as dicts (role, contact id, name, email status, person status)."""
        return [
            {
                "role": role,
                "contact_id": getattr(self, f"{role.lower()}_contact_id"),
                "name": getattr(self, f"{role.lower()}_name"),
                "email_status": getattr(self, f"{role.lower()}_email_status") or "gray",
                "contact_status": getattr(self, f"{role.lower()}_contact_status"),
            }
            for role in ROLES
        ]

    def checklist(self) -> list[tuple[str, bool]]:
        """The readiness checklist in display order: (label, passed)."""
        return [
            ("In window", self.in_window),
            ("Green slot contact", self.green_count > 0),
            ("Not archived", not self.is_archived),
            ("No pending duplicate", self.pending_duplicates == 0),
            ("Not in a campaign yet", self.open_campaign_id is None),
        ]


# The order of company_window_start_idx: earliest-opened window (most urgent) first. The
# renewals page walks that index and checks readiness per row (vw_renewal_readiness v3), so a
# page of ready companies stops after its rows instead of ranking every in-window company.
RENEWAL_ORDER = ("campaign_window_start", "company_name", "company_id")


def renewal_list() -> QuerySet[RenewalReadiness]:
    """Companies with a renewal month, earliest window start first (index order)."""
    return RenewalReadiness.objects.order_by(*RENEWAL_ORDER)


def renewal_company_ids(queryset: QuerySet[RenewalReadiness], limit: int) -> list[int]:
    """The company ids of a (filtered) renewal queryset, at most ``limit`` of them."""
    return list(queryset.values_list("company_id", flat=True)[:limit])


@dataclass(frozen=True)
class PreflightRow:
    company_id: int
    company_name: str
    role_code: str
    contact_id: int | None
    full_name: str | None
    email: str | None
    email_status: str | None
    contact_status: str | None
    included: bool
    reason: str


def campaign_preflight(*, company_ids: list[int], roles: list[str]) -> list[PreflightRow]:
    """Every candidate member (company × targeted role) with included/excluded and the reason.

    Wraps ``marketing.campaign_preflight(bigint[], text[])``; one query.
    """
    if not company_ids or not roles:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT company_id, company_name, role_code, contact_id, full_name, email,"
            " email_status, contact_status, included, reason"
            " FROM marketing.campaign_preflight(%s::bigint[], %s::text[])",
            [list(company_ids), list(roles)],
        )
        return [PreflightRow(*row) for row in cursor.fetchall()]


# Members per campaign from marketing.member_status_count (kept by statement triggers,
# marketing 0020; tests/db/test_summaries.py checks it against the members after every kind of
# write): a list of campaigns no longer counts 500,000 member rows.
_MEMBERS_KEPT = (
    "(SELECT coalesce(sum(s.members), 0) FROM marketing.member_status_count s"
    ' WHERE s.campaign_id = "marketing"."campaign"."campaign_id"{})'
)


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with member counts (the kept per-status counts) and response rate (responses
    / sent), one query."""
    return Campaign.objects.annotate(
        member_count=RawSQL(_MEMBERS_KEPT.format(""), [], output_field=IntegerField()),
        booked_count=RawSQL(
            _MEMBERS_KEPT.format(" AND s.status = 'booked'"), [], output_field=IntegerField()
        ),
        response_rate=Cast(F("response_count"), FloatField())
        / NullIf(Cast(F("sent_count"), FloatField()), 0.0),
    )


def campaign_members(campaign: Campaign) -> QuerySet[CampaignContact]:
    """A campaign's members with person, company and email status; ``on_hold`` is true for a
    pending member whose company already booked in this campaign (outreach stopped)."""
    booked = BookingEvent.objects.filter(
        campaign_id=OuterRef("campaign_id"), company_id=OuterRef("company_id")
    )
    return (
        CampaignContact.objects.filter(campaign=campaign)
        .select_related("contact", "contact__verification", "company")
        .annotate(
            on_hold=ExpressionWrapper(
                Q(status="pending") & Exists(booked), output_field=BooleanField()
            )
        )
        .order_by("company__company_name", "company_id", "role_code", "campaign_contact_id")
    )


def campaign_status_counts(campaign: Campaign) -> dict[str, int]:
    """Members per status (every status present, zero when none), plus ``total``: the kept
    counts of ``marketing.member_status_count``, one index lookup instead of a count."""
    counts = {status: 0 for status in CampaignContact.Status.values}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, members FROM marketing.member_status_count WHERE campaign_id = %s",
            [campaign.pk],
        )
        for status, members in cursor.fetchall():
            counts[status] = int(members)
    counts["total"] = sum(counts.values())
    return counts
