"""The signals page: filters, bulk mark processed, permissions, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.services import pipeline
from signals import services
from signals.models import Signal
from tests import builders as b
from tests import rich
from tests.marketing.test_campaign_rules import renewal_company


@pytest.fixture
def coordinator_client(client):
    client.force_login(b.user(group="coordinator"))
    return client


def _signals(n):
    for _ in range(n):
        renewal_company()
    pipeline.signals_generate(actor="t")


@pytest.mark.django_db
def test_list_filters_by_company_reason_and_processed(coordinator_client):
    """Company, reason and processed filters narrow the list."""
    a = renewal_company(name="Alpha Dental")
    renewal_company(name="Beta Retail")
    pipeline.signals_generate(actor="t")
    Signal.objects.create(company=a, reason="funding_raised", signal_strength=60)
    services.signal_mark_processed(
        signal_ids=list(
            Signal.objects.filter(reason="funding_raised").values_list("pk", flat=True)
        ),
        actor="t",
    )
    url = reverse("signals:signal_list")

    def rows(query):
        response = coordinator_client.get(url + query)
        return list(response.context["table"].data)

    assert {s.company.company_name for s in rows("?company=alpha")} == {"Alpha Dental"}
    assert {s.reason for s in rows("?reason=funding")} == {"funding_raised"}
    assert {s.reason for s in rows("?processed=yes")} == {"funding_raised"}
    assert len(rows("?processed=no")) == 2


@pytest.mark.django_db
def test_bulk_mark_processed(coordinator_client):
    """Ticked signals are marked processed in one POST with a message saying how many."""
    _signals(3)
    ids = list(Signal.objects.values_list("pk", flat=True))[:2]
    response = coordinator_client.post(
        reverse("signals:signal_process"), {"signal": ids}, follow=True
    )
    assert "2 signals marked processed." in response.content.decode()
    assert Signal.objects.filter(processed_at__isnull=False).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"signal": ["x"]}])
def test_bad_process_input_changes_nothing(coordinator_client, data):
    """No or non-numeric ids give a clear message and change nothing."""
    _signals(1)
    response = coordinator_client.post(reverse("signals:signal_process"), data, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not Signal.objects.filter(processed_at__isnull=False).exists()


@pytest.mark.django_db
def test_viewer_403_and_anonymous_login(client):
    """Viewers get 403 on the POST and nothing changes; anonymous visitors go to login."""
    _signals(1)
    assert "/accounts/login/" in client.get(reverse("signals:signal_list"))["Location"]
    client.force_login(b.user(group="viewer"))
    ids = list(Signal.objects.values_list("pk", flat=True))
    assert client.post(reverse("signals:signal_process"), {"signal": ids}).status_code == 403
    assert not Signal.objects.filter(processed_at__isnull=False).exists()
    assert (
        "Mark selected processed" not in client.get(reverse("signals:signal_list")).content.decode()
    )


@pytest.mark.django_db
def test_signal_list_bounded_queries(coordinator_client):
    """The signals page costs the same number of queries for 5 and 40 signals."""
    counts = []
    for n in (5, 40):
        _signals(n - Signal.objects.count())
        assert Signal.objects.count() == n
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(reverse("signals:signal_list")).status_code == 200
        counts.append(len(rich.app_queries(ctx.captured_queries)))
    assert counts[0] == counts[1] == 1, counts  # the rows, no COUNT(*) (issue 11, B1)


@pytest.mark.parametrize("cursor", ["garbage", "abc:def", "x" * 500])
@pytest.mark.django_db
def test_bad_cursor_shows_the_first_page(coordinator_client, cursor):
    """A tampered or malformed pager cursor shows the first page of signals, never an error."""
    _signals(3)
    response = coordinator_client.get(reverse("signals:signal_list"), {"cursor": cursor})
    assert response.status_code == 200
    page = response.context["table"].page
    assert page.start_index() == 1 and not page.has_previous() and len(page) == 3
