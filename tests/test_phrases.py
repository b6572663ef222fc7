"""outreach_admin.templatetags.phrases: audit details and run counts read as words on pages
(issue 17 finding: "promoted=3 …", "db_user=outreach_app")."""

import pytest

from outreach_admin.templatetags.phrases import counts_phrase


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            {"source": "apollo", "rows": 5000, "pending": 4812, "db_user": "outreach_app"},
            "source apollo · 5,000 rows · 4,812 pending",
        ),
        ({"promoted": 3, "failed": 0, "load_ids": [1, 2, 3]}, "3 promoted · 0 failed"),
        ({"rows": 1, "pending": 1, "rows_skipped": 2}, "1 row · 1 pending · 2 rows skipped"),
        ({"dry_run": True, "from_date": None}, "dry run: yes"),
        ({}, ""),
        (None, ""),
        ("free text", "free text"),
    ],
)
def test_counts_read_as_words_without_developer_keys(value, expected):
    assert counts_phrase(value) == expected


def test_the_audit_log_page_shows_details_in_words(client, db):
    """Rule: the intake audit log shows the ingest's counts as words, not key=value pairs, and
    never the database login."""
    from intake.services import batch_ingest
    from tests import builders as b

    batch_ingest(rows=[{"email": "words@acme.example"}], source="apollo", batch_id="words-1")
    client.force_login(b.user())
    page = client.get("/intake/audit/").content.decode()
    assert "1 row · 0 failed · source apollo · 1 pending" in page
    assert "db_user" not in page and "outreach_app" not in page and "rows=" not in page
