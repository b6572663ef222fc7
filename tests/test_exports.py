"""CSV export of every list page (``?_export=csv``): as filtered, sorted, spreadsheet-safe and
at a bounded query cost."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketing.models import Campaign
from outreach_admin.exports import csv_safe
from tests import builders as b

LIST_URLS = [
    "companies:company_list",
    "companies:slot_queue",
    "people:contact_list",
    "people:resolution_list",
    "people:merge_list",
    "marketing:renewal_list",
    "marketing:campaign_list",
    "marketing:handoff_list",
    "marketing:booking_list",
    "intake:batch_list",
    "intake:audit_list",
    "intake:run_list",
    "signals:signal_list",
]


@pytest.fixture
def coordinator(client):
    u = b.user(group="coordinator")
    client.force_login(u)
    return u


def _world(n=3):
    for i in range(n):
        c = b.company(name=f"Acme {i}", renewal_month=(i % 12) + 1, industry="Retail")
        b.contact(f"Dana {i}", company=c, title="CFO", email_status="green")
    b.company(name='=HYPERLINK("http://evil.example","x")', industry="Fintech")
    Campaign.objects.create(name="+Spring push", type="renewal")


def _export(client, url):
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}_export=csv")
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(body[1:])))


def _page_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return len(list(response.context["table"].page.object_list))


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIST_URLS)
def test_every_list_exports_a_csv_with_header_and_the_page_rows(client, coordinator, name):
    """Each list exports a CSV whose header is the table's and whose rows are the list's rows."""
    _world()
    url = reverse(name)
    response, rows = _export(client, url)
    assert rows and rows[0] and all(rows[0])
    assert len(rows) - 1 == _page_rows(client, url)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].rstrip('"').endswith(".csv")


@pytest.mark.django_db
def test_company_export_respects_the_filter_and_names_the_file(client, coordinator):
    """A filtered company export holds exactly the filtered rows; the filename is dated."""
    _world(4)
    url = reverse("companies:company_list") + "?industry=Retail"
    response, rows = _export(client, url)
    assert rows[0][0] == "Company"
    assert sorted(r[0] for r in rows[1:]) == [f"Acme {i}" for i in range(4)]
    assert len(rows) - 1 == _page_rows(client, url)
    assert 'filename="company-' in response["Content-Disposition"]


@pytest.mark.django_db
def test_export_ignores_the_page_number_and_exports_every_page(client, coordinator):
    """The export is the whole filtered list, not the page on screen."""
    _world(6)
    url = reverse("companies:company_list") + "?per_page=2&page=2"
    _, rows = _export(client, url)
    assert len(rows) - 1 == 7


@pytest.mark.django_db
def test_export_follows_the_sort(client, coordinator):
    """The rows come out in the list's current sort order."""
    _world(3)
    _, rows = _export(client, reverse("companies:company_list") + "?sort=-company_name")
    names = [r[0] for r in rows[1:]]
    assert names == sorted(names, reverse=True)


@pytest.mark.django_db
def test_export_is_formula_safe(client, coordinator):
    """A company named like a formula comes out quote-prefixed, HTML stripped from cells."""
    _world(1)
    _, rows = _export(client, reverse("companies:company_list") + "?industry=Fintech")
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    _, rows = _export(client, reverse("marketing:campaign_list"))
    cells = [c for r in rows[1:] for c in r]
    assert "'+Spring push" in cells
    assert not any("<" in c and ">" in c for c in cells)


@pytest.mark.django_db
def test_export_row_cap_setting(client, coordinator, settings):
    """EXPORT_MAX_ROWS caps the rows and the response says it was truncated."""
    _world(5)
    settings.EXPORT_MAX_ROWS = 2
    response, rows = _export(client, reverse("companies:company_list"))
    assert len(rows) - 1 == 2
    assert response["X-Export-Truncated"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["companies:company_list", "companies:slot_queue"])
def test_export_costs_a_bounded_number_of_queries(client, coordinator, name):
    """Exporting 3 or 15 companies costs the same number of queries."""
    counts = []
    for n in (3, 15):
        _world(n)
        with CaptureQueriesContext(connection) as ctx:
            _export(client, reverse(name))
        counts.append(len(ctx))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_list_pages_show_an_export_link_keeping_the_filters(client, coordinator):
    """The list page links to the CSV of the same filters."""
    html = client.get(reverse("companies:company_list") + "?industry=Retail&page=2").content
    html = html.decode()
    assert "industry=Retail&amp;_export=csv" in html
    assert "page=2&amp;_export" not in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("-3", "'-3"), ("@x", "'@x"), ("\tx", "'\tx"), ("ok", "ok"), (None, "")],
)
def test_csv_safe_quotes_formula_starts(value, expected):
    """csv_safe quotes cells starting with = + - @ tab or CR and leaves others alone."""
    assert csv_safe(value) == expected
