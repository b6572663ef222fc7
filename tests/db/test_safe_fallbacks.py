"""SQL fallbacks never store a wrong value: phones, domains and URLs (people 0051/0052,
companies 0050)."""

import pytest
from django.db import IntegrityError, connection, transaction

from companies.models import Company
from tests import builders

pytestmark = pytest.mark.django_db


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020 7946 0958", None),  # UK national number, no prefix: no region to trust
        ("07700 900123", None),  # UK mobile, national
        ("030 1234567", None),  # German national
        ("+44 20 7946 0958", "+442079460958"),
        ("+44 (0)20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+49 30 1234567", "+49301234567"),
        ("0033 1 23 45 67 89", "+33123456789"),
        ("+91 98765 43210", "+919876543210"),
        ("+0201234567", None),  # E.164 never starts with 0
        ("+1234567", None),  # 7 digits: too short
        ("+1234567890123456", None),  # 16 digits: too long
        ("call me maybe", None),
        ("+44 20 7946 0958 / +44 20 7946 0959", None),
        ("115 555 0100", None),  # not a NANP shape (area code starts with 1)
    ],
)
def test_normalize_phone_v2_gives_null_rather_than_a_wrong_number(raw, expected):
    """Non-US phones become E.164 only with '+' or '00'; anything unsure is NULL."""
    assert _scalar("SELECT people.normalize_phone(%s)", [raw]) == expected


def test_normalize_phone_without_default_region_refuses_national_numbers():
    """With no default region even a US-shaped national number gives NULL."""
    assert _scalar("SELECT people.normalize_phone('(415) 555-0100', NULL)") is None
    assert _scalar("SELECT people.normalize_phone('+1 415 555 0100', NULL)") == "+14155550100"


@pytest.mark.parametrize(
    "raw",
    [
        "N/A",
        "n/a",
        "-",
        "none",
        "",
        "mailto:info@acme.example",
        "javascript:alert(1)",
        "ftp://files.acme.example",
        "file:///etc/passwd",
        "http://intranet/",
        "intranet",
        "http://localhost:8000/",
        "localhost",
        "http://10.0.0.1/admin",
        "192.168.1.20",
        "http://[::1]/",
        "info@acme.example",
        "http://user@acme.example/",
    ],
)
def test_normalize_domain_v2_gives_no_domain_for_junk(raw):
    """Junk websites, non-http(s) schemes, single-label hosts and IPs give no domain."""
    assert _scalar("SELECT public.normalize_domain(%s)", [raw]) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Acme.example/about", "acme.example"),
        ("acme.co.uk", "acme.co.uk"),
        ("www.acme.co.uk:8080/x", "acme.co.uk"),
        ("HTTP://Shop.Acme.example.", "shop.acme.example"),
        ("//acme.example/x", "acme.example"),
    ],
)
def test_normalize_domain_v2_keeps_real_hosts(raw, expected):
    """Real websites still give their lower-case host without www., port or path."""
    assert _scalar("SELECT public.normalize_domain(%s)", [raw]) == expected


def test_junk_websites_do_not_merge_companies_by_domain():
    """Two companies whose website is junk get no domain, so they cannot collide."""
    a = Company.objects.create(company_name="A Co", website_url="http://intranet/")
    b = Company.objects.create(company_name="B Co", website_url="http://intranet/")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.domain is None and b.domain is None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("website_url", "javascript:alert(1)"),
        ("website_url", "N/A"),
        ("linkedin_url", "mailto:x@acme.example"),
        ("news_url", "ftp://acme.example/news"),
        ("facebook_url", "https://acme .example"),
        ("twitter_url", "data:text/html,hi"),
    ],
)
def test_company_urls_must_be_http(column, value):
    """A raw SQL write of a non-http(s) company URL is refused by a CHECK."""
    c = builders.company()
    with pytest.raises(IntegrityError, match=f"company_{column}_http"), transaction.atomic():
        _scalar(
            f"UPDATE company.company SET {column} = %s WHERE company_id = %s RETURNING 1",
            [value, c.pk],
        )


@pytest.mark.parametrize(
    "column", ["linkedin_url", "profile_source_url", "twitter_url", "facebook_url"]
)
def test_person_urls_must_be_http(column):
    """A raw SQL write of a javascript: person URL is refused by a CHECK."""
    p = builders.contact()
    with pytest.raises(IntegrityError, match=f"contact_{column}_http"), transaction.atomic():
        _scalar(
            f"UPDATE people.contact SET {column} = 'javascript:alert(1)' "
            "WHERE contact_id = %s RETURNING 1",
            [p.pk],
        )


def test_scheme_less_urls_get_https():
    """A scheme-less host URL is stored with https:// (company and person)."""
    c = Company.objects.create(company_name="S Co", website_url="www.s-co.example/about")
    p = builders.contact(linkedin_url="linkedin.com/in/jane-roe")
    c.refresh_from_db()
    p.refresh_from_db()
    assert c.website_url == "https://www.s-co.example/about"
    assert c.domain == "s-co.example"
    assert p.linkedin_url == "https://linkedin.com/in/jane-roe"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("N/A", None),
        ("javascript:alert(1)", None),
        ("acme.example", "https://acme.example"),
        ("http://acme.example/x", "http://acme.example/x"),
        ("  ", None),
    ],
)
def test_normalize_http_url(raw, expected):
    """normalize_http_url is what a writer should store: http(s) with a scheme, else NULL."""
    assert _scalar("SELECT public.normalize_http_url(%s)", [raw]) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://acme.example/about", True),
        ("HTTP://ACME.EXAMPLE", True),
        ("javascript:alert(1)", False),
        ("www.acme.example", False),
        ("https://acme.example\n", False),
        ("https://acme .example", False),
    ],
)
def test_model_url_validator_is_at_least_as_strict_as_the_check(value, ok):
    """The model URL validator refuses what the CHECK refuses; what it accepts is stored."""
    from django.core.exceptions import ValidationError

    from outreach_admin.fields import http_url_validator

    if not ok:
        with pytest.raises(ValidationError):
            http_url_validator(value)
        return
    http_url_validator(value)
    c = Company.objects.create(company_name="V Co", website_url=value)
    c.refresh_from_db()
    assert c.website_url == value
