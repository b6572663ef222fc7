"""Vendor presets: which RAW_V2 field (docs RAW_V2.md) each column of a vendor export feeds.

A *column* is a CSV header or, for JSON, a dotted path into the row (``flatten``: nested objects
become ``location.city``, the first element of a list of objects ``experiences.0.title``, a list
of scalars one "; "-joined value). ``detect_preset(columns)`` recognises Apollo people CSVs,
HubSpot contact CSVs and Apify LinkedIn profile JSON by their signature columns, else
``generic`` (the synonyms of ``intake.parsing``). ``guess_mapping(columns, preset)`` gives each
column a raw field or ``KEEP`` (a custom field); a field goes to the first column that claims it.
``prepare_rows(rows, mapping, ...)`` flattens, maps, applies the preset's row fallbacks and adds
``"_norm"`` (``intake.normalize.normalize_row``); rows whose e-mail fails the syntax check lose
their ``email`` key (SQL then skips them) and are reported in ``refused``.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping

from intake import normalize
from intake.parsing import IGNORE, KEEP, MAPPING_CHOICES, _norm
from intake.parsing import guess_mapping as generic_mapping

PRESET_CHOICES = [
    ("auto", "Detect from the columns"),
    ("apollo", "Apollo people export (CSV)"),
    ("hubspot", "HubSpot contacts export (CSV)"),
    ("apify", "Apify LinkedIn profiles (JSON)"),
    ("generic", "Generic (column-name synonyms)"),
]
NORM_KEY = "_norm"

APOLLO = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Name": "full_name",
    "Title": "title",
    "Company": "company_name",
    "Company Name": "company_name",
    "Company Name for Emails": "company",
    "Email": "email",
    "Email Status": "email_status",
    "Seniority": "seniority",
    "Departments": "department",
    "Work Direct Phone": "work_phone",
    "Mobile Phone": "mobile_phone",
    "Corporate Phone": "company_phone",
    "Company Phone": "company_phone",
    "Other Phone": "phone",
    "Home Phone": "phone",
    "# Employees": "employee_count",
    "Industry": "industry",
    "Person Linkedin Url": "linkedin_url",
    "Website": "website",
    "Company Linkedin Url": "company_linkedin_url",
    "City": "city",
    "State": "state",
    "Country": "country",
    "Company City": "company_city",
    "Company State": "company_state",
    "Company Country": "company_country",
}
APOLLO_SIGNATURE = {"Company Name for Emails", "Email Status", "Person Linkedin Url", "# Employees"}

HUBSPOT = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Phone Number": "work_phone",
    "Mobile Phone Number": "mobile_phone",
    "Job Title": "title",
    "Company Name": "company_name",
    "Website URL": "website",
    "Company Domain Name": "domain",
    "City": "city",
    "State/Region": "state",
    "Country/Region": "country",
    "LinkedIn URL": "linkedin_url",
    "Industry": "industry",
    "Number of Employees": "employee_count",
    "Seniority": "seniority",
    "Department": "department",
    "Email Status": "email_status",
}
HUBSPOT_SIGNATURE = {"Record ID", "State/Region", "Country/Region", "Website URL", "Phone Number"}

# Apify LinkedIn profile scrapers: the flat camelCase shape (firstName, jobTitle, companyName,
# addressCountryOnly, experiences[]) and the nested shape (location{city,country}/parsed,
# currentPosition[], experience[{position, companyName}]); earlier paths win a field.
APIFY = {
    "email": "email",
    "emails.0": "email",
    "emails": "email",
    "firstName": "first_name",
    "lastName": "last_name",
    "fullName": "full_name",
    "name": "full_name",
    "jobTitle": "title",
    "occupation": "title",
    "companyName": "company_name",
    "currentPosition.0.companyName": "company_name",
    "companyWebsite": "website",
    "companyIndustry": "industry",
    "industry": "industry",
    "companySize": "employee_count",
    "companyEmployeesCount": "employee_count",
    "companyLinkedin": "company_linkedin_url",
    "companyLinkedinUrl": "company_linkedin_url",
    "linkedinUrl": "linkedin_url",
    "profileUrl": "linkedin_url",
    "url": "linkedin_url",
    "mobileNumber": "mobile_phone",
    "phone": "phone",
    "phoneNumbers.0": "phone",
    "location.city": "city",
    "location.parsed.city": "city",
    "city": "city",
    "location.state": "state",
    "location.parsed.state": "state",
    "state": "state",
    "location.country": "country",
    "location.parsed.country": "country",
    "addressCountryOnly": "country",
    "country": "country",
}
APIFY_SIGNATURE = {
    "linkedinUrl",
    "publicIdentifier",
    "addressWithCountry",
    "addressCountryOnly",
    "firstName",
    "headline",
    "profileUrl",
}
# Per-row fallbacks: a field the mapped columns left empty is taken from these paths.
APIFY_FALLBACKS = {
    "title": [
        "experiences.0.title",
        "experience.0.position",
        "currentPosition.0.title",
        "headline",
    ],
    "company_name": ["experiences.0.companyName", "experience.0.companyName"],
    "company_linkedin_url": ["experience.0.companyLinkedinUrl"],
    "country": ["location.countryCode", "addressCountryOnly"],
}
# "City, State, Country" (or "City, Country") location lines fill empty city/state/country.
ADDRESS_PATHS = ["addressWithCountry", "location.linkedinText", "location.full", "location"]

PRESETS = {"apollo": APOLLO, "hubspot": HUBSPOT, "apify": APIFY}
SIGNATURES = {"apollo": APOLLO_SIGNATURE, "hubspot": HUBSPOT_SIGNATURE, "apify": APIFY_SIGNATURE}
FALLBACKS = {"apify": APIFY_FALLBACKS}


def flatten(row: Mapping, prefix: str = "") -> dict:
    """Nested objects to dotted paths; a list of objects gives its first element's paths, a
    list of scalars one "; "-joined string; ``None`` and blank strings are left out."""
    flat: dict = {}
    for key, value in row.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        elif isinstance(value, list):
            if value and isinstance(value[0], Mapping):
                flat.update(flatten(value[0], f"{path}.0."))
            else:
                items = [str(v) for v in value if v is not None and str(v).strip()]
                if items:
                    flat[path] = "; ".join(items)
        elif value is None or (isinstance(value, str) and not value.strip()):
            continue
        elif isinstance(value, bool):
            flat[path] = "true" if value else "false"
        else:
            flat[path] = value.strip() if isinstance(value, str) else str(value)
    return flat


def detect_preset(columns: Iterable[str]) -> str:
    """The vendor whose signature columns the file has most of (at least two), else
    ``generic``."""
    present = set(columns)
    best, hits = "generic", 1
    for name, signature in SIGNATURES.items():
        found = len(signature & present)
        if found > hits:
            best, hits = name, found
    return best


def guess_mapping(columns: list[str], preset: str = "auto") -> dict[str, str]:
    """Column → raw field or ``KEEP`` for ``preset`` (``auto`` detects it); columns the preset
    does not know get the generic synonyms' guess; each field goes to one column."""
    if preset == "auto":
        preset = detect_preset(columns)
    table = PRESETS.get(preset)
    if table is None:
        return generic_mapping(columns)
    by_norm = {_norm(k): v for k, v in table.items()}
    order = {_norm(k): n for n, k in enumerate(table)}
    mapping = dict.fromkeys(columns, KEEP)
    taken: set[str] = set()
    known = sorted((c for c in columns if _norm(c) in by_norm), key=lambda c: order[_norm(c)])
    for column in known:
        field = by_norm[_norm(column)]
        if field not in taken:
            mapping[column] = field
            taken.add(field)
    rest = [c for c in columns if mapping[c] == KEEP]
    for column, field in generic_mapping(rest).items():
        if field != KEEP and field not in taken:
            mapping[column] = field
            taken.add(field)
    return mapping


def apply_saved_mapping(
    columns: list[str], preset: str, saved: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """``guess_mapping(columns, preset)`` with a saved mapping laid over it: a column the saved
    mapping names keeps its saved target; the others (new since it was saved) keep the preset's
    default, or ``KEEP`` when a saved column already took that field (a field takes one column).
    Returns the mapping and the columns that fell back to the default."""
    mapping = guess_mapping(columns, preset)
    targets = {value for value, _ in MAPPING_CHOICES}
    kept = {c: saved[c] for c in columns if saved.get(c) in targets}
    taken = {t for t in kept.values() if t not in (KEEP, IGNORE)}
    fallback = [c for c in columns if c not in kept]
    for column in fallback:
        if mapping[column] in taken:
            mapping[column] = KEEP
    mapping.update(kept)
    return mapping, fallback


def map_row(flat: Mapping, mapping: Mapping[str, str], preset: str = "generic") -> dict:
    """One flattened row renamed by ``mapping`` (unknown columns kept, ``IGNORE`` dropped),
    then the preset's fallbacks for fields still empty."""
    row: dict = {}
    for column, value in flat.items():
        target = mapping.get(column, KEEP)
        if target == IGNORE:
            continue
        key = column if target == KEEP else target
        if key == NORM_KEY:
            continue
        row.setdefault(key, value)
    fallbacks = dict(_alternates(preset))
    for field, paths in FALLBACKS.get(preset, {}).items():
        fallbacks[field] = (*fallbacks.get(field, ()), *paths)
    for field, paths in fallbacks.items():
        if field not in row:
            value = next((flat[p] for p in paths if flat.get(p)), None)
            if value is not None:
                row[field] = value.split("; ")[0] if field == "email" else value
    if preset == "apify":
        _address_fallback(flat, row)
    return row


@functools.cache
def _alternates(preset: str) -> tuple:
    """field → every path of the preset's table that feeds it, as fallbacks per row (a file
    mixing a scraper's shapes has ``linkedinUrl`` in some rows and ``profileUrl`` in others)."""
    paths: dict[str, list[str]] = {}
    for path, field in PRESETS.get(preset, {}).items():
        paths.setdefault(field, []).append(path)
    return tuple((field, tuple(p)) for field, p in paths.items())


def _address_fallback(flat: Mapping, row: dict) -> None:
    """Split a LinkedIn location line into the city/state/country the row lacks."""
    line = next((flat[p] for p in ADDRESS_PATHS if isinstance(flat.get(p), str)), None)
    if not line:
        return
    parts = [p.strip() for p in line.split(",") if p.strip()]
    if len(parts) < 2 or normalize.country_code(parts[-1]) is None:
        return
    fields = ["city", "state", "country"] if len(parts) >= 3 else ["city", "country"]
    values = [parts[0], parts[1], parts[-1]] if len(parts) >= 3 else parts
    for field, value in zip(fields, values, strict=True):
        row.setdefault(field, value)


def prepare_row(row: dict, number: int, default_region: str | None, refused: dict) -> dict:
    """Add ``"_norm"`` to a mapped row. An e-mail with an "@" whose syntax is invalid is moved
    to ``email_refused`` (the database then skips the row) and reported in ``refused[number]``;
    one without "@" is left to the database, which skips it as "email has no @"."""
    try:
        norm = normalize.normalize_row(row, default_region)
    except normalize.InvalidEmail as exc:
        bad = row.pop("email")
        if "@" in bad:
            row["email_refused"] = bad
            refused[number] = f"row {number} refused: email {bad[:80]!r} is not valid ({exc})"
        norm = normalize.normalize_row(row, default_region)
        if "@" not in bad:
            row["email"] = bad
    if norm:
        row[NORM_KEY] = norm
    return row


def prepare_rows(
    rows: Iterable[Mapping],
    mapping: Mapping[str, str] | None,
    *,
    preset: str = "generic",
    default_region: str | None = None,
    refused: dict | None = None,
    normalise: bool = True,
) -> Iterator[dict]:
    """Flatten, map (``mapping=None``: keys kept as they are) and normalise every row, lazily
    (one row at a time). Row numbers count from 1 like the readers'. ``normalise=False``
    skips the field libraries (for the validation pass, which only counts rows)."""
    refused = {} if refused is None else refused
    for number, row in enumerate(rows, 1):
        mapped = map_row(flatten(row), mapping, preset) if mapping is not None else dict(row)
        yield prepare_row(mapped, number, default_region, refused) if normalise else mapped


def sample_values(rows: Iterable[Mapping], columns: list[str], limit: int = 3) -> dict:
    """The first ``limit`` distinct non-blank values of each column (flattened rows)."""
    samples: dict[str, list[str]] = {c: [] for c in columns}
    for row in rows:
        for column, value in flatten(row).items():
            seen = samples.setdefault(column, [])
            text = str(value)[:60]
            if len(seen) < limit and text not in seen:
                seen.append(text)
        if all(len(v) >= limit for v in samples.values()):
            break
    return samples


SCAN_ROWS = 500


def default_region() -> str | None:
    """settings.INTAKE_DEFAULT_PHONE_REGION (ISO alpha-2) or None."""
    from django.conf import settings

    region = (getattr(settings, "INTAKE_DEFAULT_PHONE_REGION", "") or "").strip().upper()
    return region or None


def read_columns(binary, kind: str) -> tuple[list[str], dict[str, list[str]]]:
    """The columns of a file (CSV headers; for JSON the flattened paths of its first
    ``SCAN_ROWS`` rows, in order of appearance) and up to 3 sample values per column.
    ``ParseError`` as the readers raise it; ``binary`` is rewound."""
    from intake import parsing

    wrappers = []

    def text():
        binary.seek(0)
        wrappers.append(parsing.open_text(binary))
        return wrappers[-1]

    try:
        if kind == "csv":
            columns = parsing.csv_headers(text())
            rows = parsing.iter_csv(text(), {})
        else:
            rows = parsing.iter_json(text())
        scanned = list(itertools.islice(rows, SCAN_ROWS))
    finally:
        for wrapper in wrappers:  # detached: collecting them must not close ``binary``
            wrapper.detach()
    if kind != "csv":
        seen: dict[str, None] = {}
        for row in scanned:
            seen.update(dict.fromkeys(flatten(row)))
        columns = list(seen)
    binary.seek(0)
    return columns, sample_values(scanned, columns)


def open_prepared(
    binary,
    kind: str,
    mapping: Mapping[str, str] | None,
    *,
    preset: str = "generic",
    refused: dict | None = None,
    normalise: bool = True,
) -> Iterator[dict]:
    """Rows of ``binary`` (rewound first) read, mapped and normalised: what the upload page
    and ``manage.py ingest`` hand to ``services.upload_ingest`` (its first, counting pass can
    pass ``normalise=False``: the readers raise every ``ParseError`` without the libraries).
    JSON ``mapping=None`` keeps the rows' own keys (CSV: unmapped headers are kept as custom
    fields)."""
    from intake import parsing

    binary.seek(0)
    text = parsing.open_text(binary)
    if kind == "csv":
        rows, mapping = parsing.iter_csv(text, mapping or {}), None
    else:
        rows = parsing.iter_json(text)
    return prepare_rows(
        rows,
        mapping,
        preset=preset,
        default_region=default_region(),
        refused=refused,
        normalise=normalise,
    )
