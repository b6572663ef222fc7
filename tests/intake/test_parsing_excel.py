"""Files as Excel writes them: encodings, delimiters, CR LF in quoted cells, streaming."""

import io

import pytest

from intake import decoding, parsing

ROWS = [["Email", "Name", "Title"], ["zoe@acme.example", "Zoë Ñúñez", "VP, People"]]


def _csv(delimiter, newline="\r\n"):
    lines = []
    for row in ROWS:
        lines.append(delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in row))
    return newline.join(lines) + newline


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le-bom", "utf-16"),
        ("utf-16-be-bom", "utf-16"),
        ("cp1252", "cp1252"),
    ],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_encodings_and_delimiters(encoding, expected, delimiter):
    """Every encoding/delimiter pair Excel produces reads back the same rows."""
    text = _csv(delimiter)
    if encoding == "utf-16-le-bom":
        raw = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        raw = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        raw = text.encode(encoding)
    assert decoding.detect_encoding(io.BytesIO(raw)) == expected
    assert parsing.sniff_format(io.BytesIO(raw), "export.csv") == "csv"
    assert parsing.csv_headers(parsing.open_text(io.BytesIO(raw))) == ROWS[0]
    rows = list(parsing.iter_csv(parsing.open_text(io.BytesIO(raw)), {}))
    assert rows == [dict(zip(ROWS[0], ROWS[1], strict=True))]


def test_windows_1252_detected_after_the_first_chunk(monkeypatch):
    """A file that is ASCII for megabytes and then has one Windows-1252 byte is Windows-1252:
    the scan reads the whole file in chunks, never all at once."""
    monkeypatch.setattr(decoding, "SCAN_BYTES", 1024)
    raw = b"email,name\n" + b"a@b.example,Ann\n" * 500 + "c@d.example,Zoë\n".encode("cp1252")
    reads = []
    stream = io.BytesIO(raw)
    real_read = stream.read
    stream.read = lambda n=-1: reads.append(n) or real_read(n)
    assert decoding.detect_encoding(stream) == "cp1252"
    assert -1 not in reads and max(reads) <= 4096
    rows = list(parsing.iter_csv(parsing.open_text(io.BytesIO(raw)), {}))
    assert rows[-1] == {"email": "c@d.example", "name": "Zoë"}


def test_utf16_bom_on_binary_data_is_refused():
    with pytest.raises(parsing.ParseError, match="not UTF-8"):
        parsing.sniff_format(io.BytesIO(b"\xff\xfe[{}]"), "r.json")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_breaks_inside_quoted_cells_become_lf(newline):
    """Excel writes CR LF (Mac: CR) inside quoted cells; they are stored as LF."""
    raw = f'email;note{newline}a@b.example;"two{newline}lines"{newline}'.encode()
    rows = list(parsing.iter_csv(parsing.open_text(io.BytesIO(raw)), {}))
    assert rows == [{"email": "a@b.example", "note": "two\nlines"}]


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("a,b,c", ","),
        ("a;b;c", ";"),
        ("a\tb\tc", "\t"),
        ('"x;y",b,c', ","),
        ('"Last, First";Email', ";"),
        ("single", ","),
    ],
)
def test_sniff_delimiter(line, delimiter):
    assert parsing.sniff_delimiter(line) == delimiter


def test_utf16_json_is_read():
    raw = '[{"email": "zoë@acme.example"}]'.encode("utf-16")
    assert parsing.sniff_format(io.BytesIO(raw), "x.json") == "json"
    assert list(parsing.iter_json(parsing.open_text(io.BytesIO(raw)))) == [
        {"email": "zoë@acme.example"}
    ]


def test_semicolon_header_file_without_csv_name_is_csv():
    assert parsing.sniff_format(io.BytesIO(b"email;name\na@b.example;A\n"), "export.txt") == "csv"
