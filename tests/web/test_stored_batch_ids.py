"""A batch id with a line break stored before f_ingest_json refused them (intake 0050) is shown
on every intake page that lists or links it (issue 19: /intake/, the audit log and the load page
answered 500 for everyone, NoReverseMatch)."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client

from tests import builders as b

BATCH = "legacy\nbatch\r2"


@pytest.mark.owner
def test_pages_show_a_stored_batch_id_with_line_breaks(db):
    """The batch list, the audit log, the load page and the batch page itself answer 200 and
    link the batch by its escaped id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO intake.raw_loads (batch_id, source, raw_data) "
            "VALUES (%s, 'legacy', '{\"email\": \"old@legacy.example\"}') RETURNING load_id",
            [BATCH],
        )
        load_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO intake.audit_log (action, batch_id, record_count) "
            "VALUES ('batch_ingested', %s, 1)",
            [BATCH],
        )
    client = Client(raise_request_exception=False)
    client.force_login(b.user())
    batch_url = f"/intake/batches/{quote(BATCH, safe='')}/"
    for url in ("/intake/", "/intake/audit/", f"/intake/loads/{load_id}/", batch_url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert quote(BATCH) in client.get("/intake/").content.decode()
    assert b"old@legacy.example" in client.get(batch_url).content
