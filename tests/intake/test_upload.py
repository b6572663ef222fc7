"""Upload page: JSON array, JSON lines, pasted JSON, CSV with mapping, bad files, re-upload."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.models import AuditLog, RawLoad, SavedMapping
from tests import builders as b

URL = reverse("intake:batch_upload")
MAP_URL = reverse("intake:batch_upload_map")


@pytest.fixture
def coordinator_client(client, db):
    client.force_login(b.user(group="coordinator"))
    return client


def _post(client, content, name="rows.json", *, batch="b-1", source="apollo", **extra):
    data = {"source": source, "batch_id": batch, **extra}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return client.post(URL, data)


def _raw(load):
    """The vendor's values of a load: its raw_data without the normalised "_norm" object."""
    return {k: v for k, v in load.raw_data.items() if k != "_norm"}


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


ROWS = [
    {"email": "ann@acme.example", "name": "Ann Lee", "title": "CFO", "company": "Acme"},
    {"email": "bo@acme.example", "first_name": "Bo", "last_name": "Chen"},
    {"email": "cy@beta.example", "title": "CEO", "company_name": "Beta"},
]


def test_get_shows_generated_batch_id(coordinator_client):
    """The form offers a batch id like upload-YYYY-MM-DD-HHMM."""
    response = coordinator_client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["batch_id"].startswith("upload-20")


def test_json_array_is_stored_as_pending(coordinator_client):
    """A JSON array of objects becomes pending raw loads and redirects to the batch page."""
    response = _post(coordinator_client, json.dumps(ROWS).encode())
    assert response.status_code == 302
    assert response.url == reverse("intake:batch", args=["b-1"])
    loads = RawLoad.objects.filter(batch_id="b-1").order_by("load_id")
    assert [load.raw_data["email"] for load in loads] == [r["email"] for r in ROWS]
    assert {load.status for load in loads} == {"pending"}
    assert AuditLog.objects.filter(batch_id="b-1", action="batch_ingested").exists()


def test_json_lines_are_stored(coordinator_client):
    """One object per line (JSON lines) is accepted."""
    body = "\n".join(json.dumps(r) for r in ROWS).encode()
    response = _post(coordinator_client, body, "rows.jsonl")
    assert response.status_code == 302
    assert RawLoad.objects.filter(batch_id="b-1").count() == 3


def test_bom_is_ignored(coordinator_client):
    """A UTF-8 byte-order mark at the start of the file is dropped."""
    response = _post(coordinator_client, b"\xef\xbb\xbf" + json.dumps(ROWS).encode())
    assert response.status_code == 302
    assert RawLoad.objects.filter(batch_id="b-1").count() == 3


def test_pasted_json_is_stored(coordinator_client):
    """Pasted JSON (no file) is ingested like a file."""
    response = coordinator_client.post(
        URL, {"source": "manual", "batch_id": "paste-1", "pasted": json.dumps(ROWS[:1])}
    )
    assert response.status_code == 302
    assert RawLoad.objects.get(batch_id="paste-1").source == "manual"


def test_same_file_twice_adds_no_pending_rows(coordinator_client):
    """Re-uploading the same rows stores duplicates, never new pending loads."""
    body = json.dumps(ROWS).encode()
    _post(coordinator_client, body, batch="first")
    _post(coordinator_client, body, batch="second")
    assert RawLoad.objects.filter(status="pending").count() == 3
    assert set(RawLoad.objects.filter(batch_id="second").values_list("status", flat=True)) == {
        "duplicate"
    }


def test_csv_with_known_headers_needs_no_mapping(coordinator_client):
    """A CSV whose headers are the raw field names is stored directly."""
    body = b"email,name,title\nann@acme.example,Ann Lee,CFO\nbo@acme.example,Bo,\n"
    response = _post(coordinator_client, body, "rows.csv")
    assert response.status_code == 302
    ann = RawLoad.objects.get(raw_data__email="ann@acme.example")
    assert _raw(ann) == {"email": "ann@acme.example", "name": "Ann Lee", "title": "CFO"}
    assert ann.raw_data["_norm"] == {
        "email": "ann@acme.example",
        "first_name": "Ann",
        "last_name": "Lee",
        "full_name": "Ann Lee",
    }
    assert _raw(RawLoad.objects.get(raw_data__email="bo@acme.example")) == {
        "email": "bo@acme.example",
        "name": "Bo",
    }


def test_csv_with_other_headers_goes_through_mapping(coordinator_client):
    """Unknown headers show a mapping step with guessed defaults; the chosen mapping is used."""
    body = b"Work Email,Full Name,Job Title,Employer,Notes\nann@acme.example,Ann Lee,CFO,Acme,hi\n"
    response = _post(coordinator_client, body, "apollo.csv")
    assert response.status_code == 302 and response.url == MAP_URL
    assert not RawLoad.objects.exists()
    page = coordinator_client.get(MAP_URL)
    form = page.context["form"]
    assert [form[f"col_{n}"].initial for n in range(5)] == [
        "email",
        "full_name",
        "title",
        "company",
        "__keep__",
    ]
    response = coordinator_client.post(
        MAP_URL,
        {
            "col_0": "email",
            "col_1": "name",
            "col_2": "title",
            "col_3": "company",
            "col_4": "__ignore__",
        },
    )
    assert response.status_code == 302
    load = RawLoad.objects.get()
    assert load.raw_data["_norm"]["email"] == "ann@acme.example"
    assert _raw(load) == {
        "email": "ann@acme.example",
        "name": "Ann Lee",
        "title": "CFO",
        "company": "Acme",
    }


def test_csv_mapping_requires_an_email_column(coordinator_client):
    """A mapping without Email is refused with a message and nothing stored."""
    _post(coordinator_client, b"Mail,Who\nann@acme.example,Ann\n", "x.csv")
    response = coordinator_client.post(MAP_URL, {"col_0": "__keep__", "col_1": "name"})
    assert response.status_code == 400
    assert "Map one column to Email" in response.content.decode()
    assert not RawLoad.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"hello world\nthis is text", "notes.txt", "not a JSON or CSV file"),
        (b"just some words", "notes.bin", "not a JSON or CSV file"),
        (b'[{"email": "a@x.example"}, 42]', "rows.json", "Row 2 is not a JSON object"),
        (b'{"email": "a@x.example"}\n["x"]\n', "rows.jsonl", "Row 2 is not a JSON object"),
        (
            b'[{"email": "a@x.example"}, {"email": "b@x.example", "n": "a\\u0000b"}]',
            "r.json",
            "NUL character",
        ),
        (b'[{"email": "a@x.example", "n": "\\ud800"}]', "r.json", "surrogate"),
        (b'[{"email": "a@x.example"}, {"email": ', "r.json", "Row 2 is not valid JSON"),
        (b'[{"email": "a@x.example"}', "r.json", "not closed"),
        (b'[{"email": "a@x.example", "n": NaN}]', "r.json", "NaN is not valid JSON"),
        (b"email,name\na@x.example,A\x00B\n", "r.csv", "NUL"),
        (b"\xff\xfe[{}]", "r.json", "not UTF-8"),
        (b"", "r.json", "empty"),
        (b"[]", "r.json", "no rows"),
    ],
)
def test_bad_files_are_refused_whole(coordinator_client, content, name, expected):
    """Every unreadable file gets a clear message and nothing is written, not even row 1."""
    response = _post(coordinator_client, content, name)
    assert response.status_code == 400
    text = " ".join(_messages(response)) + response.content.decode()
    assert expected in text
    assert not RawLoad.objects.exists()
    assert not AuditLog.objects.exists()


def test_over_limit_file_is_refused(coordinator_client, settings):
    """A file over INTAKE_MAX_UPLOAD_MB is refused before reading."""
    settings.INTAKE_MAX_UPLOAD_MB = 1
    body = json.dumps([{"email": f"p{i}@x.example", "pad": "x" * 100} for i in range(12000)])
    response = _post(coordinator_client, body.encode())
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()
    assert not RawLoad.objects.exists()


def test_file_and_paste_together_are_refused(coordinator_client):
    """Exactly one input: a file or pasted JSON."""
    response = _post(coordinator_client, b"[]", pasted="[]")
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_source_and_batch_id_are_validated(coordinator_client):
    """The source is required and the batch id limited to a safe alphabet."""
    response = _post(coordinator_client, json.dumps(ROWS).encode(), source="", batch="bad id/x")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"source", "batch_id"}
    assert not RawLoad.objects.exists()


def test_viewer_cannot_upload(client, db):
    """A viewer gets 403 on the upload page and its POST, and nothing is written."""
    client.force_login(b.user(group="viewer"))
    assert client.get(URL).status_code == 403
    response = _post(client, json.dumps(ROWS).encode())
    assert response.status_code == 403
    assert not RawLoad.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    """Anonymous users are redirected to the login page."""
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


DATA = Path(__file__).parent / "data"


def _upload_fixture(client, name, *, batch, source="apollo", remember=True, change=None):
    """Upload a fixture, confirm the mapping step with its guesses (``change`` overrides)."""
    response = _post(client, (DATA / name).read_bytes(), name, batch=batch, source=source)
    assert response.status_code == 302 and response.url == MAP_URL, _messages(response)
    page = client.get(MAP_URL)
    form = page.context["form"]
    data = {f"col_{n}": form[f"col_{n}"].initial for n in range(len(form.headers))}
    data.update(change or {})
    if remember:
        data["remember"] = "1"
    return page, client.post(MAP_URL, data, follow=True)


def test_apollo_export_goes_through_the_preset_mapping(coordinator_client):
    """Apollo is detected; the mapping step shows its guesses and sample values; refused
    e-mails are named with their row; rows carry "_norm"."""
    page, response = _upload_fixture(coordinator_client, "apollo_people.csv", batch="apollo-1")
    html = page.content.decode()
    assert "Apollo people export" in html
    assert "020 7946 0958" in html and "Sample values" in html
    form = page.context["form"]
    initial = {form[f"col_{n}"].label: form[f"col_{n}"].initial for n in range(len(form.headers))}
    assert initial["Email Status"] == "email_status" and initial["Mobile Phone"] == "mobile_phone"
    text = " ".join(_messages(response))
    assert "row 21 refused: email 'oliver.grant@@brokenemail.co.uk' is not valid" in text
    assert "row 22 skipped: email has no @" in text and "row 21 skipped" not in text
    assert "28 rows read: 24 stored as pending, 1 duplicates, 3 skipped" in text
    loads = RawLoad.objects.filter(batch_id="apollo-1")
    assert loads.count() == 25  # skipped rows (a blank e-mail, two refused) are not stored
    mary = loads.filter(raw_data__email="mary.obrien@harbourfreight.co.uk").order_by("load_id")
    assert mary[0].raw_data["_norm"]["work_phone_e164"] == "+442079460958"
    assert mary[1].status == "duplicate"


def test_hubspot_semicolon_cp1252_export(coordinator_client):
    _, response = _upload_fixture(
        coordinator_client, "hubspot_contacts.csv", batch="hub-1", source="other"
    )
    assert response.status_code == 200
    francois = RawLoad.objects.get(raw_data__email="francois.lefevre@bureau-conseil.fr")
    assert francois.raw_data["first_name"] == "François"
    assert francois.raw_data["Record ID"] == "1001"
    assert francois.raw_data["_norm"]["country_code"] == "FR"


def test_utf16_tab_export(coordinator_client):
    response = _post(
        coordinator_client, (DATA / "unicode_export.txt").read_bytes(), "export.txt", batch="u16"
    )
    assert response.status_code == 302 and response.url == MAP_URL
    page = coordinator_client.get(MAP_URL)
    assert "Watanabe, Kenji" in page.content.decode()


def test_apify_json_gets_the_mapping_step_with_dotted_paths(coordinator_client):
    """Nested JSON is mapped like CSV: dotted paths, sample values, preset guesses."""
    page, response = _upload_fixture(
        coordinator_client, "apify_linkedin.json", batch="apify-1", source="apify"
    )
    form = page.context["form"]
    labels = [form[f"col_{n}"].label for n in range(len(form.headers))]
    assert "location.city" in labels and "experiences.0.title" in labels
    assert "Tokyo" in page.content.decode()
    assert response.status_code == 200
    robert = RawLoad.objects.get(raw_data__email="rsmith@lakesidehealth.org")
    assert robert.raw_data["title"] == "Director of Benefits"
    assert robert.raw_data["linkedin_url"] == "https://www.linkedin.com/in/robertsmithjr"
    assert RawLoad.objects.filter(batch_id="apify-1", status="pending").count() == 14


def test_confirmed_mapping_is_remembered_per_source(coordinator_client):
    """A mapping confirmed with "remember" is saved for the source and preset and is the next
    upload's default for that source; another source starts from the guesses."""
    body = b"Mail,Who,Notes\nann@acme.example,Ann,x\n"
    _post(coordinator_client, body, "a.csv", batch="m-1", source="manual")
    coordinator_client.post(
        MAP_URL, {"col_0": "email", "col_1": "name", "col_2": "__ignore__", "remember": "1"}
    )
    saved = SavedMapping.objects.get(source="manual", preset="generic")
    assert saved.mapping == {"Mail": "email", "Who": "name", "Notes": "__ignore__"}
    _post(coordinator_client, body.replace(b"ann", b"bo"), "b.csv", batch="m-2", source="manual")
    form = coordinator_client.get(MAP_URL).context["form"]
    assert [form[f"col_{n}"].initial for n in range(3)] == ["email", "name", "__ignore__"]
    _post(coordinator_client, body, "c.csv", batch="m-3", source="apollo")
    form = coordinator_client.get(MAP_URL).context["form"]
    assert form["col_2"].initial == "__keep__"


def _map_page(client, body, *, source="manual", batch="s-1", query=""):
    response = _post(client, body, "rows.csv", batch=batch, source=source)
    assert response.status_code == 302 and response.url == MAP_URL, _messages(response)
    return client.get(MAP_URL + query)


def _initials(page):
    form = page.context["form"]
    return {f.label: f.initial for f in form.columns()}


def test_a_mapping_saved_by_another_user_prefills_the_step_and_says_whose(client, db):
    """Saved mappings are shared, not per session: a colleague's upload of the same source
    starts from the mapping another coordinator saved, and the page names who saved it."""
    body = b"Mail,Who,Notes\nann@acme.example,Ann,x\n"
    client.force_login(b.user("demo", group="coordinator"))
    _map_page(client, body, batch="s-1")
    client.post(
        MAP_URL, {"col_0": "email", "col_1": "name", "col_2": "__ignore__", "remember": "1"}
    )
    assert AuditLog.objects.get(action="mapping_saved").user_name == "demo"
    client.logout()
    client.force_login(b.user("erin", group="coordinator"))
    page = _map_page(client, body.replace(b"ann", b"bo"), batch="s-2")
    assert _initials(page) == {"Mail": "email", "Who": "name", "Notes": "__ignore__"}
    html = " ".join(page.content.decode().split())
    stamp = timezone.localtime(SavedMapping.objects.get().updated_at)
    day = f"{stamp.day} {stamp:%b %Y}"
    assert f"Using the mapping saved for manual by demo on {day}." in html
    assert 'href="?saved=0"' in html
    assert f"it replaces the one saved by demo on {day}" in html


def test_dont_use_shows_the_preset_guesses_and_remember_replaces_it(client, db):
    """ "Don't use it" (?saved=0) starts from the preset's guesses; confirming with remember
    then replaces the saved mapping, naming the new user."""
    b.user("demo", group="coordinator")
    services.mapping_save(
        source="manual",
        preset="generic",
        mapping={"Mail": "email", "Who": "__ignore__", "Notes": "__ignore__"},
        headers=["Mail", "Who", "Notes"],
        actor="demo",
    )
    client.force_login(b.user("erin", group="coordinator"))
    page = _map_page(client, b"Mail,Who,Notes\nann@acme.example,Ann,x\n", query="?saved=0")
    assert _initials(page) == {"Mail": "email", "Who": "__keep__", "Notes": "__keep__"}
    assert "Not using the mapping saved for manual by demo" in page.content.decode()
    response = client.post(
        MAP_URL + "?saved=0",
        {"col_0": "email", "col_1": "name", "col_2": "__keep__", "remember": "1"},
    )
    assert response.status_code == 302
    saved = SavedMapping.objects.get()
    assert saved.updated_by == "erin" and saved.mapping["Who"] == "name"


def test_a_new_column_keeps_the_preset_default(coordinator_client):
    """Columns of the new file that the saved mapping does not name get the preset's default
    (and are listed on the page); the saved ones keep their saved field."""
    b.user("demo", group="coordinator")
    services.mapping_save(
        source="apollo",
        preset="apollo",
        mapping={"Email": "email", "Title": "__ignore__", "First Name": "full_name"},
        headers=["Email", "Title", "First Name"],
        actor="demo",
    )
    page = _map_page(coordinator_client, (DATA / "apollo_people.csv").read_bytes(), source="apollo")
    initial = _initials(page)
    assert initial["Title"] == "__ignore__" and initial["First Name"] == "full_name"
    assert initial["Mobile Phone"] == "mobile_phone" and initial["Last Name"] == "last_name"
    assert initial["Email Status"] == "email_status"
    html = page.content.decode()
    assert "<code>Mobile Phone</code>" in html and "<code>Title</code>" not in html


def test_unticked_remember_saves_nothing(coordinator_client):
    """Without "remember" the rows are stored but no mapping is saved."""
    _map_page(coordinator_client, b"Mail,Who\nann@acme.example,Ann\n")
    response = coordinator_client.post(MAP_URL, {"col_0": "email", "col_1": "name"})
    assert response.status_code == 302
    assert RawLoad.objects.count() == 1 and not SavedMapping.objects.exists()


def test_a_mapping_to_an_unknown_raw_field_is_a_form_error(coordinator_client):
    """A column posted to a field that does not exist is a form error (400), not a 500: no
    rows, no saved mapping."""
    _map_page(coordinator_client, b"Mail,Who\nann@acme.example,Ann\n")
    data = {"col_0": "email", "col_1": "favourite_colour", "remember": "1"}
    response = coordinator_client.post(MAP_URL, data)
    assert response.status_code == 400
    assert "favourite_colour is not one of the available choices" in response.content.decode()
    assert not RawLoad.objects.exists() and not SavedMapping.objects.exists()


def test_an_over_long_source_is_a_form_error_and_stores_nothing(coordinator_client):
    """A source the saved-mapping table cannot hold (over 100 characters) is a clear form error
    before anything is stored: no rows, no mapping, no audit row."""
    _map_page(coordinator_client, b"Mail,Who\nann@acme.example,Ann\n")
    session = coordinator_client.session
    pending = session["intake_pending_csv"]
    pending["source"] = "s" * 101
    session["intake_pending_csv"] = pending
    session.save()
    response = coordinator_client.post(
        MAP_URL, {"col_0": "email", "col_1": "name", "remember": "1"}
    )
    assert response.status_code == 400
    assert (
        "The mapping cannot be remembered: The source is 101 characters long; the limit is 100."
        in response.content.decode()
    )
    assert not RawLoad.objects.exists() and not SavedMapping.objects.exists()
    assert not AuditLog.objects.exists()


def test_a_viewer_cannot_open_or_confirm_the_mapping_step(client, db):
    """Viewers get 403 on the mapping step, GET and POST, and nothing is saved."""
    client.force_login(b.user(group="viewer"))
    assert client.get(MAP_URL).status_code == 403
    data = {"col_0": "email", "col_1": "name", "remember": "1"}
    assert client.post(MAP_URL, data).status_code == 403
    assert not SavedMapping.objects.exists()
