"""What the pages could not show is refused at upload with the row's number (issue 19
findings: a 5,000-digit integer was a 500, an upload nested 900 deep was accepted and its batch
page then answered 500, a row of 1 MB + 24 bytes passed the documented 1 MB limit)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake import parsing
from intake.models import AuditLog, RawLoad
from tests import builders as b


def _upload(client, content: bytes):
    file = SimpleUploadedFile("rows.json", content)
    return client.post(
        reverse("intake:batch_upload"), {"source": "apollo", "batch_id": "b-lim", "file": file}
    )


def _row(**extra):
    return {"email": "ok@limits.example", "name": "Ok Row", **extra}


ONE_MB = 1024 * 1024


def _row_of_bytes(size: int) -> bytes:
    """A JSON row whose text is exactly ``size`` bytes."""
    shell = json.dumps(_row(pad="")).encode()
    return json.dumps(_row(pad="x" * (size - len(shell)))).encode()


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b'[{"email": "a@limits.example"}, {"email": "n@limits.example", "n": '
            + b"9" * 5000
            + b"}]",
            "Row 2: A number has 5,000 digits (at most 4,300).",
        ),
        (
            b'[{"email": "d@limits.example", "t": ' + b"[" * 900 + b"]" * 900 + b"}]",
            "Row 1 nests deeper than 64 levels.",
        ),
        (
            b"[" + _row_of_bytes(ONE_MB + 24) + b"]",
            "Row 1 is 1,048,600 bytes; a row may be at most 1 MB (1,048,576 bytes).",
        ),
    ],
    ids=["5000-digit integer", "900 deep", "1 MB + 24 bytes"],
)
def test_upload_refuses_what_pages_cannot_show(db, client, content, message):
    """Rule: the upload answers 400 naming the row and the limit, and writes nothing."""
    client.force_login(b.user(group="coordinator"))
    response = _upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RawLoad.objects.exists()
    assert not AuditLog.objects.exists()


def test_rows_at_the_limits_are_read():
    """Rule: a row of exactly 1 MB, nesting MAX_DEPTH levels and a 4,300-digit integer pass."""
    at_size = _row_of_bytes(ONE_MB)
    deep = json.dumps(
        _row(t=json.loads("[" * (parsing.MAX_DEPTH - 1) + "]" * (parsing.MAX_DEPTH - 1)))
    )
    long_int = '{"email": "i@limits.example", "n": ' + "9" * 4300 + "}"
    text = "[" + ",".join([at_size.decode(), deep, long_int]) + "]"

    rows = list(parsing.iter_json(io.StringIO(text)))
    assert len(rows) == 3 and rows[2]["n"] == int("9" * 4300)
