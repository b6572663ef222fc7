"""Vendor presets on realistic exports (tests/intake/data): detection, mapping, coverage."""

import itertools
from pathlib import Path

import pytest

from intake import parsing, presets
from intake.parsing import KEEP, RAW_FIELDS

DATA = Path(__file__).parent / "data"
RAW = {f for f, _ in RAW_FIELDS}
FIXTURES = {
    "apollo_people.csv": ("csv", "apollo", 28),
    "hubspot_contacts.csv": ("csv", "hubspot", 12),
    "unicode_export.txt": ("csv", "generic", 8),
    "apify_linkedin.json": ("json", "apify", 16),
}


def load(name, preset="auto"):
    """(columns, mapping, source rows flattened, prepared rows, refused) for a fixture."""
    with open(DATA / name, "rb") as fh:
        kind = parsing.sniff_format(fh, name)
        columns, _ = presets.read_columns(fh, kind)
        preset = presets.detect_preset(columns) if preset == "auto" else preset
        mapping = presets.guess_mapping(columns, preset)
        refused = {}
        rows = list(presets.open_prepared(fh, kind, mapping, preset=preset, refused=refused))
    with open(DATA / name, "rb") as fh:
        text = parsing.open_text(fh)
        source = parsing.iter_csv(text, {}) if kind == "csv" else parsing.iter_json(text)
        source = [presets.flatten(r) for r in source]
    return columns, mapping, source, rows, refused


def coverage(mapping, source, rows):
    """Share of non-empty source cells whose value reaches a RAW_V2 field of the mapped row:
    mapped columns, per-row fallbacks, vendor duplicates (experiences[0] repeating jobTitle)
    and location lines split into city/state/country."""
    covered = total = 0
    for cells, row in zip(source, rows, strict=True):
        values = {str(v) for k, v in row.items() if k in RAW or k == "email_refused"}
        for column, value in cells.items():
            total += 1
            parts = [p.strip() for p in str(value).split(",")]
            if (
                mapping.get(column, KEEP) in RAW
                or str(value) in values
                or str(value).split("; ")[0] in values
                or (len(parts) > 1 and all(p in values for p in parts))
            ):
                covered += 1
    return covered / total


@pytest.mark.parametrize("name", FIXTURES)
def test_each_fixture_is_detected_and_covers_90_percent(name):
    """≥ 90% of the non-empty cells of every fixture land in documented RAW_V2 fields."""
    kind, preset, count = FIXTURES[name]
    columns, mapping, source, rows, _ = load(name)
    assert presets.detect_preset(columns) == preset
    assert len(rows) == count
    assert coverage(mapping, source, rows) >= 0.90, name


def test_every_column_maps_to_a_raw_field_or_is_kept():
    for name in FIXTURES:
        _, mapping, *_ = load(name)
        assert set(mapping.values()) <= RAW | {KEEP}


def test_apollo_people_csv():
    """Apollo: phones by kind, Email Status, seniority, department, location, headcount."""
    _, mapping, _, rows, refused = load("apollo_people.csv")
    assert mapping["Work Direct Phone"] == "work_phone"
    assert mapping["Corporate Phone"] == "company_phone"
    assert mapping["# Employees"] == "employee_count"
    mary = rows[0]
    assert mary["email_status"] == "Verified" and mary["seniority"] == "c_suite"
    assert mary["department"] == "Finance" and mary["country"] == "United Kingdom"
    assert mary["_norm"]["work_phone_e164"] == "+442079460958"
    assert mary["_norm"]["company_phone_e164"] == "+442079460000"
    assert mary["_norm"]["employee_count"] == "1200"
    assert mary["_norm"]["domain"] == "harbourfreight.co.uk"
    zoe = rows[1]
    assert zoe["first_name"] == "Zoë" and zoe["last_name"] == "Ñúñez"
    assert zoe["title"] == "VP, People & Culture\n(Americas)"
    assert zoe["_norm"]["work_phone_e164"] == "+14155550132"
    jan = rows[2]
    assert jan["_norm"]["work_phone_e164"] == "+4930123456"
    assert jan["_norm"]["linkedin_url"] == "https://linkedin.com/in/jan-van-der-berg"
    assert rows[3]["_norm"]["mobile_phone_e164"] == "+919876543210"
    assert rows[4]["_norm"]["work_phone_e164"] == "+61293744000"
    assert rows[18]["title"] == "Director of Benefits,\nNorth America"  # CR LF in a cell
    # Junk websites of the file: N/A, -, http://intranet/, mailto:, javascript:, localhost,
    # an IP and ftp:// give no domain.
    for row in rows[5:13]:
        assert "domain" not in row.get("_norm", {}), row.get("website")
    # The duplicate row is passed on (the database flags it as a duplicate).
    assert {k: v for k, v in rows[13].items() if k in RAW} == {
        k: v for k, v in rows[0].items() if k in RAW
    }
    assert "email" not in rows[6]  # blank e-mail: the database skips the row
    assert sorted(refused) == [21]  # row 22 has no "@": the database skips it, named
    assert "oliver.grant@@brokenemail.co.uk" in refused[21]
    assert rows[21]["email"] == "nina.kowalski at vistulafoods.pl"
    assert "email" not in rows[21]["_norm"]
    assert rows[20]["email_refused"] == "oliver.grant@@brokenemail.co.uk"


def test_hubspot_semicolon_windows_1252():
    """HubSpot as Excel saves it: ';' separated, Windows-1252, CR LF."""
    _, mapping, _, rows, _ = load("hubspot_contacts.csv")
    assert mapping["Country/Region"] == "country" and mapping["State/Region"] == "state"
    assert mapping["Record ID"] == KEEP
    francois = rows[0]
    assert francois["first_name"] == "François" and francois["last_name"] == "Lefèvre"
    assert francois["_norm"]["work_phone_e164"] == "+33142685300"
    assert rows[10]["title"] == "Head HR €-zone"
    assert "domain" not in rows[5]["_norm"]  # "N/A"
    assert rows[4]["_norm"]["work_phone_e164"] == "+442079460958"


def test_utf16_tab_separated_with_last_first_names():
    _, mapping, _, rows, _ = load("unicode_export.txt")
    assert mapping["Full Name"] == "full_name"
    assert rows[0]["_norm"]["first_name"] == "Kenji"
    assert rows[0]["_norm"]["last_name"] == "Watanabe"
    assert rows[1]["title"] == "财务总监"
    assert rows[3]["_norm"]["phone_e164"] == "+442079460958"
    assert rows[7]["_norm"]["last_name"] == "de Vries"


def test_apify_linkedin_json_both_shapes():
    """Flat camelCase profiles and nested location/experience profiles map alike."""
    columns, mapping, _, rows, _ = load("apify_linkedin.json")
    assert "experiences.0.title" in columns and "location.city" in columns
    mary = rows[0]
    assert mary["title"] == "Chief Financial Officer"
    assert mary["linkedin_url"] == "https://www.linkedin.com/in/mary-obrien-cfo"
    assert (mary["city"], mary["state"], mary["country"]) == ("London", "England", "United Kingdom")
    assert mary["_norm"]["employee_count"] == "1001"
    assert mary["mobile_phone"] == "+44 7700 900123"  # Ofcom's drama range: raw kept, no E.164
    assert "mobile_phone_e164" not in mary["_norm"]
    assert rows[3]["_norm"]["mobile_phone_e164"] == "+919876543210"
    robert = rows[14]
    assert robert["email"] == "rsmith@lakesidehealth.org"  # from emails[0]
    assert robert["linkedin_url"] == "https://www.linkedin.com/in/robertsmithjr"  # profileUrl
    assert robert["title"] == "Director of Benefits"  # experience[0].position
    assert robert["company_name"] == "Lakeside Health"
    assert robert["city"] == "Chicago" and robert["_norm"]["country_code"] == "US"
    assert robert["_norm"]["name_suffix"] == "Jr."
    assert all(r.get("title") and r.get("company_name") for r in rows)


@pytest.mark.parametrize(
    ("columns", "preset"),
    [
        (["First Name", "Email", "Email Status", "# Employees", "Person Linkedin Url"], "apollo"),
        (["Record ID", "First Name", "Email", "Country/Region"], "hubspot"),
        (["linkedinUrl", "firstName", "headline"], "apify"),
        (["email", "name"], "generic"),
        (["Email", "First Name"], "generic"),
    ],
)
def test_detect_preset(columns, preset):
    assert presets.detect_preset(columns) == preset


def test_generic_preset_keeps_todays_synonyms():
    assert presets.guess_mapping(["Work Email", "Full Name", "Employer", "Notes"], "generic") == {
        "Work Email": "email",
        "Full Name": "full_name",
        "Employer": "company",
        "Notes": KEEP,
    }


def test_flatten_nested_json():
    row = {"a": {"b": 1, "c": {"d": "x"}}, "tags": ["p", "q"], "jobs": [{"t": "A"}, {"t": "B"}]}
    assert presets.flatten(row) == {"a.b": "1", "a.c.d": "x", "tags": "p; q", "jobs.0.t": "A"}


def test_sample_values_are_the_first_three_non_blank():
    rows = [{"a": ""}, {"a": "1"}, {"a": "2"}, {"a": "2"}, {"a": "3"}, {"a": "4"}]
    assert presets.sample_values(rows, ["a", "b"]) == {"a": ["1", "2", "3"], "b": []}


def test_prepare_rows_is_lazy():
    """Rows are mapped one at a time (a 100k-row file is never held whole)."""
    seen = []

    def rows():
        for n in itertools.count():
            seen.append(n)
            yield {"email": f"p{n}@x.example"}

    out = presets.prepare_rows(rows(), None)
    assert next(out)["_norm"]["email"] == "p0@x.example"
    assert seen == [0]
