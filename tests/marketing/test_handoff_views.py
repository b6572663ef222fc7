from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketing.models import AcHandoff, PipelineEvent
from marketing.services.handoffs import handoff_accept, handoff_reject, message_record
from tests import builders, rich
from tests.marketing.handoff_fixtures import (
    fast_password_hasher,  # noqa: F401 (autouse fixture)
    pending_handoff,
)

pytestmark = pytest.mark.django_db

LIST = reverse("marketing:handoff_list")


def page(pk):
    return reverse("marketing:handoff", args=[pk])


def action(name, pk):
    return reverse(f"marketing:handoff_{name}", args=[pk])


@pytest.fixture
def coordinator(client):
    user = builders.user("casey")
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client):
    user = builders.user("vic", group="viewer")
    client.force_login(user)
    return user


def age(handoff, days):
    """Back-date a handoff so it is past (or within) its SLA."""
    AcHandoff.objects.filter(pk=handoff.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_anonymous_is_sent_to_login(client):
    """Every handoff page needs a signed-in user."""
    handoff = pending_handoff()
    for url in [LIST, page(handoff.pk), action("accept", handoff.pk)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_puts_overdue_pending_first(client, coordinator):
    """Overdue pending handoffs come first, then pending, then decided ones."""
    fresh = pending_handoff(company_name="Fresh Co")
    old = pending_handoff(company_name="Old Co")
    decided = pending_handoff(company_name="Decided Co")
    age(old, 10)
    age(decided, 20)
    handoff_accept(handoff_id=decided.pk, actor="casey")
    response = client.get(LIST)
    assert response.status_code == 200
    rows = list(response.context["table"].rows)
    assert [r.record.pk for r in rows] == [old.pk, fresh.pk, decided.pk]
    assert rows[0].record.is_overdue and not rows[1].record.is_overdue
    body = response.content.decode()
    assert "overdue" in body and "Old Co" in body
    assert response.context["metrics"]["overdue"] == 1
    assert response.context["metrics"]["pending"] == 2


def test_list_metrics(client, coordinator):
    """Acceptance rate and median decision time come from the decisions, in SQL."""
    a, b, c = pending_handoff(), pending_handoff(), pending_handoff()
    handoff_accept(handoff_id=a.pk, actor="x")
    handoff_reject(handoff_id=b.pk, reason_code="other", note="n", actor="x")
    metrics = client.get(LIST).context["metrics"]
    assert metrics["decided"] == 2 and metrics["acceptance_rate"] == 50
    assert metrics["pending"] == 1 and c.status == "pending"
    assert metrics["median_decision"] != "—"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending&overdue=yes", ["old"]),
        ("status=pending&overdue=no", ["fresh"]),
        ("status=rejected&reviewed=week", ["rejected"]),
        ("assignee=me", ["mine"]),
        ("assignee=none&status=pending", ["old", "fresh"]),
        ("company=rejected+co", ["rejected"]),
        ("campaign=spring", ["mine"]),
    ],
)
def test_list_filters(client, coordinator, query, expected):
    """Status, overdue, reviewed-this-week, assignee, company and campaign filters."""
    made = {
        "fresh": pending_handoff(company_name="Fresh Co"),
        "old": pending_handoff(company_name="Old Co"),
        "rejected": pending_handoff(company_name="Rejected Co"),
        "mine": pending_handoff(company_name="Mine Co", campaign=True),
    }
    age(made["old"], 10)
    handoff_reject(handoff_id=made["rejected"].pk, reason_code="other", note="n", actor="x")
    AcHandoff.objects.filter(pk=made["mine"].pk).update(assigned_to=coordinator, status="accepted")
    response = client.get(f"{LIST}?{query}")
    names = {v: k for k, v in ((k, h.pk) for k, h in made.items())}
    assert sorted(names[r.record.pk] for r in response.context["table"].rows) == sorted(expected)


def test_list_query_count_is_bounded(client, coordinator, django_assert_max_num_queries):
    """The list costs the same number of queries for 3 or 30 handoffs."""

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        own = rich.app_queries(ctx.captured_queries)
        assert len(own) <= 3, own  # rows + metrics, no COUNT(*) (issue 11, B1: ≤ 4 with BEGIN)
        return len(ctx)

    for _ in range(3):
        pending_handoff(campaign=True)
    few = count()
    for _ in range(27):
        pending_handoff(campaign=True)
    assert count() == few
    with django_assert_max_num_queries(15):
        client.get(LIST)


def test_detail_shows_company_contact_booking_and_timeline(client, coordinator):
    """The page shows the company with its slots, the person, the booking and the timeline."""
    handoff = pending_handoff(campaign=True, company_name="Acme", person_name="Pat Lee")
    message_record(
        contact_id=handoff.contact_id,
        direction="inbound",
        channel="email",
        subject="Happy to talk",
        body="",
        actor="x",
    )
    response = client.get(page(handoff.pk))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "Acme",
        "Pat Lee",
        "via calendar",
        "Spring renewals",
        "Happy to talk",
        "Outreach timeline",
        'data-hotkey="a"',
        'data-hotkey="r"',
        'data-hotkey="c"',
    ]:
        assert text in body, text
    kinds = [e.kind for e in response.context["timeline"]]
    assert "booking" in kinds and "message_inbound" in kinds


def test_detail_query_count_same_for_5_and_40_events(client, coordinator):
    """The handoff page, timeline included, costs the same queries for 5 or 40 events."""
    handoff = pending_handoff(campaign=True)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page(handoff.pk)).status_code == 200
        return len(ctx), len(client.get(page(handoff.pk)).context["timeline"])

    few_queries, few_events = count()
    for i in range(35):
        message_record(
            contact_id=handoff.contact_id,
            direction="outbound",
            channel="phone",
            subject=f"Call {i}",
            body="",
            actor="x",
        )
    many_queries, many_events = count()
    assert few_events < 10 and many_events >= 40
    assert many_queries == few_queries


def test_accept_through_the_page(client, coordinator):
    """Accepting records the signed-in user and says so."""
    handoff = pending_handoff()
    response = client.post(
        action("accept", handoff.pk), {"expected_status": "pending", "note": "Great"}, follow=True
    )
    handoff.refresh_from_db()
    assert (handoff.status, handoff.reviewed_by) == ("accepted", "casey")
    assert f"Handoff #{handoff.pk} accepted." in response.content.decode()


def test_reject_without_reason_or_note_is_refused_and_keeps_input(client, coordinator):
    """A reject without reason or note changes nothing and shows the errors with the input kept."""
    handoff = pending_handoff()
    response = client.post(
        action("reject", handoff.pk), {"expected_status": "pending", "note": "kept text"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body and "kept text" in body
    response = client.post(action("reject", handoff.pk), {"reason_code": "no_show", "note": ""})
    assert "A note is required" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == "pending"
    assert not PipelineEvent.objects.filter(event_type="handoff_rejected").exists()


def test_reject_shows_reason_on_page(client, coordinator):
    """After a reject the page shows the reason and that the company is back in outreach."""
    handoff = pending_handoff()
    client.post(
        action("reject", handoff.pk),
        {"expected_status": "pending", "reason_code": "bad_timing", "note": "Next spring"},
    )
    body = client.get(page(handoff.pk)).content.decode()
    assert "Bad timing" in body and "back in outreach" in body and "Next spring" in body


def test_stale_page_gets_a_conflict_message(client, coordinator):
    """Closing from a page that still showed 'pending' after someone accepted is refused."""
    handoff = pending_handoff()
    handoff_accept(handoff_id=handoff.pk, actor="alice")
    response = client.post(
        action("close", handoff.pk), {"expected_status": "pending", "note": "x"}, follow=True
    )
    assert "was accepted by alice" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == "accepted"


def test_reassign_through_the_page(client, coordinator):
    """Reassigning picks a coordinator from the small select."""
    handoff = pending_handoff()
    bob = builders.user("bob")
    client.post(action("reassign", handoff.pk), {"expected_status": "pending", "user": bob.pk})
    handoff.refresh_from_db()
    assert handoff.assigned_to == bob


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accept", {"note": ""}),
        ("reject", {"reason_code": "other", "note": "x"}),
        ("close", {"note": "x"}),
        ("reassign", {"user": "1"}),
    ],
)
def test_viewer_gets_403_on_every_post(client, viewer, name, data):
    """Viewers see the page without buttons and every POST is refused; nothing changes."""
    handoff = pending_handoff()
    body = client.get(page(handoff.pk)).content.decode()
    assert 'data-hotkey="a"' not in body and "read-only access" in body
    assert client.post(action(name, handoff.pk), data).status_code == 403
    handoff.refresh_from_db()
    assert handoff.status == "pending" and handoff.assigned_to is None
    assert not PipelineEvent.objects.filter(event_type__startswith="handoff_").exists()


def test_unknown_handoff_is_404(client, coordinator):
    """An unknown handoff page is a 404; a POST to it says it does not exist."""
    assert client.get(page(999999)).status_code == 404
    response = client.post(action("accept", 999999), {}, follow=True)
    assert "Handoff #999999 does not exist." in response.content.decode()


def test_bad_expected_status_is_a_form_error(client, coordinator):
    """A tampered hidden status is refused as bad input, nothing changed."""
    handoff = pending_handoff()
    response = client.post(action("accept", handoff.pk), {"expected_status": "bogus"})
    assert response.status_code == 400
    handoff.refresh_from_db()
    assert handoff.status == "pending"


def test_bad_filter_values_show_an_error(client, coordinator):
    """Unknown filter values give a form error and an empty list, not a 500."""
    pending_handoff()
    response = client.get(f"{LIST}?assignee=abc&status=bogus")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["table"].rows) == 0


@pytest.mark.owner
def test_detail_costs_the_same_few_queries_with_a_short_or_long_history(client, coordinator):
    """The handoff page (handoff, slots, timeline of company and person) costs at most 7
    queries of its own, the same for 2 or 30 rows of every kind of history (issue 11, B7)."""
    from marketing.models import AcHandoff
    from tests import rich

    counts = []
    for n in (2, 30):
        company, person = rich.world(n)
        handoff = AcHandoff.objects.filter(company=company, contact=person).first()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page(handoff.pk))
        assert response.status_code == 200
        assert len(response.context["timeline"]) >= 2 * n
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] <= 7, counts


@pytest.mark.parametrize("cursor", ["garbage", "abc:def", "x" * 500])
def test_bad_cursor_shows_the_first_page(client, coordinator, cursor):
    """A tampered or malformed pager cursor shows the first page, never an error."""
    for _ in range(2):
        pending_handoff(campaign=True)
    response = client.get(LIST, {"cursor": cursor, "when": ""})
    assert response.status_code == 200
    page = response.context["table"].page
    assert page.start_index() == 1 and not page.has_previous() and len(page) == 2


def test_accept_through_the_page_assigns_it_to_me(client, coordinator):
    """Accept on the page makes the signed-in coordinator the assignee; the event names them."""
    handoff = pending_handoff()
    body = client.get(page(handoff.pk)).content.decode()
    assert "Accepting assigns it to you." in body
    client.post(action("accept", handoff.pk), {"expected_status": "pending", "note": ""})
    handoff.refresh_from_db()
    assert handoff.status == "accepted" and handoff.assigned_to == coordinator
    event = PipelineEvent.objects.get(event_type="handoff_accepted")
    assert event.event_data["actor"] == "casey" and event.event_data["to_user"] == "casey"


def test_accepting_someone_elses_handoff_says_whose_it_is(client, coordinator):
    """The page warns and the accept is refused with the assignee's name; nothing changes."""
    from marketing.services.handoffs import handoff_reassign

    handoff = pending_handoff()
    dana = builders.user("dana")
    handoff_reassign(handoff_id=handoff.pk, user_id=dana.pk, actor="lead")
    body = client.get(page(handoff.pk)).content.decode()
    assert "Assigned to dana: reassign it to yourself before accepting." in body
    response = client.post(
        action("accept", handoff.pk), {"expected_status": "pending", "note": ""}, follow=True
    )
    assert "is assigned to dana; nothing was accepted" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == "pending" and handoff.assigned_to == dana


def test_assignee_pickers_list_only_active_coordinators_and_admins(client, coordinator):
    """The reassign select and the list's bulk-assign select offer active coordinators and
    admins, never viewers or inactive users, and no typed username."""
    handoff = pending_handoff()
    dana = builders.user("dana")
    vic = builders.user("vic", group="viewer")
    gone = builders.user("gone", is_active=False)
    for body in (
        client.get(page(handoff.pk)).content.decode(),
        client.get(LIST).content.decode(),
    ):
        assert f'<option value="{dana.pk}">dana</option>' in body
        assert f'<option value="{coordinator.pk}">casey</option>' in body
        assert f'<option value="{vic.pk}"' not in body and f'<option value="{gone.pk}"' not in body
    assert 'name="assignee" required autocomplete' not in client.get(LIST).content.decode()


@pytest.mark.parametrize("bad", ["999999", "abc", "", "1e3", "99999999999999999999999"])
def test_reassign_to_a_bad_user_id_is_a_form_error(client, coordinator, bad):
    """An unknown or junk user id is a form error on the page (400), not a 500; nothing
    changes."""
    handoff = pending_handoff()
    response = client.post(
        action("reassign", handoff.pk), {"expected_status": "pending", "user": bad}
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.assigned_to is None


def test_reassign_to_a_viewer_is_a_form_error(client, coordinator):
    """A viewer's id (not in the select) is refused by the form."""
    handoff = pending_handoff()
    vic = builders.user("vic", group="viewer")
    response = client.post(
        action("reassign", handoff.pk), {"expected_status": "pending", "user": vic.pk}
    )
    assert response.status_code == 400
    assert "Choose an active coordinator or admin from the list." in response.content.decode()
    handoff.refresh_from_db()
    assert handoff.assigned_to is None


def test_assigned_to_me_count_and_filter(client, coordinator):
    """ "Assigned to me" counts my pending and accepted handoffs (not others', not closed) and
    its link lists exactly those."""
    from marketing.services.handoffs import handoff_close, handoff_reassign

    dana = builders.user("dana")
    mine_pending = pending_handoff(company_name="Mine P")
    mine_accepted = pending_handoff(company_name="Mine A")
    mine_closed = pending_handoff(company_name="Mine C")
    theirs = pending_handoff(company_name="Theirs")
    pending_handoff(company_name="Nobody's")
    for h in (mine_pending, mine_closed):
        handoff_reassign(handoff_id=h.pk, user_id=coordinator.pk, actor="lead")
    handoff_reassign(handoff_id=theirs.pk, user_id=dana.pk, actor="lead")
    handoff_accept(handoff_id=mine_accepted.pk, actor="casey", user_id=coordinator.pk)
    handoff_close(handoff_id=mine_closed.pk, actor="casey", note="duplicate")
    response = client.get(LIST)
    assert response.context["metrics"]["mine"] == 2
    assert 'data-metric="mine"' in response.content.decode()
    listed = client.get(response.context["mine_url"]).context["table"].rows
    assert {row.record.pk for row in listed} == {mine_pending.pk, mine_accepted.pk}
