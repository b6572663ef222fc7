"""Field libraries at the intake boundary: one test per normalisation rule of docs RAW_V2."""

import socket

import pytest

from intake import normalize


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("020 7946 0958", "GB", "+442079460958"),
        ("+49 30 123456", None, "+4930123456"),
        ("030 123456", "DE", "+4930123456"),
        ("098765 43210", "IN", "+919876543210"),
        ("02 9374 4000", "AU", "+61293744000"),
        ("0412 345 678", "AU", "+61412345678"),
        ("(415) 555-0132 ext. 12", "US", "+14155550132"),
        ("+1 212 555 0147", "GB", "+12125550147"),
    ],
)
def test_valid_phones_in_the_rows_region_become_e164(raw, region, e164):
    """National formats are read in the row's region; +CC numbers anywhere; extensions drop."""
    assert normalize.normalize_phone(raw, region) == e164


@pytest.mark.parametrize("raw", ["12345", "020 7946 0958", "n/a", "+99 123", "", "phone"])
def test_invalid_phones_give_no_e164(raw):
    """Invalid numbers (a UK national number read as US among them) give no E.164 value."""
    assert normalize.normalize_phone(raw, "US") is None


def test_uk_number_is_not_made_into_plus_zero():
    """The issue's case: "020 7946 0958" with Country "United Kingdom" is +44…, never +020…."""
    norm = normalize.normalize_row(
        {"email": "a@b.co.uk", "work_phone": "020 7946 0958", "country": "United Kingdom"}, "US"
    )
    assert norm["work_phone_e164"] == "+442079460958"
    assert norm["country_code"] == "GB"


def test_default_region_applies_without_country():
    """A row without a country uses the default region for national numbers."""
    row = {"mobile_phone": "07911 123456", "company_phone": "(415) 555-0100"}
    assert normalize.normalize_row(row, "GB") == {"mobile_phone_e164": "+447911123456"}
    assert normalize.normalize_row(row, "US") == {"company_phone_e164": "+14155550100"}


def test_company_phone_uses_the_company_country():
    """company_phone is read in company_country when the person lives elsewhere."""
    row = {"country": "United States", "company_country": "Germany", "company_phone": "030 123456"}
    assert normalize.normalize_row(row, "US")["company_phone_e164"] == "+4930123456"


@pytest.mark.parametrize(
    ("full", "first", "last", "expected"),
    [
        ("O'Brien, Mary", None, None, {"first_name": "Mary", "last_name": "O'Brien"}),
        ("Watanabe, Kenji", None, None, {"first_name": "Kenji", "last_name": "Watanabe"}),
        (
            "Smith, John A., III",
            None,
            None,
            {"first_name": "John", "middle_name": "A.", "last_name": "Smith", "name_suffix": "III"},
        ),
        ("Dr. Jan van der Berg Jr.", None, None, {"last_name": "van der Berg"}),
        ("Dr. Jan de Vries", None, None, {"first_name": "Jan", "last_name": "de Vries"}),
        ("Zoë Ñúñez", None, None, {"first_name": "Zoë", "last_name": "Ñúñez"}),
        (None, "Robert", "Smith Jr.", {"last_name": "Smith", "name_suffix": "Jr."}),
        ("Ann Lee", "Anne", None, {"first_name": "Anne", "last_name": "Lee"}),
    ],
)
def test_names_are_split(full, first, last, expected):
    """ "Last, First", titles, suffixes and particles; explicit first/last columns win."""
    out = normalize.split_name(full, first, last)
    assert {k: out.get(k) for k in expected} == expected
    assert out["full_name"]


def test_van_der_name_keeps_its_suffix_apart():
    out = normalize.split_name("Dr. Jan van der Berg Jr.")
    assert out == {
        "first_name": "Jan",
        "last_name": "van der Berg",
        "name_suffix": "Jr.",
        "full_name": "Jan van der Berg Jr.",
    }


@pytest.mark.parametrize(
    "bad",
    ["bob@@acme.com", "nina at vistula.pl", "a@b", "x@.com", "spaces in@acme.com", "@acme.com"],
)
def test_email_syntax_refusals(bad):
    """Syntax errors are refused with the library's reason."""
    with pytest.raises(normalize.InvalidEmail) as exc:
        normalize.normalize_email(bad)
    assert str(exc.value)


def test_email_is_lower_cased_and_never_resolved(monkeypatch):
    """Valid addresses come back lower-cased, with no DNS lookup (deliverability off)."""

    def no_dns(*args, **kwargs):
        raise AssertionError("DNS was queried")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    assert normalize.normalize_email(" Ann.Lee@Acme.CO.UK ") == "ann.lee@acme.co.uk"
    assert normalize.normalize_email("") is None


@pytest.mark.parametrize(
    "junk",
    [
        "N/A",
        "n/a",
        "-",
        "none",
        "",
        "mailto:info@acme.com",
        "javascript:void(0)",
        "http://intranet/",
        "intranet",
        "localhost",
        "http://localhost:8000/",
        "http://192.168.10.5/",
        "10.0.0.1",
        "http://[::1]/",
        "ftp://files.acme.com",
        "tel:+15550100",
        "https://user@acme.com/",
        "acme.invalidtld",
        "not a url",
    ],
)
def test_junk_websites_give_no_url_and_no_domain(junk):
    """Junk, other schemes, single-label hosts, IPs and unknown suffixes: no URL, no domain."""
    norm = normalize.normalize_row({"website": junk}, "US")
    assert "website_url" not in norm and "domain" not in norm


@pytest.mark.parametrize(
    ("raw", "url", "domain"),
    [
        ("acme.com", "https://acme.com", "acme.com"),
        ("www.Acme.com/about", "https://www.acme.com/about", "acme.com"),
        ("http://forums.bbc.co.uk/x?y=1", "http://forums.bbc.co.uk/x?y=1", "bbc.co.uk"),
        ("https://scmining.com.au", "https://scmining.com.au", "scmining.com.au"),
        ("//cdn.example.org/a", "https://cdn.example.org/a", "example.org"),
    ],
)
def test_websites_keep_a_scheme_and_give_the_registrable_domain(raw, url, domain):
    assert normalize.normalize_url(raw) == url
    assert normalize.registrable_domain(url) == domain


def test_tldextract_never_touches_the_network(monkeypatch):
    """The bundled suffix list is used: any socket use or HTTP fetch fails the test."""
    import requests

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)
    extract = normalize.tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    assert extract("www.example.co.uk").top_domain_under_public_suffix == "example.co.uk"
    assert normalize._EXTRACT.suffix_list_urls == ()
    assert normalize.registrable_domain("https://shop.acme.com.au") == "acme.com.au"


def test_linkedin_urls_are_http_only():
    assert normalize.normalize_linkedin("linkedin.com/in/x") == "https://linkedin.com/in/x"
    assert normalize.normalize_linkedin("javascript:alert(1)") is None
    assert normalize.normalize_linkedin("https://acme.com/in/x") is None


@pytest.mark.parametrize(
    ("raw", "count"),
    [("1,200", 1200), ("250", 250), ("51-200", 51), ("10001+", 10001), (42, 42), ("many", None)],
)
def test_employee_count(raw, count):
    assert normalize.employee_count(raw) == count


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("de", "DE"),
        ("Germany", "DE"),
        ("United States", "US"),
        ("London, England, United Kingdom", "GB"),
        ("Atlantis", None),
    ],
)
def test_country_codes(raw, code):
    assert normalize.country_code(raw) == code


@pytest.mark.parametrize(
    "address",
    [
        "a@b.co",
        "A.B+tag@Sub.Example.ORG",
        "x@host.local",
        "x@foo.test",
        "a..b@x.com",
        ".a@x.com",
        "a.@x.com",
        "a@-x.com",
        "a@x.c0m",
        "a@localhost",
        "zoë@acme.example",
        "o'brien@harbourfreight.co.uk",
        "a@xn--bcher-kva.example",
        "x" * 65 + "@acme.com",
        "a@" + "b" * 64 + ".com",
    ],
)
def test_fast_path_agrees_with_email_validator(address):
    """The plain-ASCII fast path gives exactly what the library gives (or refuses)."""
    try:
        expected = normalize.email_validator.validate_email(
            address, check_deliverability=False, allow_smtputf8=True
        ).normalized.lower()
    except normalize.email_validator.EmailNotValidError:
        expected = None
    try:
        got = normalize.normalize_email(address)
    except normalize.InvalidEmail:
        got = None
    assert got == expected
