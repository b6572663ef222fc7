"""Only http(s) URLs become links (issue 19): a stored ``javascript:`` or ``data:`` URL is shown
as text on the record pages, never as an ``href``."""

import pytest
from django.test import Client

from companies.models import CompanyIntelligence
from outreach_admin.templatetags.links import http_url
from tests import builders as b


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://news.example/a?b=1", "https://news.example/a?b=1"),
        ("HTTP://Acme.example", "HTTP://Acme.example"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//evil.example/x", ""),
        ("https://evil.example/\u0000", ""),
        (" https://lead.example", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_http_url_keeps_only_http_links(value, expected):
    """The filter passes an absolute http(s) URL through and blanks everything else."""
    assert http_url(value) == expected


@pytest.mark.owner
def test_company_page_shows_a_javascript_url_as_text(db):
    """company_intelligence.url has no http(s) CHECK: a javascript: URL stored there is shown
    as text on the company page, and the page has no javascript: href at all."""
    company = b.company("Linkless Ltd")
    CompanyIntelligence.objects.create(
        company=company,
        intelligence_type="news",
        title="Totally real news",
        url="javascript:alert(document.cookie)",
    )
    CompanyIntelligence.objects.create(
        company=company, intelligence_type="news", title="Real news", url="https://news.example/1"
    )
    client = Client()
    client.force_login(b.user())
    page = client.get(f"/companies/{company.pk}/").content.decode()
    assert "Totally real news" in page
    assert 'href="javascript:' not in page.lower()
    assert '<a href="https://news.example/1"' in page
