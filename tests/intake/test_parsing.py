"""Streaming readers: JSON arrays split across buffers, JSON lines, CSV, chunked ingest."""

import io
import json

import pytest

from intake import parsing
from intake.models import RawLoad
from intake.services import ingest as services


def rows(n):
    return [{"email": f"p{i}@bulk.example", "name": f"Person {i}", "n": i * 1.5} for i in range(n)]


@pytest.mark.parametrize("read_chars", [7, 64, 65536])
def test_json_array_split_at_any_buffer_boundary(monkeypatch, read_chars):
    """Values (numbers included) cut by the read buffer decode exactly."""
    monkeypatch.setattr(parsing, "READ_CHARS", read_chars)
    data = rows(50) + [{"email": "x@y.example", "big": 12345678901234567890}]
    text = io.StringIO(json.dumps(data, indent=1))
    assert list(parsing.iter_json(text)) == data


def test_json_lines_and_single_object():
    """JSON lines and a lone object are both read as rows."""
    data = rows(3)
    assert list(parsing.iter_json(io.StringIO("\n".join(map(json.dumps, data))))) == data
    assert list(parsing.iter_json(io.StringIO(json.dumps(data[0])))) == data[:1]


def test_reader_never_holds_more_than_a_row_and_a_buffer(monkeypatch):
    """A malformed huge value is refused once it exceeds the per-row limit, not read whole."""
    monkeypatch.setattr(parsing, "MAX_ROW_CHARS", 1000)
    text = io.StringIO('[{"email": "a@b.example", "x": "' + "y" * 100_000)
    with pytest.raises(parsing.ParseError, match="larger than"):
        list(parsing.iter_json(text))
    assert text.tell() < 200_000


def test_guess_mapping_gives_each_field_once():
    """Synonyms map to raw fields; a second column for the same field is kept as custom."""
    mapping = parsing.guess_mapping(["E-mail", "Email Address", "Surname", "Company Website"])
    assert mapping == {
        "E-mail": "email",
        "Email Address": "__keep__",
        "Surname": "last_name",
        "Company Website": "company_website",
    }


def test_csv_rows_with_quoted_newlines():
    """CSV cells with quoted line breaks and blank lines are handled."""
    text = io.StringIO('email,note\r\na@b.example,"two\nlines"\r\n\r\nc@d.example,\r\n')
    assert list(parsing.iter_csv(text, {"email": "email", "note": "__keep__"})) == [
        {"email": "a@b.example", "note": "two\nlines"},
        {"email": "c@d.example"},
    ]


def test_5k_row_file_is_ingested_in_chunks(db, monkeypatch, tmp_path):
    """A 5,000-row file goes to f_ingest_json in chunks of 2,000 (3 calls), every row kept."""
    path = tmp_path / "bulk.json"
    with open(path, "w") as fh:
        fh.write("[")
        for i, row in enumerate(rows(5000)):
            fh.write(("," if i else "") + json.dumps(row))
        fh.write("]")
    calls = []
    real = services._ingest_call

    def counting(rows, pending_rows):
        calls.append(len(rows))
        return real(rows, pending_rows)

    monkeypatch.setattr(services, "_ingest_call", counting)

    def open_rows():
        fh = open(path, "rb")  # noqa: SIM115
        return parsing.iter_json(parsing.open_text(fh))

    totals = services.upload_ingest(open_rows=open_rows, source="apollo", batch_id="bulk")
    assert calls == [2000, 2000, 1000]
    assert (totals.rows, totals.inserted, totals.chunks) == (5000, 5000, 3)
    assert RawLoad.objects.filter(batch_id="bulk").count() == 5000


def test_bad_row_late_in_the_file_stores_nothing(db):
    """A bad row after thousands of good ones refuses the upload before any chunk is written."""
    text = json.dumps(rows(4500) + [[1]])
    with pytest.raises(services.IngestRefused, match="Row 4501 is not a JSON object"):
        services.upload_ingest(
            open_rows=lambda: parsing.iter_json(io.StringIO(text)), source="apollo", batch_id="x"
        )
    assert not RawLoad.objects.exists()


def test_skip_messages_are_numbered_within_the_file(db, monkeypatch):
    """Rows skipped by SQL in a later chunk are reported with their position in the file."""
    monkeypatch.setattr(services, "INGEST_CHUNK_ROWS", 2)
    data = [{"email": "a@x.example"}, {"email": "b@x.example"}, {"name": "no email"}]
    totals = services.batch_ingest_stream(
        rows=iter(data), source="apollo", batch_id="s", chunk_size=2
    )
    assert totals.skip_messages == ["row 3 skipped: email is missing"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"email": "a@b.co", "title": "x\x00y"}, "contains a NUL character"),
        ({"email": "a@b.co", "ti\x00tle": "x"}, "contains a NUL character"),
        ({"email": "a@b.co", "title": "x\ud800"}, "unpaired UTF-16 surrogate"),
        ({"email": "a@b.co", "title": "\ud83d", "city": "\ude00"}, "unpaired UTF-16 surrogate"),
        ({"email": "a@b.co", "n": 1, "title": "x\x00"}, "contains a NUL character"),
    ],
)
def test_check_row_fast_path_refuses_what_the_value_walk_refuses(row, message):
    """Flat all-string rows (CSV) take a joined-text fast path; it refuses the same rows with
    the same message (surrogate halves in two cells do not pair up when joined)."""
    with pytest.raises(parsing.ParseError, match=message):
        parsing.check_row(row, 7)


def test_check_row_fast_path_returns_clean_rows():
    """A clean flat row (and an empty one) is returned as it is."""
    row = {"email": "zoë@example.com", "title": "VP, People\n(Americas)"}
    assert parsing.check_row(row, 1) is row
    assert parsing.check_row({}, 1) == {}


def test_a_reader_failing_after_chunks_in_flight_stores_nothing(db):
    """The pipelined stream: a ParseError from the reader while a chunk is still running in the
    database rolls back every chunk, and the connection answers queries afterwards."""

    def reader():
        for i in range(7):
            yield {"email": f"late{i}@x.example"}
        raise parsing.ParseError("Row 8 is not a JSON object.")

    with pytest.raises(parsing.ParseError, match="Row 8"):
        services.batch_ingest_stream(rows=reader(), source="apollo", batch_id="late", chunk_size=2)
    assert not RawLoad.objects.filter(batch_id="late").exists()
    assert RawLoad.objects.count() == 0


def test_a_database_error_in_a_later_chunk_stores_nothing(db):
    """A chunk the database refuses (a NUL character: jsonb has none) after two good chunks:
    the error surfaces as django.db.DataError, nothing of the upload is kept, and the
    connection works afterwards (the pipeline was left cleanly)."""
    from django.db import DataError

    data = [{"email": f"ok{i}@x.example"} for i in range(4)]
    data += [{"email": "nul@x.example", "title": "a\x00b"}, {"email": "after@x.example"}]
    with pytest.raises(DataError):
        services.batch_ingest_stream(rows=iter(data), source="apollo", batch_id="nul", chunk_size=2)
    assert RawLoad.objects.filter(batch_id="nul").count() == 0
    totals = services.batch_ingest_stream(
        rows=iter(data[:4]), source="apollo", batch_id="nul-2", chunk_size=2
    )
    assert (totals.inserted, totals.chunks) == (4, 2)
