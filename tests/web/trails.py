"""The allowed side of the permission matrix: where each action records who did it (``TRAILS``),
the registry of valid-payload cases (``case``, ``ALLOWED_CASES``) and the state builders the
cases share. The cases themselves are ``tests/web/allowed_cases.py``."""

from tests import builders as b

# Trails: where an action records who did it, as SQL counting the rows naming the actor (%(u)s:
# username, %(id)s: user id).
TRAILS = {
    "company.history": "SELECT count(*) FROM company.history WHERE changed_by = %(u)s",
    # A new company's own row (its three slots' insert rows name the actor too).
    "company.history company": "SELECT count(*) FROM company.history "
    "WHERE changed_by = %(u)s AND table_name = 'company'",
    "people.history": "SELECT count(*) FROM people.history WHERE changed_by = %(u)s",
    "people.merge_log": "SELECT count(*) FROM people.merge_log WHERE merged_by = %(u)s",
    "people.merge_log undo": "SELECT count(*) FROM people.merge_log WHERE undone_by = %(u)s",
    "people.resolution_queue": "SELECT count(*) FROM people.resolution_queue "
    "WHERE resolved_by = %(u)s",
    "marketing.pipeline_events": "SELECT count(*) FROM marketing.pipeline_events "
    "WHERE event_data ->> 'actor' = %(u)s",
    "marketing.campaign": "SELECT count(*) FROM marketing.campaign WHERE created_by = %(u)s",
    "marketing.booking_event": "SELECT count(*) FROM marketing.booking_event "
    "WHERE created_by = %(u)s",
    "intake.audit_log": "SELECT count(*) FROM intake.audit_log WHERE user_name = %(u)s",
    "intake.audit_log mapping_saved": "SELECT count(*) FROM intake.audit_log "
    "WHERE user_name = %(u)s AND action = 'mapping_saved'",
    "marketing.history": "SELECT count(*) FROM marketing.history WHERE changed_by = %(u)s",
    "bit.history": "SELECT count(*) FROM bit.history WHERE changed_by = %(u)s",
    "ple.cycle": "SELECT count(*) FROM ple.cycle WHERE started_by = %(u)s",
    "saved_view": "SELECT count(*) FROM public.outreach_admin_savedview WHERE owner_id = %(id)s",
}
# Tables kept by triggers as summaries of others: they may move with any action that writes
# their source (e.g. intake.batch_summary follows intake.raw_loads).
DERIVED = {
    "intake.batch_summary",
    # issue 18's summaries, kept by statement triggers (tests/db/test_summaries.py checks them
    # against their sources after every kind of write)
    "company.renewal_count",
    "company.slot_coverage",
    "company.slot_mask",
    "marketing.member_status_count",
    "marketing.renewal_readiness",
}
ALLOWED_CASES = {}


def case(name, *, tables, trail=None, group="coordinator", no_trail=None):
    """Register the valid-payload case of URL ``name``: ``tables`` is the exact set of tables the
    action changes, ``trail`` the TRAILS entry that must gain exactly one row naming the actor
    (or ``no_trail``: why the action records no actor)."""

    def register(fn):
        ALLOWED_CASES[name] = dict(
            build=fn, tables=set(tables), trail=trail, group=group, no_trail=no_trail
        )
        return fn

    return register


def trail_counts(user) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
        try:
            counts = {}
            for name, sql in TRAILS.items():
                cursor.execute(sql, {"u": user.get_username(), "id": user.pk})
                counts[name] = cursor.fetchone()[0]
        finally:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
    return counts


def _first(qs):
    obj = qs.order_by("pk").first()
    assert obj is not None, f"the seeded data has no {qs.model.__name__} for this case; seed one"
    return obj


def _empty_slot_with_candidate(title="Sales"):
    from companies.models import CompanySlot

    slot = _first(CompanySlot.objects.filter(contact__isnull=True, company__status="active"))
    person = b.contact(company=slot.company, title=title, email_status="green")
    return slot, person


def _pending_pair():
    from people.models import ResolutionQueue

    return _first(ResolutionQueue.objects.filter(resolution_status="pending"))


def _pending_verified_pair():
    """A pending pair of two verified people: merging it moves a verification, so the merge
    cases' expected tables hold whatever pairs the seed (and earlier tests) left."""
    from people.models import ContactVerification, ResolutionQueue

    verified = ContactVerification.objects.values("contact_id")
    return _first(
        ResolutionQueue.objects.filter(
            resolution_status="pending",
            contact_primary_id__in=verified,
            contact_duplicate_id__in=verified,
        )
    )


def _handoff(status="pending"):
    from marketing.models import AcHandoff

    return _first(AcHandoff.objects.filter(status=status))


def _other_coordinator():
    return b.user(group="coordinator")


def _campaign(status):
    """A campaign in ``status`` with pending members (made through the services if needed)."""
    from marketing.models import Campaign
    from marketing.services import campaigns as services

    found = Campaign.objects.filter(status=status, members__status="pending").distinct().first()
    if found:
        return found
    ids = _campaign_companies()
    campaign = services.campaign_create(
        name=f"Matrix {status}",
        type="renewal",
        target_roles=["CEO", "CFO", "HR"],
        company_ids=ids,
        actor="setup",
    )
    if status != "draft":
        services.campaign_transition(campaign_id=campaign.pk, to_status=status, actor="setup")
    return campaign


def _campaign_companies() -> list[int]:
    """A fresh company whose CFO slot holds a verified person: the pre-flight includes her."""
    from django.db import connection

    company = b.company("Matrix Campaign Co")
    slot = b.slot(company, "CFO")
    slot.contact = b.contact(company=company, title="CFO", email_status="green")
    slot.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM marketing.campaign_preflight(%s, ARRAY['CFO']) WHERE included",
            [[company.pk]],
        )
        assert cursor.fetchone()[0] == 1, "the pre-flight refuses the matrix company"
    return [company.pk]


def _ingest(batch_id):
    from django.db import connection
    from psycopg.types.json import Jsonb

    rows = [Jsonb({"email": f"allowed-{batch_id}@matrix.example", "name": "Matrix Person"})]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM intake.f_ingest_json(%s::jsonb[], 'manual', %s)",
            [rows, batch_id],
        )
