"""The compare page's evidence per field: where each value comes from, and why the default
pick is the one it is (more complete, verified, recent)."""

import datetime

import pytest
from django.utils import timezone

from outreach_admin.dates import format_date
from people.models import Contact, EmailVerification, PersonFieldProvenance, ResolutionQueue
from people.selectors import merge_defaults_explained
from tests import builders as b

pytestmark = pytest.mark.django_db


def _pair(a, c):
    return ResolutionQueue.objects.create(
        contact_primary=a, contact_duplicate=c, conflict_type="name_similar", score="0.800"
    )


def _row(page, name):
    return next(r for r in page.context["rows"] if r["name"] == name)


@pytest.mark.owner
def test_each_value_names_its_source(client):
    """A value set by a promotion shows its source, load and date; one without (or changed
    since) shows the record's own source."""
    a = b.contact("Ann Lee", email="ann@acme.example", title="CFO", source_system="apollo")
    c = b.contact("Ann Lee", email="ann.lee@acme.example", title="VP", source_system="hubspot")
    PersonFieldProvenance.objects.create(
        contact=a,
        field="email",
        value="ann@acme.example",
        source="apollo",
        load_id=12,
        set_by="promote",
    )
    PersonFieldProvenance.objects.create(
        contact=c,
        field="title",
        value="Vice President",
        source="hubspot",
        load_id=13,
        set_by="promote",
    )  # the title was edited since: not the source of "VP"
    pair = _pair(a, c)
    client.force_login(b.user(group="coordinator"))
    page = client.get(f"/people/duplicates/{pair.pk}/", {"survivor": a.pk})
    today = format_date(timezone.localdate())  # the pages' one date format
    email, title = _row(page, "email"), _row(page, "title")
    assert email["survivor_source"] == f"apollo · load #12 · {today}"
    assert email["absorbed_source"] == "hubspot record"
    assert title["absorbed_source"] == "hubspot record"
    html = page.content.decode()
    assert f"from apollo · load #12 · {today}" in html and "from hubspot record" in html
    assert "default: " in html


def test_defaults_take_the_verified_complete_recent_value_and_say_why():
    """Green e-mail beats gray, the longer name beats the shorter, a more recently checked
    record's title beats the other's, a lone value is taken from wherever it is."""
    old = b.contact("J. Moss", email="jm@acme.example", title="Controller", email_status=None)
    new = b.contact("Jordan Moss", email="jordan@acme.example", title="CFO", email_status=None)
    EmailVerification.objects.create(contact=new, email="jordan@acme.example", email_status="green")
    Contact.objects.filter(pk=new.pk).update(
        last_profile_checked_at=timezone.now(), location="Austin"
    )
    Contact.objects.filter(pk=old.pk).update(
        last_profile_checked_at=timezone.now() - datetime.timedelta(days=200)
    )
    picks = merge_defaults_explained(survivor_id=old.pk, absorbed_id=new.pk)
    assert picks["email"] == ("absorbed", "verified (green)")
    assert picks["full_name"] == ("absorbed", "more complete")
    assert picks["title"] == ("absorbed", "checked more recently")
    assert picks["location"] == ("absorbed", "the only value")
    reverse = merge_defaults_explained(survivor_id=new.pk, absorbed_id=old.pk)
    assert {k: v[0] for k, v in reverse.items() if k in ("email", "full_name", "title")} == {
        "email": "survivor",
        "full_name": "survivor",
        "title": "survivor",
    }


def test_compare_page_query_count_is_bounded(client, django_assert_max_num_queries):
    pair = _pair(b.contact("Q One"), b.contact("Q One"))
    client.force_login(b.user(group="coordinator"))
    client.get(f"/people/duplicates/{pair.pk}/")
    with django_assert_max_num_queries(25):
        assert client.get(f"/people/duplicates/{pair.pk}/").status_code == 200
