"""Field libraries at the intake boundary: the ``"_norm"`` object of docs RAW_V2 for one row.

``normalize_row(row, default_region)`` reads a mapped raw row (RAW_V2 keys) and returns the
normalised values the libraries can vouch for; a key is absent whenever the library could not
produce a trustworthy value, and the raw values are never changed:

- e-mail: ``email-validator``, syntax only (``check_deliverability=False``: no DNS), lower-cased;
- names: ``nameparser`` (``"Last, First"``, titles, suffixes, particles such as "van der");
- phones: ``phonenumbers``, region from the row's country, else the default region; only valid
  numbers give an E.164 value;
- websites: http(s) URLs only (a bare "acme.com" gets ``https://``) and the registrable domain
  from ``tldextract``'s bundled Public Suffix List snapshot, with no network access: junk values,
  IP addresses, single-label hosts and other schemes give neither;
- LinkedIn URLs (http(s) only), employee counts (digits, "1,200", "51-200" → 51), ISO country.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

import email_validator
import phonenumbers
import tldextract
from nameparser import HumanName
from nameparser.config import CONSTANTS
from phonenumbers import geocoder

# No suffix-list URLs and no cache directory: the snapshot bundled with the package is used and
# nothing is fetched or written (tldextract docs: "How to disable HTTP suffix list fetching").
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

JUNK_VALUES = frozenset(
    {"", "-", "--", "n/a", "na", "none", "null", "nil", "unknown", "tbd", "0", ".", "?", "x"}
)
PHONE_FIELDS = {
    "work_phone": "work_phone_e164",
    "mobile_phone": "mobile_phone_e164",
    "phone": "phone_e164",
    "company_phone": "company_phone_e164",
}
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "deutschland": "DE",
    "españa": "ES",
    "holland": "NL",
    "the netherlands": "NL",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "uae": "AE",
    "czech republic": "CZ",
    "türkiye": "TR",
    "turkey": "TR",
    "vietnam": "VN",
    "hong kong sar": "HK",
}


class InvalidEmail(ValueError):
    """An e-mail address that fails the syntax check; the message is the library's reason."""


@functools.cache
def _country_names() -> dict[str, str]:
    names = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        name = geocoder._region_display_name(region, "en")
        if name:
            names[name.lower()] = region
    names.update(_COUNTRY_ALIASES)
    return names


@functools.lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO 3166 alpha-2 for a country name or code ("United Kingdom", "UK", "de"), else None."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        code = "GB" if code == "UK" else code
        return code if code in phonenumbers.SUPPORTED_REGIONS else None
    text = text.lower().rstrip(".")
    found = _country_names().get(text)
    if found is None and "," in text:  # "London, England, United Kingdom"
        found = _country_names().get(text.rsplit(",", 1)[1].strip())
    return found


# Plain ASCII addresses (dot-atoms without leading, trailing or doubled dots; LDH labels, a
# letters-only TLD) are a subset of what email-validator accepts and normalise to themselves
# lower-cased: they skip the library (about 10x faster). Everything else goes through it.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_SIMPLE_EMAIL = re.compile(
    rf"^(?=.{{1,254}}$)(?=[^@]{{1,64}}@){_ATOM}(?:\.{_ATOM})*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63})$"
)
_SPECIAL_USE = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)


def normalize_email(value: str | None) -> str | None:
    """The lower-cased address if its syntax is valid; ``InvalidEmail`` with the reason if not;
    None for a blank value."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    simple = _SIMPLE_EMAIL.match(value)
    if simple and "xn--" not in value.lower() and simple.group(1).lower() not in _SPECIAL_USE:
        return value.lower()
    try:
        result = email_validator.validate_email(
            value.strip(), check_deliverability=False, allow_smtputf8=True
        )
    except email_validator.EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from None
    return result.normalized.lower()


@functools.lru_cache(maxsize=65536)
def normalize_phone(value: str | None, region: str | None) -> str | None:
    """E.164 for a valid number (``region`` for national formats; an extension is dropped),
    else None."""
    if not value or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=16384)
def _parse_name(full: str) -> tuple[tuple[str, str], ...]:
    parsed = HumanName(full)
    parts = (
        ("first_name", parsed.first),
        ("middle_name", parsed.middle),
        ("last_name", parsed.last),
        ("name_suffix", parsed.suffix),
    )
    return tuple((k, v) for k, v in parts if v)


def _may_have_suffix(last: str) -> bool:
    """True when the last word of a last name could be a suffix ("Smith Jr.", "Lee, III")."""
    words = last.replace(",", " ").split()
    if len(words) < 2:
        return False
    tail = words[-1].lower().rstrip(".")
    return tail in CONSTANTS.suffix_acronyms or tail in CONSTANTS.suffix_not_acronyms


def split_name(full: str | None, first: str | None = None, last: str | None = None) -> dict:
    """first/middle/last/suffix and a display full name; explicit first/last columns win, the
    full name (``"Last, First"`` included) fills the rest."""
    out: dict[str, str] = {}
    full = (full or "").strip()
    first, last = (first or "").strip(), (last or "").strip()
    if full:
        out.update(_parse_name(full))
    elif first and last and _may_have_suffix(last):
        suffix = dict(_parse_name(f"{first} {last}")).get("name_suffix")
        if suffix:
            out["name_suffix"] = suffix
    if first:
        out["first_name"] = first
    if last:
        out["last_name"] = last
        if "name_suffix" in out and last.endswith(out["name_suffix"]):
            out["last_name"] = last[: -len(out["name_suffix"])].rstrip(" ,")
    parts = [out.get("first_name"), out.get("middle_name"), out.get("last_name")]
    display = " ".join(p for p in parts if p)
    if display:
        suffix = out.get("name_suffix")
        out["full_name"] = f"{display} {suffix}" if suffix else display
    return out


def _host_is_public(host: str) -> bool:
    if not host or "." not in host or host == "localhost":
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return False


@functools.lru_cache(maxsize=65536)
def normalize_url(value: str | None) -> str | None:
    """``https://host/...`` for an http(s) URL or a bare host ("acme.com" → https://acme.com),
    else None: junk ("N/A", "-"), other schemes (mailto:, javascript:, ftp:), hosts that are
    IPs, "localhost" or single labels, and hosts without a public suffix."""
    if value is None:
        return None
    text = value.strip()
    if text.lower() in JUNK_VALUES or any(c.isspace() for c in text):
        return None
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        if ":" in text.split("/", 1)[0] and not re.match(r"^[^:/]+:\d+(/|$)", text):
            return None  # mailto:x@y, javascript:…, tel:…
        if text.startswith("//"):
            text = text[2:]
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return None
    if not _host_is_public(host) or not _EXTRACT(host).suffix:
        return None
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


@functools.lru_cache(maxsize=65536)
def registrable_domain(url: str | None) -> str | None:
    """The registrable domain (``forums.bbc.co.uk`` → ``bbc.co.uk``) of a URL accepted by
    ``normalize_url``, else None."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    domain = _EXTRACT(host).top_domain_under_public_suffix
    return domain or None


@functools.lru_cache(maxsize=65536)
def normalize_linkedin(value: str | None) -> str | None:
    """An http(s) LinkedIn-style URL ("linkedin.com/in/x" gets https://), else None."""
    url = normalize_url(value)
    return url if url and "linkedin." in (urlsplit(url).hostname or "") else None


def employee_count(value) -> int | None:
    """Digits from "1,200", "250", "51-200" (the lower bound), "10001+"; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = re.match(r"^\s*(\d[\d,. ]*)", value)
    if not match:
        return None
    digits = re.sub(r"[,. ]", "", match.group(1))
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


def _text(row, key) -> str | None:
    value = row.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def normalize_row(row: dict, default_region: str | None = None) -> dict:
    """The ``"_norm"`` object for a mapped raw row (see the module docstring); ``InvalidEmail``
    when the row has an e-mail whose syntax is invalid."""
    norm: dict = {}
    email = normalize_email(_text(row, "email"))
    if email:
        norm["email"] = email
    norm.update(
        split_name(
            _text(row, "full_name") or _text(row, "name"),
            _text(row, "first_name"),
            _text(row, "last_name"),
        )
    )
    code = country_code(_text(row, "country"))
    if code:
        norm["country_code"] = code
    person_region = code or default_region
    company_region = country_code(_text(row, "company_country")) or person_region
    for field, key in PHONE_FIELDS.items():
        region = company_region if field == "company_phone" else person_region
        e164 = normalize_phone(_text(row, field), region)
        if e164:
            norm[key] = e164
    website = next(
        (w for k in ("website", "company_website", "domain") if (w := _text(row, k))), None
    )
    url = normalize_url(website)
    if url:
        norm["website_url"] = url
        domain = registrable_domain(url)
        if domain:
            norm["domain"] = domain
    for key in ("linkedin_url", "company_linkedin_url"):
        link = normalize_linkedin(_text(row, key))
        if link:
            norm[key] = link
    count = employee_count(row.get("employee_count"))
    if count is not None:
        # as digits: every "_norm" value is a string, which lets f_ingest_json v4 skip its
        # per-field length check for the row (a number's text is not bounded by its size)
        norm["employee_count"] = str(count)
    return norm
