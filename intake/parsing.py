"""Streaming readers for uploaded intake files: JSON arrays, JSON lines and CSV.

Every reader yields one ``dict`` per row and holds at most one buffer of text (plus one row) in
memory, so a 100,000-row file never has to fit in memory. Files are read twice by the callers:
a validation pass (every row checked, nothing written) and an ingest pass in chunks.

Rows the database cannot store are refused with a ``ParseError`` naming the row: values that
are not objects, NUL characters (``\\u0000`` — PostgreSQL's jsonb rejects it), lone UTF-16
surrogates, ``NaN``/``Infinity`` (not JSON), numbers too large for a float, integers longer
than ``MAX_INT_DIGITS`` digits, nesting deeper than ``MAX_DEPTH`` levels and rows whose JSON
text is over ``MAX_ROW_BYTES`` (1 MB) in UTF-8: what the pages could not show, refused here
with the row's number (issue 19).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import IO

from intake import decoding

READ_CHARS = 64 * 1024
MAX_ROW_CHARS = 1024 * 1024
MAX_ROW_BYTES = MAX_ROW_CHARS
# Vendor rows nest a few levels (Apify: profile → positions → company); the pages show 100.
MAX_DEPTH = 64
# Python's own limit for converting digits to an int (sys.get_int_max_str_digits()).
MAX_INT_DIGITS = 4300

# The documented raw fields (docs RAW_V2: intake.raw_load_fields v2) a column can be mapped to.
RAW_FIELDS = [
    ("email", "Email"),
    ("email_status", "Email status (vendor's word)"),
    ("name", "Name (full)"),
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("title", "Title"),
    ("seniority", "Seniority"),
    ("department", "Department"),
    ("phone", "Phone (any kind)"),
    ("work_phone", "Work phone (direct dial)"),
    ("mobile_phone", "Mobile phone"),
    ("linkedin_url", "LinkedIn URL"),
    ("city", "City"),
    ("state", "State / region"),
    ("country", "Country"),
    ("company", "Company"),
    ("company_name", "Company name"),
    ("website", "Website"),
    ("company_website", "Company website"),
    ("domain", "Domain"),
    ("company_linkedin_url", "Company LinkedIn URL"),
    ("company_phone", "Company phone"),
    ("employee_count", "Employee count"),
    ("industry", "Industry"),
    ("company_city", "Company city"),
    ("company_state", "Company state"),
    ("company_country", "Company country"),
]
KEEP = "__keep__"
IGNORE = "__ignore__"
MAPPING_CHOICES = [
    *RAW_FIELDS,
    (KEEP, "Keep as custom field"),
    (IGNORE, "Ignore this column"),
]
_SYNONYMS = {
    "email": {"email", "emailaddress", "mail", "workemail", "businessemail", "e-mail"},
    "email_status": {"emailstatus", "emailverification", "emailverificationstatus"},
    "name": {"name", "contactname", "person", "personname"},
    "full_name": {"fullname"},
    "first_name": {"firstname", "givenname", "first"},
    "last_name": {"lastname", "surname", "familyname", "last"},
    "title": {"title", "jobtitle", "position", "role"},
    "seniority": {"seniority", "senioritylevel", "level"},
    "department": {"department", "departments", "function"},
    "phone": {"phone", "phonenumber", "telephone", "tel"},
    "work_phone": {"directphone", "workphone", "workdirectphone", "directdial", "officephone"},
    "mobile_phone": {"mobile", "mobilephone", "cell", "cellphone", "mobilenumber"},
    "linkedin_url": {"linkedinurl", "linkedin", "linkedinprofile", "personlinkedinurl"},
    "city": {"city", "town"},
    "state": {"state", "region", "province", "stateregion", "county"},
    "country": {"country", "countryregion"},
    "company": {"company", "employer", "organization", "organisation", "account"},
    "company_name": {"companyname", "organizationname", "accountname"},
    "website": {"website", "url", "web", "site", "websiteurl"},
    "company_website": {"companywebsite", "companyurl", "organizationwebsite"},
    "domain": {"domain", "companydomain", "emaildomain", "companydomainname"},
    "company_linkedin_url": {"companylinkedinurl", "companylinkedin"},
    "company_phone": {"companyphone", "corporatephone", "mainphone", "switchboard"},
    "employee_count": {
        "employees",
        "employeecount",
        "numberofemployees",
        "headcount",
        "#employees",
    },
    "industry": {"industry", "sector"},
    "company_city": {"companycity"},
    "company_state": {"companystate"},
    "company_country": {"companycountry"},
}
DELIMITERS = (",", ";", "\t")


class ParseError(ValueError):
    """The file cannot be ingested; the message says why (and which row) for the user."""


def open_text(binary: IO[bytes]) -> io.TextIOWrapper:
    """Decode a binary upload in its detected encoding (``intake.decoding``: UTF-8 with or
    without BOM, UTF-16 with BOM, Windows-1252), BOM dropped; universal newlines off so the CSV
    reader sees quoted line breaks itself."""
    try:
        return decoding.open_text(binary)
    except decoding.EncodingError as exc:
        raise ParseError(str(exc)) from None


def sniff_format(binary: IO[bytes], filename: str = "") -> str:
    """``'json'`` (array, one object, or JSON lines) or ``'csv'``; ``ParseError`` for anything
    else. Looks at the name and the first non-blank character, then rewinds the file."""
    head = binary.read(4096)
    binary.seek(0)
    try:
        encoding = decoding.detect_encoding(binary)
    except decoding.EncodingError as exc:
        raise ParseError(str(exc)) from None
    if encoding != decoding.UTF16 and b"\x00" in head:
        raise ParseError("The file contains NUL bytes: it is not a JSON or CSV text file.")
    text = decoding.head_text(binary, encoding).lstrip()
    if "\x00" in text:
        raise ParseError("The file contains NUL characters: it is not a JSON or CSV text file.")
    name = filename.lower()
    if not text:
        raise ParseError("The file is empty.")
    if text[0] in "[{":
        return "json"
    if name.endswith((".json", ".jsonl", ".ndjson")):
        raise ParseError("The file is named .json but does not start with '[' or '{'.")
    first_line = text.split("\n", 1)[0]
    if name.endswith((".csv", ".tsv")) or any(d in first_line for d in DELIMITERS):
        return "csv"
    raise ParseError("This is not a JSON or CSV file (JSON must start with '[' or '{').")


def sniff_delimiter(line: str) -> str:
    """The delimiter of a CSV header line: the most frequent of ``,`` ``;`` and tab outside
    quotes (comma on a tie or when none occurs)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _reader(text: IO[str]):
    """A ``csv.reader`` over ``text`` with the delimiter sniffed from its first line."""
    first = text.readline()
    return csv.reader(itertools.chain([first], text), delimiter=sniff_delimiter(first))


def check_row(row, number: int) -> dict:
    """Return ``row`` if the database can store it, else raise ``ParseError`` naming the row."""
    if not isinstance(row, dict):
        kind = type(row).__name__.replace("NoneType", "null").replace("dict", "object")
        raise ParseError(f"Row {number} is not a JSON object (it is a {kind}).")
    # Fast path for flat rows of strings (every CSV row): one NUL search and one encode over
    # all keys and values; a row that fails it is checked value by value for the same message.
    values = row.values()
    if all(type(v) is str for v in values):
        try:
            text = "".join(row) + "".join(values)
            text.encode("utf-8")
        except (TypeError, UnicodeEncodeError):
            pass
        else:
            if "\x00" not in text:
                return row
    try:
        _check_value(row, number)
    except RecursionError:
        raise ParseError(f"Row {number} nests too deeply.") from None
    return row


def _check_value(value, number: int, depth: int = 1) -> None:
    if depth > MAX_DEPTH:
        raise ParseError(f"Row {number} nests deeper than {MAX_DEPTH} levels.")
    if isinstance(value, str):
        if "\x00" in value:
            raise ParseError(
                f"Row {number} contains a NUL character (\\u0000), which cannot be stored."
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                f"Row {number} contains an unpaired UTF-16 surrogate (e.g. \\ud800), "
                "which is not valid text."
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_value(key, number, depth)
            _check_value(item, number, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_value(item, number, depth + 1)


def _reject_constant(name):
    raise ParseError(f"{name} is not valid JSON.")


def _finite_float(text):
    value = float(text)
    if math.isinf(value):
        raise ParseError(f"The number {text[:40]} is too large.")
    return value


def _bounded_int(text):
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise ParseError(f"A number has {digits:,} digits (at most {MAX_INT_DIGITS:,}).")
    return int(text)


_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_bounded_int
)


def loads_strict(text: str):
    """One JSON document, refusing what JSON and jsonb do not have: ``NaN``, ``Infinity`` and
    numbers too large for a float (``ParseError``); other syntax errors raise ``ValueError``."""
    return _DECODER.decode(text)


_WS = re.compile(r"[ \t\n\r]*")


def iter_json(text: IO[str]) -> Iterator[dict]:
    """Yield the objects of a JSON array, of one JSON object, or of JSON lines (objects separated
    by whitespace), reading ``READ_CHARS`` at a time.

    A small state machine over a buffer: ``json.JSONDecoder.raw_decode`` decodes one value at a
    time; when it fails at the end of the buffer more text is read, up to ``MAX_ROW_CHARS`` per
    row, so a malformed file cannot make the reader swallow the whole file.
    """
    buf = ""
    pos = 0
    eof = False

    def fill() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        try:
            chunk = text.read(READ_CHARS)
        except UnicodeDecodeError:
            raise ParseError("The file is not UTF-8 text.") from None
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    def skip_ws() -> str:
        """Skip whitespace; return the next character ('' at the end of the file)."""
        nonlocal pos
        while True:
            pos = _WS.match(buf, pos).end()
            if pos < len(buf):
                return buf[pos]
            if not fill():
                return ""

    def decode(number: int):
        nonlocal pos
        while True:
            try:
                value, end = _DECODER.raw_decode(buf, pos)
            except RecursionError:
                raise ParseError(f"Row {number} nests too deeply.") from None
            except ParseError as exc:  # from a number or constant: name the row
                raise ParseError(f"Row {number}: {exc}") from None
            except json.JSONDecodeError as exc:
                if len(buf) - pos > MAX_ROW_CHARS:
                    raise ParseError(
                        f"Row {number} is not valid JSON or is larger than "
                        f"{MAX_ROW_CHARS // 1024} KB."
                    ) from None
                if fill():
                    continue
                raise ParseError(f"Row {number} is not valid JSON: {exc.msg}.") from None
            # A number or literal ending exactly at the buffer's end may continue in the next
            # chunk; read on and decode again.
            if end == len(buf) and not isinstance(value, (dict, list, str)) and fill():
                continue
            # The size is checked on the row's text as the file has it (only a row that might
            # be over the limit is encoded to count its bytes).
            if end - pos > MAX_ROW_BYTES // 4:
                size = len(buf[pos:end].encode("utf-8", "surrogatepass"))
                if size > MAX_ROW_BYTES:
                    raise ParseError(
                        f"Row {number} is {size:,} bytes; a row may be at most 1 MB "
                        f"({MAX_ROW_BYTES:,} bytes)."
                    )
            pos = end
            return value

    first = skip_ws()
    number = 0
    if first == "[":
        pos += 1
        if skip_ws() == "]":
            pos += 1
        else:
            while True:
                number += 1
                yield check_row(decode(number), number)
                nxt = skip_ws()
                if nxt == ",":
                    pos += 1
                    skip_ws()
                    continue
                if nxt == "]":
                    pos += 1
                    break
                if nxt == "":
                    raise ParseError("The JSON array is not closed (missing ']').")
                raise ParseError(f"Expected ',' or ']' after row {number}.")
        if skip_ws() != "":
            raise ParseError("There is text after the end of the JSON array.")
        return
    if first != "{":
        raise ParseError("This is not JSON: a JSON upload must start with '[' or '{'.")
    while skip_ws() != "":
        number += 1
        if buf[pos] != "{":
            raise ParseError(
                f"Row {number} is not a JSON object (JSON lines need one object per line)."
            )
        yield check_row(decode(number), number)


def csv_headers(text: IO[str]) -> list[str]:
    """The header row of a CSV file (``ParseError`` if there is none or it has blanks/repeats)."""
    try:
        header = next(_reader(text), None)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ParseError(f"The CSV header cannot be read: {exc}.") from None
    if not header or not any(h.strip() for h in header):
        raise ParseError("The CSV file has no header row.")
    names = [h.strip() for h in header]
    if any(not n for n in names):
        raise ParseError("Every CSV column needs a header name (one is blank).")
    if len(set(names)) != len(names):
        raise ParseError("The CSV header repeats a column name.")
    for name in names:
        _check_value(name, 1)
    return names


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Header → raw field (or ``KEEP``): exact field names first, then known synonyms; a raw
    field is given to at most one column."""
    taken: set[str] = set()
    mapping = {}
    for header in headers:
        norm = _norm(header)
        guess = KEEP
        for field, synonyms in _SYNONYMS.items():
            if field not in taken and (norm == _norm(field) or norm in synonyms):
                guess = field
                break
        if guess != KEEP:
            taken.add(guess)
        mapping[header] = guess
    return mapping


def needs_mapping(headers: list[str]) -> bool:
    """True unless every header already is a documented raw field name and one is ``email``."""
    fields = {f for f, _ in RAW_FIELDS}
    return "email" not in headers or any(h not in fields for h in headers)


def iter_csv(text: IO[str], mapping: Mapping[str, str]) -> Iterator[dict]:
    """Yield one object per CSV data row, keys renamed by ``mapping`` (header → raw field,
    ``KEEP`` keeps the header as the key, ``IGNORE`` drops the column); blank cells are left
    out; CR LF inside quoted cells becomes LF. The delimiter is sniffed. Rows are numbered
    from 1 after the header, like JSON rows."""
    try:
        reader = _reader(text)
        headers = [h.strip() for h in next(reader)]
        number = 0
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            number += 1
            if len(cells) > len(headers):
                raise ParseError(
                    f"Row {number} has {len(cells)} cells but the header has {len(headers)}."
                )
            row = {}
            for header, cell in zip(headers, cells, strict=False):
                target = mapping.get(header, KEEP)
                if target == IGNORE or not cell.strip():
                    continue
                if "\r" in cell:  # Excel writes CR LF (or a lone CR) inside quoted cells
                    cell = cell.replace("\r\n", "\n").replace("\r", "\n")
                row[header if target == KEEP else target] = cell.strip()
            yield check_row(row, number)
    except csv.Error as exc:
        raise ParseError(f"The CSV file cannot be read: {exc}.") from None
    except UnicodeDecodeError:
        raise ParseError("The file is not UTF-8 text.") from None
    except StopIteration:
        raise ParseError("The CSV file has no header row.") from None
