"""Company and slot pages through the Django test client: permissions, actions, bad input,
conflicts and bounded query counts."""

import pytest
from django.urls import reverse

from companies import services
from companies.models import CompanySlot
from tests import builders as b


@pytest.fixture
def coordinator(client):
    u = b.user(group="coordinator")
    client.force_login(u)
    return u


@pytest.fixture
def viewer(client):
    u = b.user(group="viewer")
    client.force_login(u)
    return u


def _world(n_companies=1):
    companies = []
    for i in range(n_companies):
        c = b.company(name=f"Acme {i}", renewal_month=(i % 12) + 1, industry="Retail")
        b.contact(f"Dana {i}", company=c, title="CFO", email_status="green")
        b.contact(f"Lee {i}", company=c, title="Controller")
        companies.append(c)
    return companies


def _msgs(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    """Every companies page and action redirects an anonymous visitor to the login page."""
    (c,) = _world()
    slot = b.slot(c, "CFO")
    for url in (
        reverse("companies:company_list"),
        reverse("companies:company", args=[c.pk]),
        reverse("companies:slot_queue"),
        reverse("companies:slot", args=[slot.pk]),
    ):
        assert "/accounts/login/" in client.get(url)["Location"]
    r = client.post(reverse("companies:slot_assign", args=[slot.pk]), {"contact_id": 1})
    assert "/accounts/login/" in r["Location"]


@pytest.mark.django_db
def test_viewer_gets_403_on_every_post_and_nothing_changes(client, viewer):
    """Viewers may look but every slot action answers 403 and leaves the data alone."""
    (c,) = _world()
    slot = b.slot(c, "CFO")
    person = c.people.first()
    filled = b.slot(c, "CEO")
    services.slot_assign(slot_id=filled.pk, contact_id=person.pk, actor="x")
    posts = [
        (reverse("companies:slot_assign", args=[slot.pk]), {"contact_id": person.pk}),
        (reverse("companies:slot_clear", args=[filled.pk]), {"expected_contact_id": person.pk}),
        (reverse("companies:slot_bulk_fill"), {"threshold": "0.5", "margin": "0"}),
        (
            reverse("companies:slot_bulk_fill"),
            {"threshold": "0.5", "margin": "0", "confirmed": "yes", "slot_ids": str(slot.pk)},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert CompanySlot.objects.get(pk=slot.pk).contact_id is None
    assert CompanySlot.objects.get(pk=filled.pk).contact_id == person.pk
    page = client.get(reverse("companies:slot", args=[slot.pk]))
    assert page.status_code == 200
    assert b"Assign</button>" not in page.content
    assert b"Preview bulk fill" not in client.get(reverse("companies:slot_queue")).content


@pytest.mark.django_db
def test_coordinator_assigns_and_clears(client, coordinator):
    """A coordinator assigns a candidate (PRG with a message) and clears the slot again."""
    (c,) = _world()
    slot = b.slot(c, "CFO")
    dana = c.people.get(full_name="Dana 0")
    r = client.post(
        reverse("companies:slot_assign", args=[slot.pk]), {"contact_id": dana.pk}, follow=True
    )
    assert r.redirect_chain[0][0] == reverse("companies:slot", args=[slot.pk])
    assert "Dana 0 is now in the CFO slot." in _msgs(r)
    assert CompanySlot.objects.get(pk=slot.pk).contact_id == dana.pk
    r = client.post(
        reverse("companies:slot_clear", args=[slot.pk]),
        {"expected_contact_id": dana.pk, "reason": "left"},
        follow=True,
    )
    assert "The CFO slot is now empty." in _msgs(r)
    assert CompanySlot.objects.get(pk=slot.pk).contact_id is None


@pytest.mark.django_db
def test_replace_without_reason_is_refused(client, coordinator):
    """Replacing through the form without a reason shows a message and changes nothing."""
    (c,) = _world()
    slot = b.slot(c, "CFO")
    dana, lee = c.people.get(full_name="Dana 0"), c.people.get(full_name="Lee 0")
    services.slot_assign(slot_id=slot.pk, contact_id=dana.pk, actor="x")
    r = client.post(
        reverse("companies:slot_assign", args=[slot.pk]),
        {"contact_id": lee.pk, "expected_contact_id": dana.pk, "reason": ""},
        follow=True,
    )
    assert any("why you replace" in m for m in _msgs(r))
    assert CompanySlot.objects.get(pk=slot.pk).contact_id == dana.pk


@pytest.mark.django_db
def test_conflict_shows_message_not_500(client, coordinator):
    """A stale form (slot filled meanwhile) is answered with a message naming who filled it."""
    (c,) = _world()
    slot = b.slot(c, "CFO")
    dana, lee = c.people.get(full_name="Dana 0"), c.people.get(full_name="Lee 0")
    services.slot_assign(slot_id=slot.pk, contact_id=dana.pk, actor="alice")
    r = client.post(
        reverse("companies:slot_assign", args=[slot.pk]), {"contact_id": lee.pk}, follow=True
    )
    assert r.status_code == 200
    assert any("filled with Dana 0 by alice" in m for m in _msgs(r))
    assert CompanySlot.objects.get(pk=slot.pk).contact_id == dana.pk


@pytest.mark.django_db
def test_bad_input_is_answered_clearly_and_changes_nothing(client, coordinator):
    """Unknown slot → 404; non-numeric or unknown person id → message; nothing changes."""
    (c,) = _world()
    slot = b.slot(c, "CFO")
    assert client.post(reverse("companies:slot_assign", args=[10**12]), {}).status_code == 404
    assert client.get(reverse("companies:slot", args=[10**12])).status_code == 404
    assert client.get(reverse("companies:company", args=[10**12])).status_code == 404
    r = client.post(
        reverse("companies:slot_assign", args=[slot.pk]), {"contact_id": "abc"}, follow=True
    )
    assert "The person id must be a whole number." in _msgs(r)
    r = client.post(
        reverse("companies:slot_assign", args=[slot.pk]), {"contact_id": 10**12}, follow=True
    )
    assert any("does not exist" in m for m in _msgs(r))
    r = client.post(
        reverse("companies:slot_bulk_fill"),
        {"threshold": "2", "margin": "x", "confirmed": "yes"},
        follow=True,
    )
    assert r.status_code == 200 and _msgs(r)
    assert not CompanySlot.objects.filter(contact__isnull=False).exists()


@pytest.mark.django_db
def test_skip_goes_to_next_open_slot(client, viewer):
    """The skip link redirects to the next open slot in queue order."""
    (c,) = _world()
    order = list(CompanySlot.objects.filter(company=c).order_by("role_code"))
    r = client.get(reverse("companies:slot_next", args=[order[0].pk]))
    assert r["Location"] == reverse("companies:slot", args=[order[1].pk])


@pytest.mark.django_db
def test_bulk_fill_preview_then_confirm(client, coordinator):
    """The preview lists what would happen and changes nothing; confirming does exactly that."""
    _world(3)
    r = client.post(
        reverse("companies:slot_bulk_fill"),
        {"threshold": "0.7", "margin": "0.15", "role_code": "CFO"},
    )
    assert r.status_code == 200
    assert b"would fill" in r.content
    assert not CompanySlot.objects.filter(contact__isnull=False).exists()
    data = {k: r.context[k] for k in ("slot_ids", "plan", "threshold", "margin")}
    r = client.post(reverse("companies:slot_bulk_fill"), {**data, "confirmed": "yes"}, follow=True)
    assert any("3 filled, 0 skipped" in m for m in _msgs(r))
    assert not any("changed since the preview" in m for m in _msgs(r))
    assert CompanySlot.objects.filter(role_code="CFO", contact__isnull=False).count() == 3


@pytest.mark.django_db
def test_bulk_fill_reports_changes_since_preview(client, coordinator):
    """When a slot is filled between preview and confirm, the result says so."""
    (c,) = _world(1)
    r = client.post(
        reverse("companies:slot_bulk_fill"),
        {"threshold": "0.7", "margin": "0.15", "role_code": "CFO"},
    )
    data = {k: r.context[k] for k in ("slot_ids", "plan", "threshold", "margin")}
    services.slot_assign(
        slot_id=b.slot(c, "CFO").pk, contact_id=c.people.get(full_name="Lee 0").pk, actor="bob"
    )
    r = client.post(reverse("companies:slot_bulk_fill"), {**data, "confirmed": "yes"}, follow=True)
    assert any("changed since the preview" in m for m in _msgs(r))
    assert b"changed since preview" in r.content


@pytest.mark.django_db
def test_queue_lists_open_slots_with_top_candidate_and_filters(client, viewer):
    """The queue shows empty slots with their top candidate; role and candidates filters work."""
    (c,) = _world()
    r = client.get(reverse("companies:slot_queue"), {"role_code": "CFO", "has_candidates": "yes"})
    assert r.status_code == 200
    rows = list(r.context["table"].page.object_list)
    assert len(rows) == 1 and rows[0].record.cand["top"]["full_name"] == "Dana 0"
    r = client.get(reverse("companies:slot_queue"), {"role_code": "CEO", "has_candidates": "yes"})
    assert len(list(r.context["table"].page.object_list)) == 0
    cov = r.context["coverage"]
    assert cov["overall"] == {"total": 3, "filled": 0, "pct": 0}


@pytest.mark.django_db
def test_company_list_filters(client, viewer):
    """Search by name/domain/Barton ID and coverage filter narrow the company list."""
    a, z = _world(2)
    a.refresh_from_db()
    services.slot_assign(
        slot_id=b.slot(a, "CFO").pk, contact_id=a.people.get(full_name="Dana 0").pk, actor="x"
    )

    def names(**params):
        r = client.get(reverse("companies:company_list"), params)
        assert r.status_code == 200
        return {row.record.company_name for row in r.context["table"].page.object_list}

    assert names(q="acme 1") == {"Acme 1"}
    assert names(q=a.company_unique_id) == {"Acme 0"}
    assert names(q=a.domain) == {"Acme 0"}
    assert names(coverage="1") == {"Acme 0"}
    assert names(coverage="0") == {"Acme 1"}
    assert names(has_green="yes") == {"Acme 0", "Acme 1"}


@pytest.mark.parametrize(
    "page", ["companies:company_list", "companies:slot_queue", "company", "slot"]
)
@pytest.mark.django_db
def test_pages_cost_the_same_queries_with_5_and_40_rows(
    client, coordinator, page, django_assert_num_queries
):
    """Query count of each page does not grow with the number of rows shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 40):
        companies = _world(n if not counts else n - 5)
        c = companies[0]
        for i in range(n):
            b.contact(f"Extra {i}", company=c, title="VP Finance")
        url = {
            "company": reverse("companies:company", args=[c.pk]),
            "slot": reverse("companies:slot", args=[b.slot(c, "CFO").pk]),
        }.get(page) or reverse(page)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"per_page": 100}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.owner
@pytest.mark.django_db
def test_company_page_costs_the_same_few_queries_with_a_short_or_long_history(client, coordinator):
    """The company page (slots, panels, history, timeline, lineage) costs at most 8 queries of
    its own, the same for 2 or 30 rows of every kind of history (issue 11;
    +1 in issue 16: the field provenance panel's one query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import rich

    counts = []
    for n in (2, 30):
        company, _ = rich.world(n)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("companies:company", args=[company.pk]))
        assert page.status_code == 200
        assert b"News 1" in page.content and b"Colleague 1 Rich" in page.content
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] <= 8, counts


@pytest.mark.django_db
def test_slot_queue_costs_three_own_queries_with_5_or_40_rows(client, coordinator):
    """The open-slot queue costs 3 own queries (page, candidate summary, one coverage aggregate)
    for 5 or 40 queued slots (issue 11, B5: ≤ 4 with BEGIN)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import rich

    counts = []
    for n in (5, 40):
        _world(n if not counts else n - 5)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("companies:slot_queue"), {"per_page": 100})
        assert r.status_code == 200
        assert len(r.context["table"].page.object_list) == min(3 * n, 100)
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] == 3, counts


@pytest.mark.django_db
def test_company_list_search_forgives_a_typo(client, viewer):
    """The list search finds "Bluebird Dental Group" from "bluebird dentl" (trigram word
    similarity, as the people list and the global search), and not an unrelated name."""
    b.company("Bluebird Dental Group", slots=False)
    b.company("Harbor Freight Logistics", slots=False)
    r = client.get(reverse("companies:company_list"), {"q": "bluebird dentl"})
    assert {row.record.company_name for row in r.context["table"].page.object_list} == {
        "Bluebird Dental Group"
    }
