"""Promotion says what it did (issue 16): the batch page after a promote and ``manage.py
promote`` list the people, companies and slots by outcome with links, in plain sentences whose
counts add up, bounded to the first 50 of each."""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from intake import outcomes
from intake.models import AuditLog
from people.models import Contact
from tests import builders as b

ROWS = [
    {"email": "ann@acme.example", "name": "Ann Lee", "title": "CFO", "company": "Acme",
     "website": "acme.example"},
    {"email": "bo@acme.example", "name": "Bo Chen", "title": "Office manager", "company": "Acme",
     "website": "acme.example"},
    {"email": "not-an-address", "name": "Nobody"},
]  # fmt: skip


def _upload(client, rows, batch, source="apollo"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"source": source, "batch_id": batch}
    data["file"] = SimpleUploadedFile("rows.json", json.dumps(rows).encode())
    response = client.post(reverse("intake:batch_upload"), data, follow=True)
    assert response.status_code == 200


@pytest.mark.django_db
def test_batch_page_lists_what_the_promotion_did_with_links(client):
    client.force_login(b.user(group="coordinator"))
    _upload(client, ROWS, "res-1")
    response = client.post(
        reverse("intake:batch_promote"), {"batch_id": "res-1", "scope": "batch"}, follow=True
    )
    page = response.content.decode()
    assert "promoted=" not in page and "contacts_created" not in page
    ann = Contact.objects.get(email="ann@acme.example")
    assert f'href="{reverse("people:contact", args=[ann.pk])}"' in page
    assert f'href="{reverse("companies:company", args=[ann.company_id])}"' in page
    assert "People: 2 reached — 2 created, 0 updated, 0 already up to date." in page
    assert "Companies: 1 reached — 1 created, 0 updated, 0 already up to date." in page
    summary = response.context["promotion_summary"]
    loads = summary["loads"]
    assert loads["promoted"] + loads["failed"] == loads["processed"]
    assert summary["slots"]["filled"]["count"] == 1  # the CFO
    assert "CFO at Acme — Ann Lee" in re.sub(r"<[^>]+>", "", page)


@pytest.mark.django_db
def test_existing_people_are_reported_updated_or_unchanged(client):
    """People who exist already are reported updated, not created; the counts add up to the
    people reached."""
    client.force_login(b.user(group="coordinator"))
    b.contact("Ann Lee", email="ann@acme.example", source_system="apollo")
    b.contact("Bo Chen", email="bo@acme.example", source_system="apollo", title="Office manager")
    _upload(client, [ROWS[0], {"email": "bo@acme.example"}], "res-b")
    response = client.post(
        reverse("intake:batch_promote"), {"batch_id": "res-b", "scope": "batch"}, follow=True
    )
    people = response.context["promotion_summary"]["people"]
    counts = [people[k]["count"] for k in ("created", "updated", "unchanged")]
    # Bo gains only his employer (the company of his address's domain): still an update
    assert counts == [0, 2, 0]
    assert (
        f"People: 2 reached — 0 created, {counts[1]} updated, {counts[2]} already up to date."
        in response.content.decode()
    )


@pytest.mark.django_db
def test_lists_are_bounded_with_and_n_more(client):
    client.force_login(b.user(group="coordinator"))
    rows = [{"email": f"p{i}@bulk.example", "name": f"Person {i}"} for i in range(7)]
    _upload(client, rows, "res-bulk")
    client.post(reverse("intake:batch_promote"), {"batch_id": "res-bulk", "scope": "batch"})
    audit = AuditLog.objects.filter(action="batch_promoted").latest("log_id")
    summary = outcomes.promotion_summary(audit.pk, limit=5)
    created = summary["people"]["created"]
    assert created["count"] == 7 and len(created["items"]) == 5 and created["more"] == 2


@pytest.mark.django_db
def test_promote_command_prints_the_result_with_paths(tmp_path, capsys):
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(ROWS))
    call_command("ingest", str(path), source="apollo", batch="res-cmd")
    capsys.readouterr()
    call_command("promote", batch="res-cmd")
    out = capsys.readouterr().out
    ann = Contact.objects.get(email="ann@acme.example")
    assert "People: 2 reached — 2 created" in out
    assert f"Ann Lee <ann@acme.example>  {reverse('people:contact', args=[ann.pk])}" in out
    assert reverse("companies:company", args=[ann.company_id]) in out
    assert "promoted=" not in out
