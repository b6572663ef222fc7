"""Pages survive whatever jsonb the database holds (issue 19 finding: a stored row with a
5,000-digit integer or nesting 1,500 deep made the load and batch pages answer 500: Python's
int-digit limit and RecursionError while decoding)."""

import pytest
from django.db import connection
from django.test import Client

from tests import builders as b

HUGE_INT = "9" * 5000
DEEP = "[" * 1500 + "1" + "]" * 1500


def _store(batch, raw_json):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO intake.raw_loads (batch_id, source, raw_data) "
            "VALUES (%s, 'legacy', %s::jsonb) RETURNING load_id",
            [batch, raw_json],
        )
        return cursor.fetchone()[0]


@pytest.mark.owner
@pytest.mark.parametrize(
    "raw_json, shown",
    [
        ('{"email": "big@legacy.example", "employees": ' + HUGE_INT + "}", "5000-digit number"),
        ('{"email": "deep@legacy.example", "tree": ' + DEEP + "}", "nested too deeply"),
    ],
    ids=["5000-digit integer", "1500 deep"],
)
def test_load_and_batch_pages_show_rows_they_cannot_decode(db, raw_json, shown):
    """Rule: the load page and the batch page answer 200 and say what they could not show."""
    load_id = _store("odd-json", raw_json)
    client = Client(raise_request_exception=False)
    client.force_login(b.user())
    for url in (f"/intake/loads/{load_id}/", "/intake/batches/odd-json/", "/intake/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    page = client.get(f"/intake/loads/{load_id}/").content.decode()
    assert shown in page
