"""Upload page: JSON array, JSON lines, pasted JSON, CSV with mapping, bad files, re-upload."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.models import AuditLog, RawLoad
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
