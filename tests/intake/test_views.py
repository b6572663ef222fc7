"""Intake pages: batches, batch promote, load lineage, audit log, runs, queues and CSV export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake import selectors
from intake.models import PleCycle, PleLog, PleStep, RawLoad
from intake.services import batch_ingest
from people.models import Contact
from tests import builders as b
from tests import rich

ROWS = [
    {
        "email": "ann@acme.example",
        "name": "Ann Lee",
        "title": "Chief Financial Officer",
        "company": "Acme",
        "website": "https://acme.example",
    },
    {"email": "bo@acme.example", "name": "Bo Chen", "title": "Engineer"},
    {"email": "not-an-email@", "name": "Broken"},
]


@pytest.fixture
def coordinator(client, db):
    client.force_login(b.user(group="coordinator"))
    return client


@pytest.fixture
def viewer(client, db):
    client.force_login(b.user(group="viewer"))
    return client


def ingest(batch="b-1", rows=ROWS, source="apollo"):
    return batch_ingest(rows=rows, source=source, batch_id=batch)


def promote(client, batch="b-1", **extra):
    data = {"batch_id": batch, "scope": "batch", **extra}
    return client.post(reverse("intake:batch_promote"), data)


def test_batch_list_aggregates_counts(coordinator):
    """The batch list shows one row per batch with counts by status, aggregated in SQL."""
    ingest("b-1")
    ingest("b-2", rows=[ROWS[0]])
    response = coordinator.get(reverse("intake:batch_list"))
    assert response.status_code == 200
    rows = {r["batch_id"]: r for r in response.context["table"].data.data}
    assert (rows["b-1"]["total"], rows["b-1"]["n_pending"]) == (3, 3)
    assert (rows["b-2"]["n_duplicate"], rows["b-2"]["sources"]) == (1, "apollo")


def test_batch_list_filters(coordinator):
    """Filters by source and by status present in the batch."""
    ingest("b-1")
    ingest("b-2", rows=[{"email": "z@z.example"}], source="apify")
    response = coordinator.get(reverse("intake:batch_list"), {"source": "apify"})
    assert [r["batch_id"] for r in response.context["table"].data.data] == ["b-2"]
    response = coordinator.get(reverse("intake:batch_list"), {"status": "duplicate"})
    assert list(response.context["table"].data.data) == []


@pytest.mark.parametrize("url_name", ["intake:batch_list", "intake:audit_list", "intake:run_list"])
def test_list_pages_cost_the_same_queries_for_5_or_40_rows(coordinator, url_name):
    """A list page costs a fixed number of queries whatever the number of rows."""

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator.get(reverse(url_name)).status_code == 200
        own = rich.app_queries(ctx.captured_queries)
        assert len(own) == 1, own  # the rows, no COUNT(*) (issue 11, B1: ≤ 4 with BEGIN)
        return len(ctx)

    for i in range(5):
        ingest(f"q-{i}", rows=[{"email": f"p{i}@x.example"}])
        PleCycle.objects.create(cycle_name=f"run {i}", counts={"rows": i})
    small = count()
    for i in range(5, 40):
        ingest(f"q-{i}", rows=[{"email": f"p{i}@x.example"}])
        PleCycle.objects.create(cycle_name=f"run {i}")
    assert count() == small


def test_batch_page_shows_rows_and_bounded_queries(coordinator, django_assert_max_num_queries):
    """The batch page lists each load with its result, in a bounded number of queries."""
    ingest()
    ingest("b-2", rows=[ROWS[0]])
    with django_assert_max_num_queries(12):
        response = coordinator.get(reverse("intake:batch", args=["b-2"]))
    html = response.content.decode()
    first = RawLoad.objects.filter(batch_id="b-1").order_by("load_id").first()
    assert f'href="{reverse("intake:load", args=[first.pk])}"' in html
    assert "duplicate of" in html


def test_unknown_batch_is_404(coordinator):
    """A batch id with no loads is a 404."""
    assert coordinator.get(reverse("intake:batch", args=["nope"])).status_code == 404


def test_promote_batch_reports_counts_and_golden_records(coordinator):
    """Promoting a batch shows promoted/updated/failed and links the records it created."""
    ingest()
    response = promote(coordinator)
    assert response.status_code == 302
    page = coordinator.get(response.url)
    text = " ".join(str(m) for m in page.context["messages"])
    assert "2 new vault contacts, 0 updated, 1 failed" in text
    html = page.content.decode()
    assert "Golden records created or changed" in html
    assert "acme.example" in html
    statuses = dict(RawLoad.objects.values_list("raw_data__email", "status"))
    assert statuses["ann@acme.example"] == "promoted"
    assert statuses["not-an-email@"] == "failed"
    assert "invalid email format" in html


def test_promote_selected_only_touches_selection(coordinator):
    """Promote selected promotes only the chosen pending loads of that batch."""
    ingest()
    ann = RawLoad.objects.get(raw_data__email="ann@acme.example")
    other = ingest("b-9", rows=[{"email": "x@other.example"}]).rows[0].load_id
    promote(coordinator, scope="selected", load_ids=[ann.pk, other])
    assert dict(RawLoad.objects.values_list("load_id", "status")) == {
        **{r.pk: "pending" for r in RawLoad.objects.exclude(pk=ann.pk)},
        ann.pk: "promoted",
    }


def test_promote_selected_without_selection_is_refused(coordinator):
    """Promote selected with nothing ticked changes nothing and says why."""
    ingest()
    response = promote(coordinator, scope="selected")
    page = coordinator.get(response.url)
    assert "Select at least one load" in " ".join(str(m) for m in page.context["messages"])
    assert not RawLoad.objects.exclude(status="pending").exists()


def test_promote_with_nothing_pending_says_so(coordinator):
    """A second promotion of the same batch has nothing pending: a clear message."""
    ingest()
    promote(coordinator)
    page = coordinator.get(promote(coordinator).url)
    assert "no pending loads" in " ".join(str(m) for m in page.context["messages"])


def test_viewer_cannot_promote(viewer):
    """A viewer's promote POST is 403 and nothing is promoted."""
    ingest()
    assert promote(viewer).status_code == 403
    assert not RawLoad.objects.exclude(status="pending").exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("intake:batch_list"),
        reverse("intake:audit_list"),
        reverse("intake:run_list"),
        reverse("intake:queue_list"),
        reverse("intake:batch", args=["b-1"]),
    ],
)
def test_anonymous_is_sent_to_login(client, db, url):
    """Every intake page needs a login."""
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_load_page_and_contact_lineage(coordinator):
    """After promotion a load names the person it fed, and the person's lineage names the load."""
    ingest()
    promote(coordinator)
    ann = RawLoad.objects.get(raw_data__email="ann@acme.example")
    person = Contact.objects.get(email="ann@acme.example")
    page = coordinator.get(reverse("intake:load", args=[ann.pk]))
    assert page.context["vault"].people_contact_id == person.pk
    assert {e.event_type for e in page.context["events"]} >= {"contact_created"}
    lineage = selectors.lineage_for_contact(person.pk)
    assert [(row["load_id"], row["batch_id"], row["source"]) for row in lineage] == [
        (ann.pk, "b-1", "apollo")
    ]
    assert "contact_created" in lineage[0]["events"]
    company_lineage = selectors.lineage_for_company(person.company_id)
    assert ann.pk in {row["load_id"] for row in company_lineage}


def test_audit_log_filters(coordinator):
    """The audit log lists ingests and promotions and filters by action and batch."""
    ingest()
    promote(coordinator)
    response = coordinator.get(reverse("intake:audit_list"), {"action": "batch_promoted"})
    rows = list(response.context["table"].data.data)
    assert [r.action for r in rows] == ["batch_promoted"]
    response = coordinator.get(reverse("intake:audit_list"), {"batch_id": "nothing"})
    assert list(response.context["table"].data.data) == []


def test_run_detail_shows_steps_and_logs(coordinator):
    """A run page lists its steps with counts and log lines."""
    run = PleCycle.objects.create(cycle_name="duplicate scan", status="completed")
    step = PleStep.objects.create(cycle=run, step_name="block", counts={"pairs": 4})
    PleLog.objects.create(step=step, message="found 4 pairs")
    html = coordinator.get(reverse("intake:run", args=[run.pk])).content.decode()
    assert (
        "duplicate scan" in html
        and "4 pairs" in html
        and "pairs=4" not in html
        and "found 4 pairs" in html
    )


def test_queue_page_sizes_and_csv_export_is_formula_safe(coordinator):
    """Queue sizes are counted; CSV cells starting with = + - @ are quote-prefixed."""
    b.company('=HYPERLINK("x")', website_url="https://evil.example")
    response = coordinator.get(reverse("intake:queue_list"))
    sizes = {key: size for key, _, size in response.context["queues"]}
    assert sizes["company_urls"] >= 1
    export = coordinator.get(
        reverse("intake:queue_list"), {"queue": "company_urls", "format": "csv"}
    )
    body = b"".join(export.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["record_id", "name"]
    assert [r[1] for r in rows[1:] if "HYPERLINK" in r[1]] == ['\'=HYPERLINK("x")']


def test_queue_filters(coordinator):
    """The queue filters by type and search text."""
    b.company("Acme", website_url="https://acme.example", linkedin_url="https://li/acme")
    response = coordinator.get(
        reverse("intake:queue_list"), {"queue": "company_urls", "kind": "linkedin", "q": "acme"}
    )
    assert [r["kind"] for r in response.context["rows"]] == ["linkedin"]


@pytest.mark.parametrize("url_name", ["intake:batch_list", "intake:audit_list", "intake:run_list"])
@pytest.mark.parametrize("cursor", ["garbage", "abc:def", "x" * 500])
def test_bad_cursor_or_page_shows_the_first_page(coordinator, url_name, cursor):
    """A tampered pager cursor or a bad page number shows the first page, never an error."""
    ingest("c-1", rows=[{"email": "c1@x.example"}])
    PleCycle.objects.create(cycle_name="run c")
    for params in ({"cursor": cursor}, {"page": cursor}):
        response = coordinator.get(reverse(url_name), params)
        assert response.status_code == 200
        page = response.context["table"].page
        assert not page.has_previous() and len(page) >= 1


def test_queue_sizes_stop_counting_past_the_cap(coordinator, monkeypatch):
    """Queue sizes are counted up to the cap only; above it the tab says "N+" (issue 11, B1)."""
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 2)
    for i in range(3):
        b.company(f"Due {i}", website_url=f"https://due{i}.example")
    response = coordinator.get(reverse("intake:queue_list"))
    sizes = {key: size for key, _, size in response.context["queues"]}
    assert sizes["company_urls"] == 3  # cap + 1: "more than the cap"
    assert "2+</span>" in response.content.decode()
    assert coordinator.get(reverse("intake:queue_list"), {"page": "99999"}).status_code == 200
