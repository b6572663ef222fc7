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


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            {"table_name": "contact", "action": "insert", "changed_fields": ["email"]},
            "created the person",
        ),
        (
            {
                "table_name": "contact",
                "action": "update",
                "changed_fields": ["title", "email", "updated_at"],
            },
            "changed title and e-mail of the person",
        ),
        (
            {
                "table_name": "contact_verification",
                "action": "update",
                "changed_fields": ["email_status"],
            },
            "changed e-mail status of the e-mail verification",
        ),
        (
            {"table_name": "company", "action": "delete", "changed_fields": None},
            "deleted the company",
        ),
        (
            {"table_name": "contact", "action": "update", "changed_fields": ["updated_at"]},
            "updated the person",
        ),
    ],
)
def test_history_rows_read_as_words(row, expected):
    """A history row names what changed in the page's words, not the columns."""
    from outreach_admin.templatetags.phrases import history_change

    assert history_change(row) == expected


def test_field_list_leaves_out_bookkeeping_and_joins_with_and():
    """Keys and stamps the database keeps are not "changes" a coordinator made."""
    from outreach_admin.templatetags.phrases import field_list

    assert field_list(["renewal_month", "industry", "updated_at", "contact_id"]) == (
        "renewal month and industry"
    )
    assert field_list(["work_phone_e164", "linkedin_url", "company_id"]) == (
        "work phone, LinkedIn and employer"
    )
    assert field_list([]) == ""


@pytest.mark.django_db
def test_person_page_history_has_no_column_names(client):
    """The person page's history says "created the person", not "contact insert: bio, …"."""
    from django.urls import reverse

    from tests import builders

    client.force_login(builders.user(group="coordinator"))
    person = builders.contact("Hana Ito", company=builders.company(slots=False))
    html = client.get(reverse("people:contact", args=[person.pk])).content.decode()
    assert "created the person" in html
    assert "contact insert" not in html and "merged_into_id" not in html
