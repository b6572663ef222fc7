"""Candidate ranking and explanations (company.slot_candidates) and queue/coverage selectors."""

import pytest

from companies import selectors, services
from companies.models import CompanySlot
from people.models import Contact
from tests import builders as b


@pytest.mark.django_db
def test_candidate_ranking_order():
    """Fitting and active first, then green email, then confidence, then recency."""
    c = b.company(name="Acme", website_url="https://acme.example")
    vp_green = b.contact("VP Green", company=c, title="VP Finance", email_status="green")
    cfo_yellow = b.contact("CFO Yellow", company=c, title="CFO", email_status="yellow")
    cfo_green = b.contact(
        "CFO Green", company=c, title="Chief Financial Officer", email_status="green"
    )
    ceo = b.contact("The CEO", company=c, title="CEO", email_status="green")
    bounced = b.contact("Gone CFO", company=c, title="CFO", email_status="green", status="bounced")
    by_domain = b.contact(
        "Domain CFO", title="Controller", email="ctrl@acme.example", email_status="gray"
    )
    merged = b.contact("Merged CFO", company=c, title="CFO")
    Contact.objects.filter(pk=merged.pk).update(status="merged", merged_into=cfo_green)
    b.contact("Elsewhere", title="CFO", email="x@other.example")

    ranked = selectors.slot_candidates(b.slot(c, "CFO"))
    assert [x.full_name for x in ranked] == [
        cfo_green.full_name,
        vp_green.full_name,
        cfo_yellow.full_name,
        by_domain.full_name,
        bounced.full_name,
        ceo.full_name,
    ]
    assert [x.eligible for x in ranked] == [True, True, True, True, False, False]


@pytest.mark.django_db
def test_candidate_reason_strings():
    """Each candidate explains title → role with confidence, email status and the link."""
    c = b.company(name="Acme", website_url="https://acme.example")
    b.contact("Vera", company=c, title="VP Finance", email_status="green")
    b.contact("Dom", title="Controller", email="dom@acme.example", email_status="gray")
    b.contact("Ceo", company=c, title="CEO", email_status="red")
    why = {x.full_name: x.explanation for x in selectors.slot_candidates(b.slot(c, "CFO"))}
    assert why["Vera"] == "title 'VP Finance' → CFO (VP finance) 0.80; email green; at this company"
    assert (
        why["Dom"] == "title 'Controller' → CFO (controller) 0.70; email gray; email @acme.example"
    )
    assert why["Ceo"] == "title 'CEO' → CEO (CEO), not CFO; email red; at this company"


@pytest.mark.django_db
def test_current_person_not_a_candidate():
    """The person already in the slot is not listed as a candidate for it."""
    c = b.company()
    p = b.contact(company=c, title="CFO")
    slot = b.slot(c, "CFO")
    services.slot_assign(slot_id=slot.pk, contact_id=p.pk, actor="a")
    assert selectors.slot_candidates(slot) == []


@pytest.mark.django_db
def test_queue_contains_empty_and_stale_slots_of_active_companies_only():
    """Filled-and-fine slots and archived companies are out; a person who left is stale."""
    c = b.company()
    other = b.company()
    b.company(status="archived")
    p = b.contact(company=c, title="CFO")
    q = b.contact(company=c, title="CEO")
    services.slot_assign(slot_id=b.slot(c, "CFO").pk, contact_id=p.pk, actor="a")
    services.slot_assign(slot_id=b.slot(c, "CEO").pk, contact_id=q.pk, actor="a")
    Contact.objects.filter(pk=q.pk).update(company=other)
    ids = set(selectors.slot_queue().values_list("pk", flat=True))
    assert b.slot(c, "CFO").pk not in ids
    assert b.slot(c, "CEO").pk in ids
    assert len(ids) == 2 + 3


@pytest.mark.django_db
def test_coverage_figures():
    """Per-role filled/total, overall rate and the 3/3..0/3 distribution."""
    c1 = b.company()
    b.company()
    p = b.contact(company=c1, title="CFO")
    services.slot_assign(slot_id=b.slot(c1, "CFO").pk, contact_id=p.pk, actor="a")
    cov = selectors.coverage()
    assert cov["overall"] == {"total": 6, "filled": 1, "pct": 16.7}
    assert {r["role_code"]: (r["filled"], r["total"]) for r in cov["roles"]}["CFO"] == (1, 2)
    assert [(d["filled"], d["companies"]) for d in cov["distribution"]] == [
        (3, 0),
        (2, 0),
        (1, 1),
        (0, 1),
    ]


@pytest.mark.django_db
def test_next_open_slot_follows_queue_order_and_wraps():
    """Skip goes to the next open slot by window start, company, role, then wraps around."""
    soon = b.company(renewal_month=None)
    order = list(selectors.slot_queue().values_list("pk", flat=True))
    assert selectors.next_open_slot_id(CompanySlot.objects.get(pk=order[0])) == order[1]
    assert selectors.next_open_slot_id(CompanySlot.objects.get(pk=order[-1])) == order[0]
    assert b.slot(soon, "HR").pk == order[-1]


@pytest.mark.django_db
def test_has_candidates_filter_matches_slot_candidates():
    """The queue's set-based has-candidates filter agrees with company.slot_candidates."""
    from companies.filters import CompanySlotFilterSet

    c = b.company(website_url="https://fit.example")
    b.contact(company=c, title="VP Finance")
    b.contact(title="HR Director", email="hr@fit.example")
    b.contact(company=c, title="CEO", status="bounced")
    b.company()
    with_cands = CompanySlotFilterSet({"has_candidates": "yes"}, queryset=selectors.slot_queue())
    expected = {
        s.pk
        for s in selectors.slot_queue()
        if any(x.eligible for x in selectors.slot_candidates(s, limit=None))
    }
    assert (
        set(with_cands.qs.values_list("pk", flat=True))
        == expected
        == {
            b.slot(c, "CFO").pk,
            b.slot(c, "HR").pk,
        }
    )
