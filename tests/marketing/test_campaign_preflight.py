"""Pre-flight report and campaign_create: one scenario per exclusion reason, exact reason text,
building twice adds nobody twice, bad input gives a clear message and creates nothing."""

import pytest

from marketing.models import Campaign, CampaignContact
from marketing.selectors.campaigns import campaign_preflight
from marketing.services import campaigns as services
from marketing.services.campaigns import CampaignError
from people.models import Contact, ResolutionQueue
from tests import builders as b
from tests.marketing.test_campaign_rules import renewal_company, seat


def _merged(co):
    p = seat(co, "CEO")
    Contact.objects.filter(pk=p.pk).update(status="merged", merged_into=b.contact())


def _status(status):
    def make(co):
        p = seat(co, "CEO")
        Contact.objects.filter(pk=p.pk).update(status=status)

    return make


def _email(status):
    return lambda co: seat(co, "CEO", email_status=status)


def _duplicate(co):
    p = seat(co, "CEO")
    ResolutionQueue.objects.create(
        contact_primary=b.contact(), contact_duplicate=p, conflict_type="name_company", score="0.8"
    )


def _in_campaign(co):
    p = seat(co, "CEO")
    c = Campaign.objects.create(name="Spring push", type="renewal")
    CampaignContact.objects.create(campaign=c, contact=p, company=co, role_code="CEO")
    Campaign.objects.filter(pk=c.pk).update(status="active")


def _no_email(co):
    p = seat(co, "CEO")
    Contact.objects.filter(pk=p.pk).update(email=None)


SCENARIOS = [
    ("slot empty", lambda co: None, "slot empty"),
    ("email yellow", _email("yellow"), "email not green (yellow)"),
    ("email red", _email("red"), "email not green (red)"),
    ("never verified", _email(None), "email not green (gray)"),
    ("unsubscribed", _status("unsubscribed"), "unsubscribed"),
    ("bounced", _status("bounced"), "bounced"),
    ("merged", _merged, "merged into another person"),
    ("duplicate pending", _duplicate, "duplicate pending review"),
    ("already in an active campaign", _in_campaign, "already in campaign “Spring push” (active)"),
    ("no email", _no_email, "no email address"),
    ("included", _email("green"), "included"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "setup", "reason"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_preflight_reason(label, setup, reason):
    """Each scenario shows exactly its reason, and only 'included' rows are included."""
    co = renewal_company()
    setup(co)
    (row,) = campaign_preflight(company_ids=[co.pk], roles=["CEO"])
    assert row.reason == reason
    assert row.included is (reason == "included")


@pytest.mark.django_db
def test_same_person_in_two_slots_is_included_once():
    """The same email in two slots is included once; the second shows where it already is."""
    co = renewal_company(name="Acme")
    p = seat(co, "CEO")
    from companies.models import CompanySlot

    CompanySlot.objects.filter(company=co, role_code="CFO").update(contact=p)
    rows = campaign_preflight(company_ids=[co.pk], roles=["CEO", "CFO"])
    assert [(r.role_code, r.included, r.reason) for r in rows] == [
        ("CEO", True, "included"),
        ("CFO", False, "same email already included (Acme, CEO)"),
    ]


@pytest.mark.django_db
def test_archived_company_is_excluded():
    """An archived company's people are excluded with 'company archived'."""
    co = renewal_company()
    seat(co, "CEO")
    co.status = "archived"
    co.save(update_fields=["status"])
    (row,) = campaign_preflight(company_ids=[co.pk], roles=["CEO"])
    assert (row.included, row.reason) == (False, "company archived")


@pytest.mark.django_db
def test_create_inserts_exactly_the_included_members_with_company_and_role():
    """campaign_create inserts the included rows only, capturing company and role."""
    a, z = renewal_company(name="A co"), renewal_company(name="Z co")
    ceo = seat(a, "CEO")
    seat(a, "CFO", email_status="yellow")
    hr = seat(z, "HR")
    c = services.campaign_create(
        name="Renewals",
        type="renewal",
        target_roles=["CEO", "CFO", "HR"],
        company_ids=[a.pk, z.pk],
        actor="alice",
    )
    got = set(
        CampaignContact.objects.filter(campaign=c).values_list(
            "contact_id", "company_id", "role_code", "status"
        )
    )
    assert got == {(ceo.pk, a.pk, "CEO", "pending"), (hr.pk, z.pk, "HR", "pending")}
    assert (c.status, c.created_by, c.target_count, c.target_roles) == (
        "draft",
        "alice",
        2,
        ["CEO", "CFO", "HR"],
    )


@pytest.mark.django_db
def test_building_twice_does_not_double_add():
    """A second build from the same selection adds nobody and says why."""
    co = renewal_company()
    seat(co, "CEO")
    seat(co, "HR")
    kwargs = dict(
        name="R", type="renewal", target_roles=["CEO", "HR"], company_ids=[co.pk], actor="a"
    )
    services.campaign_create(**kwargs)
    with pytest.raises(CampaignError, match="Nobody can be added"):
        services.campaign_create(**kwargs)
    assert CampaignContact.objects.count() == 2
    assert Campaign.objects.count() == 1
    reasons = {r.reason for r in campaign_preflight(company_ids=[co.pk], roles=["CEO", "HR"])}
    assert reasons == {"already in campaign “R” (draft)"}


@pytest.mark.django_db
def test_completed_campaign_of_this_renewal_still_excludes():
    """A member of a completed campaign built in this renewal window is not re-added."""
    co = renewal_company()
    seat(co, "CEO")
    c = services.campaign_create(
        name="Done", type="renewal", target_roles=["CEO"], company_ids=[co.pk], actor="a"
    )
    for step in ("active", "completed"):
        services.campaign_transition(campaign_id=c.pk, to_status=step, actor="a")
    (row,) = campaign_preflight(company_ids=[co.pk], roles=["CEO"])
    assert row.reason == "already in campaign “Done” (completed)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(name="  "), "Give the campaign a name"),
        (dict(type="spam"), "“spam” is not a campaign type; choose one of cold outreach, nurture"),
        (dict(target_roles=[]), "Choose at least one role"),
        (dict(target_roles=["CTO"]), "Choose at least one role"),
        (dict(company_ids=[]), "Select at least one company"),
        (dict(company_ids=[999999999]), "Unknown company id"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    """Bad input raises CampaignError with a clear message and creates nothing."""
    co = renewal_company()
    seat(co, "CEO")
    args = dict(name="R", type="renewal", target_roles=["CEO"], company_ids=[co.pk], actor="a")
    args.update(kwargs)
    with pytest.raises(CampaignError, match=message):
        services.campaign_create(**args)
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_member_remove_only_in_draft():
    """Removing a member works in draft and is refused with the database's message after."""
    co = renewal_company()
    seat(co, "CEO")
    seat(co, "CFO")
    c = services.campaign_create(
        name="R", type="renewal", target_roles=["CEO", "CFO"], company_ids=[co.pk], actor="a"
    )
    first, second = CampaignContact.objects.filter(campaign=c)
    services.campaign_member_remove(member_id=first.pk, actor="a")
    services.campaign_transition(campaign_id=c.pk, to_status="active", actor="a")
    with pytest.raises(CampaignError, match="removed only while it is draft"):
        services.campaign_member_remove(member_id=second.pk, actor="a")
    assert CampaignContact.objects.filter(campaign=c).count() == 1
