import pytest
from django.urls import reverse

from people.models import Contact, MergeLog, ResolutionQueue
from people.services import person_merge
from tests import builders

pytestmark = pytest.mark.django_db


def _pair(a, b, **extra):
    extra.setdefault("conflict_type", "email")
    extra.setdefault(
        "evidence",
        {"email": {"result": "equal"}, "name": {"result": "equal"}, "rules": ["same_email"]},
    )
    return ResolutionQueue.objects.create(
        contact_primary=a, contact_duplicate=b, score=0.95, **extra
    )


def _pairs(n):
    company = builders.company()
    made = []
    for i in range(n):
        a = builders.contact(f"Pair Person {i}", company=company)
        b = builders.contact(f"Pair Persn {i}", company=company)
        made.append(_pair(a, b))
    return made


@pytest.fixture
def coordinator(client):
    client.force_login(builders.user(group="coordinator"))
    return client


@pytest.fixture
def viewer(client):
    client.force_login(builders.user(group="viewer"))
    return client


def test_anonymous_is_sent_to_login(client):
    """Every people page needs a signed-in user."""
    response = client.get(reverse("people:resolution_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("n", [5, 40])
def test_queue_query_count_is_bounded(coordinator, django_assert_max_num_queries, n):
    """The duplicates queue costs the same number of queries for 5 or 40 pairs."""
    _pairs(n)
    with django_assert_max_num_queries(12):
        response = coordinator.get(reverse("people:resolution_list"))
    assert response.status_code == 200
    assert response.content.count(b"data-pair-url") == n


@pytest.mark.parametrize("n", [5, 40])
def test_contact_list_query_count_is_bounded(coordinator, django_assert_max_num_queries, n):
    """The people list costs the same number of queries for 5 or 40 people."""
    for _ in range(n):
        builders.contact(company=builders.company(slots=False))
    with django_assert_max_num_queries(10):
        response = coordinator.get(reverse("people:contact_list"), {"q": "Person"})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 40])
def test_merge_log_query_count_is_bounded(coordinator, django_assert_max_num_queries, n):
    """The merge log list costs a fixed number of queries."""
    for _ in range(n):
        person_merge(
            survivor_id=builders.contact().pk, absorbed_id=builders.contact().pk, actor="t"
        )
    with django_assert_max_num_queries(10):
        assert coordinator.get(reverse("people:merge_list")).status_code == 200


def test_queue_filters(coordinator):
    """The queue shows pending pairs by default and filters by type, company and score."""
    p1, p2 = _pairs(2)
    p2.resolution_status = "deferred"
    p2.save()
    body = coordinator.get(reverse("people:resolution_list")).content.decode()
    assert f"/duplicates/{p1.pk}/" in body and f"/duplicates/{p2.pk}/" not in body
    body = coordinator.get(reverse("people:resolution_list"), {"status": "deferred"}).content
    assert f"/duplicates/{p2.pk}/".encode() in body
    body = coordinator.get(
        reverse("people:resolution_list"), {"status": "", "score_min": "0.99"}
    ).content
    assert b"data-pair-url" not in body
    body = coordinator.get(reverse("people:resolution_list"), {"conflict_type": "phone"}).content
    assert b"data-pair-url" not in body


def test_compare_page_and_merge_then_undo(coordinator):
    """Compare shows both people and the impact; merging and undoing work through the views."""
    a = builders.contact("Kate Holloway", email="kate@holloway.example", title="CEO")
    b = builders.contact("Katherine Holloway", email="k.holloway@holloway.example")
    pair = _pair(a, b)
    page = coordinator.get(reverse("people:resolution", args=[pair.pk]))
    assert page.status_code == 200
    assert b"Kate Holloway" in page.content and b"Impact of merging" in page.content
    survivor, absorbed = page.context["survivor"], page.context["absorbed"]
    response = coordinator.post(
        reverse("people:person_merge"),
        {
            "survivor_id": survivor.pk,
            "absorbed_id": absorbed.pk,
            "resolution_id": pair.pk,
            "field_full_name": "absorbed",
        },
    )
    log = MergeLog.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/merges/{log.pk}/")
    assert Contact.objects.get(pk=survivor.pk).full_name == absorbed.full_name
    assert coordinator.get(reverse("people:merge", args=[log.pk])).status_code == 200
    response = coordinator.post(reverse("people:merge_undo", args=[log.pk]), follow=True)
    assert b"undone" in response.content
    assert Contact.objects.get(pk=absorbed.pk).status == "active"
    response = coordinator.post(reverse("people:merge_undo", args=[log.pk]), follow=True)
    assert b"already undone" in response.content


def test_not_duplicate_and_defer_views(coordinator):
    """Not-a-duplicate and defer buttons change the pair and move on."""
    p1, p2 = _pairs(2)
    coordinator.post(reverse("people:resolution_not_duplicate", args=[p1.pk]))
    coordinator.post(reverse("people:resolution_defer", args=[p2.pk]))
    assert ResolutionQueue.objects.get(pk=p1.pk).resolution_status == "not_duplicate"
    assert ResolutionQueue.objects.get(pk=p2.pk).resolution_status == "deferred"


def test_bad_input_gives_a_message_and_changes_nothing(coordinator):
    """Unknown ids or non-numeric input: a clear message, nothing changed, never a 500."""
    a, b = builders.contact(), builders.contact()
    response = coordinator.post(
        reverse("people:person_merge"), {"survivor_id": "abc", "absorbed_id": b.pk}, follow=True
    )
    assert b"incomplete or invalid" in response.content
    response = coordinator.post(
        reverse("people:person_merge"), {"survivor_id": a.pk, "absorbed_id": 987654}, follow=True
    )
    assert b"does not exist" in response.content
    response = coordinator.post(
        reverse("people:person_merge"), {"survivor_id": a.pk, "absorbed_id": a.pk}, follow=True
    )
    assert b"itself" in response.content
    response = coordinator.post(reverse("people:resolution_defer", args=[987654]), follow=True)
    assert b"does not exist" in response.content
    response = coordinator.post(reverse("people:merge_undo", args=[987654]), follow=True)
    assert b"does not exist" in response.content
    response = coordinator.post(
        reverse("people:bulk_merge"), {"resolution_ids": "x y"}, follow=True
    )
    assert b"must be numbers" in response.content
    assert coordinator.get(reverse("people:resolution", args=[987654])).status_code == 404
    assert not Contact.objects.filter(status="merged").exists()


def test_bulk_merge_preview_then_confirm(coordinator):
    """Bulk merge previews the unambiguous pairs, then merges them with a result per row."""
    pairs = _pairs(3)
    preview = coordinator.get(reverse("people:bulk_merge"))
    assert preview.status_code == 200 and b"Merge these pairs" in preview.content
    assert Contact.objects.filter(status="merged").count() == 0
    ids = " ".join(str(p.pk) for p in pairs)
    done = coordinator.post(reverse("people:bulk_merge"), {"resolution_ids": ids})
    assert done.status_code == 200 and b"Bulk merge: 3 of 3" in done.content
    assert Contact.objects.filter(status="merged").count() == 3


def test_viewer_sees_but_cannot_act(viewer):
    """Viewers can read every page; every POST is 403 and nothing changes."""
    a, b = builders.contact(), builders.contact()
    pair = _pair(a, b)
    log = person_merge(
        survivor_id=builders.contact().pk, absorbed_id=builders.contact().pk, actor="t"
    )
    for name, args in [
        ("people:resolution_list", []),
        ("people:resolution", [pair.pk]),
        ("people:contact_list", []),
        ("people:contact", [a.pk]),
        ("people:merge", [log.pk]),
        ("people:merge_list", []),
    ]:
        assert viewer.get(reverse(name, args=args)).status_code == 200, name
    posts = [
        (reverse("people:person_merge"), {"survivor_id": a.pk, "absorbed_id": b.pk}),
        (reverse("people:resolution_not_duplicate", args=[pair.pk]), {}),
        (reverse("people:resolution_defer", args=[pair.pk]), {}),
        (reverse("people:merge_undo", args=[log.pk]), {}),
        (reverse("people:bulk_merge"), {"resolution_ids": str(pair.pk)}),
        (reverse("intake:detect_duplicates"), {}),
    ]
    for url, data in posts:
        assert viewer.post(url, data).status_code == 403, url
    assert ResolutionQueue.objects.get(pk=pair.pk).resolution_status == "pending"
    assert MergeLog.objects.get(pk=log.pk).undone_at is None


def test_admin_runs_the_detector_from_the_queue(client):
    """An admin's scan button runs the detector and reports the counts."""
    client.force_login(builders.user(group="admin"))
    builders.contact("Liz Carter", email="liz.carter+a@carter.example")
    builders.contact("Elizabeth Carter", email="liz.carter@carter.example")
    response = client.post(reverse("intake:detect_duplicates"), follow=True)
    assert b"1 new" in response.content
    coordinator = builders.user(group="coordinator")
    client.force_login(coordinator)
    assert client.post(reverse("intake:detect_duplicates")).status_code == 403


def test_contact_page_shows_similar_people(coordinator):
    """The person page lists trigram-similar people and its sections."""
    a = builders.contact("Jonathan Whitaker")
    builders.contact("Jonathon Whitaker")
    page = coordinator.get(reverse("people:contact", args=[a.pk]))
    assert page.status_code == 200
    assert b"Jonathon Whitaker" in page.content and b"History" in page.content


@pytest.mark.owner
def test_person_page_costs_the_same_few_queries_with_a_short_or_long_history(coordinator):
    """The person page (panels, similar names, timeline, lineage) costs at most 8 queries of its
    own, the same for 2 or 30 rows of every kind of history (issue 11;
    +1 in issue 16: the field provenance panel's one query)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import rich

    counts = []
    for n in (2, 30):
        _, person = rich.world(n)
        with CaptureQueriesContext(connection) as ctx:
            page = coordinator.get(reverse("people:contact", args=[person.pk]))
        assert page.status_code == 200
        assert b"Hello 1" in page.content and f"Rich campaign {n}".encode() in page.content
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] <= 8, counts


@pytest.mark.django_db
def test_duplicates_queue_order_has_a_matching_index():
    """The duplicates queue's keyset order (score DESC, resolution_id), with or without the
    status filter, has an index ending in the tie-breaker (people 0007)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'people'"
            " AND tablename = 'resolution_queue'"
        )
        defs = [row[0] for row in cursor.fetchall()]
    assert any("(resolution_status, score DESC, resolution_id)" in d for d in defs), defs
    assert any("(score DESC, resolution_id)" in d and "status" not in d for d in defs), defs


@pytest.mark.parametrize("nxt", ["0", "#5", "a b", "people:contact_list", "//evil.example/x"])
def test_pair_action_ignores_a_next_that_is_not_a_local_path(coordinator, nxt):
    """A 'next' that is not a path on this site is ignored: the action is done and the user
    lands on the queue's next pair, never a 500 (relative values once reached reverse())."""
    (pair,) = _pairs(1)
    resp = coordinator.post(reverse("people:resolution_defer", args=[pair.pk]), {"next": nxt})
    assert resp.status_code == 302
    assert resp.url == reverse("people:resolution_list")
    assert ResolutionQueue.objects.get(pk=pair.pk).resolution_status == "deferred"


def test_pair_action_with_an_invalid_form_changes_nothing(coordinator):
    """An invalid form (a NUL in 'next') gets a message and leaves the pair pending."""
    (pair,) = _pairs(1)
    resp = coordinator.post(
        reverse("people:resolution_defer", args=[pair.pk]), {"next": "/x\x00"}, follow=True
    )
    assert "nothing changed" in resp.content.decode()
    assert ResolutionQueue.objects.get(pk=pair.pk).resolution_status == "pending"


@pytest.mark.parametrize("survivor", ["²", "١٢", "99999999999999999999", "-1", "x"])
def test_compare_page_ignores_a_bad_survivor_parameter(coordinator, survivor):
    """?survivor= that is no valid id is ignored (default survivor), never a 500."""
    (pair,) = _pairs(1)
    url = reverse("people:resolution", args=[pair.pk])
    assert coordinator.get(url, {"survivor": survivor}).status_code == 200


def test_person_page_messages_panel_does_not_hide_flash_messages(coordinator):
    """The person page lists the person's messages without shadowing Django's flash messages."""
    from marketing.models import MessageLog

    person = builders.contact("Panel Person", company=builders.company())
    MessageLog.objects.create(contact=person, subject="Renewal hello")
    response = coordinator.get(reverse("people:contact", args=[person.pk]))
    assert response.status_code == 200
    assert b"Renewal hello" in response.content
    assert b"{&#x27;" not in response.content and b"message_id" not in response.content


@pytest.mark.parametrize("query", ["Margret Holloway", "holowaY", "M.Holloway@north", "olloway"])
def test_contact_list_search_forgives_typos(coordinator, query):
    """Rule: the people list search finds a person by a part of the name, a name with a typo
    (as the global search does), or a part of the e-mail; an unrelated person is not listed
    (issue 17 finding: the list search did not forgive typos)."""
    builders.contact("Margaret Holloway", email="m.holloway@northwind.example")
    builders.contact("Peter Lindqvist", email="peter@contoso.example")
    html = coordinator.get(reverse("people:contact_list"), {"q": query}).content.decode()
    assert "Margaret Holloway" in html
    assert "Peter Lindqvist" not in html


@pytest.mark.parametrize(
    "evidence, conflict, shown",
    [
        ({"rules": ["same_email", "same_phone"]}, "email", ["same e-mail", "same phone"]),
        ({"name_similarity": 0.8}, "name_company", ["similar name, same company"]),
        ({}, "linkedin", ["same LinkedIn profile"]),
    ],
)
def test_compare_page_says_why_the_pair_matched(coordinator, evidence, conflict, shown):
    """Rule: the compare page names the detector's rules in words, and a pair queued without
    rules (demo or older rows) the rule its conflict type implies, never "—" (issue 17)."""
    a = builders.contact("Ann Reason", email="ann@reason.example")
    b = builders.contact("Anne Reason", email="anne@reason.example")
    pair = _pair(a, b, conflict_type=conflict, evidence=evidence)
    html = coordinator.get(reverse("people:resolution", args=[pair.pk])).content.decode()
    why = html.split("Why they matched:")[1].split("</span>\n")[0]
    assert all(words in why for words in shown), why
    assert "—" not in why


def test_compare_page_defaults_to_the_more_complete_name(coordinator):
    """Rule: the default pick for a name is the more complete one, whichever side it is on
    (issue 17: the compare page defaulted to the absorbed record's shorter name)."""
    from people.selectors import merge_defaults

    kate = builders.contact("Kate Holloway", email="kate@holloway.example")
    katherine = builders.contact("Katherine Holloway", email="k.holloway@holloway.example")
    for survivor, absorbed, side in ((kate, katherine, "absorbed"), (katherine, kate, "survivor")):
        picks = merge_defaults(survivor_id=survivor.pk, absorbed_id=absorbed.pk)
        assert picks["full_name"] == side
    pair = _pair(kate, katherine)
    page = coordinator.get(reverse("people:resolution", args=[pair.pk]))
    survivor = page.context["survivor"]
    picked = [r for r in page.context["rows"] if r["name"] == "full_name"][0]
    chosen = survivor if picked["default"] == "survivor" else page.context["absorbed"]
    assert chosen.full_name == "Katherine Holloway"


def test_queue_shows_why_and_the_evidence_per_field(coordinator):
    """Each queued pair says which rule queued it and the field-by-field evidence, from the
    stored evidence (no query per row)."""
    company = builders.company(slots=False)
    a = builders.contact("Dana Whitfield", company=company)
    c = builders.contact("Dana Whitfeld", company=company)
    ResolutionQueue.objects.create(
        contact_primary=a,
        contact_duplicate=c,
        conflict_type="name_company",
        score=0.8,
        evidence={
            "rules": ["similar_name_same_company"],
            "name": {"result": "similar", "score": 0.8},
            "email": {"result": "different"},
            "company": {"result": "equal"},
            "linkedin": {"result": "missing"},
        },
    )
    html = coordinator.get(reverse("people:resolution_list")).content.decode()
    assert "similar name, same company" in html
    assert "name similar · e-mail differs · company same" in html
    assert "linkedin missing" not in html.lower()


def test_closed_pair_page_names_its_status_in_words(coordinator):
    """A pair marked not a duplicate reads "not duplicate", not the stored "not_duplicate"."""
    company = builders.company(slots=False)
    pair = ResolutionQueue.objects.create(
        contact_primary=builders.contact("Ari Lund", company=company),
        contact_duplicate=builders.contact("Ari Lund", company=company),
        conflict_type="name_company",
        score=0.9,
        resolution_status="not_duplicate",
        resolved_by="dana",
    )
    html = coordinator.get(reverse("people:resolution", args=[pair.pk])).content.decode()
    assert "not duplicate by dana" in html and "This pair is not duplicate" in html
    assert "not_duplicate" not in html.replace('value="not_duplicate"', "")
