# ruff: noqa: E501 (corpus data reads best one case per line)
"""The bad-input corpus: raw request bodies (API and paste) and hostile strings (form fields,
search boxes, filters). Each entry is (label, value)."""

import json

DEEP = 10_000

# Raw bodies: none is a valid API payload, so every endpoint must answer 4xx and write nothing.
BODIES: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("whitespace", b"   \n\t "),
    ("not json", b"hello world"),
    ("truncated object", b'{"queue": "company_urls"'),
    ("trailing comma", b'{"queue": "company_urls",}'),
    ("single quotes", b"{'queue': 'company_urls'}"),
    ("NaN", b'{"limit": NaN}'),
    ("Infinity", b'{"limit": Infinity}'),
    ("null", b"null"),
    ("true", b"true"),
    ("number", b"42"),
    ("string", b'"company_urls"'),
    ("array", b'[{"queue": "company_urls"}]'),
    ("empty object", b"{}"),
    ("wrong type limit", b'{"queue": "company_urls", "limit": "10"}'),
    ("bool limit", b'{"queue": "company_urls", "limit": true}'),
    ("float limit", b'{"queue": "company_urls", "limit": 1.5}'),
    ("negative limit", b'{"queue": "company_urls", "limit": -1}'),
    ("huge limit", b'{"queue": "company_urls", "limit": 99999999999999999999999999}'),
    ("unknown queue", b'{"queue": "drop_table"}'),
    ("unknown key", b'{"queue": "company_urls", "is_superuser": true}'),
    ("NUL escape in value", b'{"queue": "company_urls\\u0000"}'),
    ("NUL escape in key", b'{"que\\u0000ue": "company_urls"}'),
    ("lone surrogate", b'{"queue": "\\ud800"}'),
    ("lone low surrogate", b'{"actor_id": "\\udfff", "run_id": "r", "status": "FAILED"}'),
    ("NUL in nested data", b'{"company_id": 1, "url_type": "website", "data": {"a": "\\u0000"}}'),
    (
        "surrogate in nested key",
        b'{"company_id": 1, "url_type": "website", "data": {"\\ud800": 1}}',
    ),
    ("duplicate keys", b'{"queue": "company_urls", "queue": "email_recheck", "queue": 1}'),
    ("deep arrays", b"[" * DEEP + b"]" * DEEP),
    ("deep objects", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    (
        "deep in data",
        b'{"company_id": 1, "url_type": "website", "data": '
        + b'{"a":' * DEEP
        + b"1"
        + b"}" * DEEP
        + b"}",
    ),
    ("over 1 MB", b'{"queue": "company_urls", "pad": "' + b"x" * (1024 * 1024 + 10) + b'"}'),
    ("BOM", b'\xef\xbb\xbf{"queue": "company_urls", "limit": 0}'),
    ("UTF-16", '{"queue": 1}'.encode("utf-16")),
    ("invalid UTF-8", b'{"queue": "\xff\xfe"}'),
    ("overlong UTF-8", b'{"queue": "\xc0\xaf"}'),
    ("encoded surrogate bytes", b'{"queue": "\xed\xa0\x80"}'),
    ("negative id", b'{"company_id": -1, "url_type": "website"}'),
    ("zero id", b'{"contact_id": 0, "email_status": "green"}'),
    ("huge id", b'{"contact_id": 9223372036854775808, "email_status": "green"}'),
    ("string id", b'{"contact_id": "1", "email_status": "green"}'),
    ("sql id", b'{"contact_id": "1; DROP TABLE people.contact; --", "email_status": "red"}'),
    ("bad email", b'{"contact_id": 1, "email_status": "green", "email": "a@@b"}'),
    (
        "320-char email",
        json.dumps(
            {
                "contact_id": 1,
                "email_status": "green",
                "email": "a" * 64 + "@" + ("b" * 63 + ".") * 4 + "com",
            }
        ).encode(),
    ),
    ("bad status", b'{"job_id": 1, "status": "exploded"}'),
    (
        "bad date",
        b'{"actor_id": "a", "run_id": "r", "status": "FAILED", "started_at": "yesterday"}',
    ),
    (
        "year 0 date",
        b'{"actor_id": "a", "run_id": "r", "status": "FAILED", "started_at": "0000-01-01"}',
    ),
    (
        "huge decimal",
        b'{"actor_id": "a", "run_id": "r", "status": "FAILED", "compute_units": 1e309}',
    ),
    ("array for object", b'{"company_id": 1, "url_type": "website", "data": [1, 2]}'),
    ("object for array", b'{"contact_id": 1, "skills": {"a": 1}}'),
    ("non-string skills", b'{"contact_id": 1, "skills": [1, null]}'),
]

# Hostile strings for text inputs (forms, search, paste values).
STRINGS: list[tuple[str, str]] = [
    ("sql drop", "'; DROP TABLE company.company; --"),
    ("sql or", "' OR '1'='1"),
    ("sql comment", "admin'--"),
    ("like wildcards", "%_%\\"),
    ("regex meta", ".*(?:)[]{}^$|"),
    ("script tag", "<script>alert(1)</script>"),
    ("img onerror", '<img src=x onerror="alert(1)">'),
    ("template tags", "{{ settings.SECRET_KEY }}{% debug %}"),
    ("formula =", '=HYPERLINK("http://evil","x")'),
    ("formula +", "+cmd|' /C calc'!A0"),
    ("formula -", "-2+3"),
    ("formula @", "@SUM(1+1)"),
    ("rtl override", "Acme\u202egnp.exe"),
    ("zero width", "Ac\u200bme\ufeff"),
    ("combining", "e\u0301\u0301\u0301"),
    ("emoji", "Acme 🚀👩‍👩‍👧"),
    ("arabic-indic digits", "٣٤٥"),
    ("idn email", "jörg@bücher.example"),
    ("long email", "a" * 64 + "@" + ("b" * 63 + ".") * 4 + "com"),
    ("10k chars", "x" * 10_000),
    ("huge integer", "9" * 40),
    ("negative", "-1"),
    ("newlines", "a\r\nb\rc\n"),
    ("only spaces", "     "),
]
# Values PostgreSQL text cannot hold, sent percent-encoded as raw bytes in form bodies.
RAW_FIELD_BYTES: list[tuple[str, bytes]] = [
    ("NUL", b"abc\x00def"),
    ("lone surrogate bytes", b"\xed\xa0\x80"),
    ("invalid UTF-8", b"\xff\xfe\xfd"),
]

CORPUS_SIZE = len(BODIES) + len(STRINGS) + len(RAW_FIELD_BYTES)
