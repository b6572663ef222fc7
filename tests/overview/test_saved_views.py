"""Saved views (issue 9): private views stay private, shared ones are seen by everyone, a view
restores the exact list, only coordinators/admins share, and the default views work."""

import pytest
from django.urls import reverse

from outreach_admin.models import SavedView
from overview.saved_views import (
    SavedViewError,
    parse_list_path,
    saved_view_create,
    view_url,
)
from tests import builders

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "Window opens in 14 days": ("/marketing/renewals/?opens_within=14", "opens_within", 14),
    "Ready to launch": ("/marketing/renewals/?ready=yes", "ready", "yes"),
    "Overdue handoffs": ("/marketing/handoffs/?overdue=yes", "overdue", "yes"),
    "Open CEO slots": ("/companies/slots/?role_code=CEO", "role_code", "CEO"),
}


def _menu(client, current="/"):
    return client.get(
        reverse("saved_view_list"), {"fragment": "menu"}, HTTP_HX_CURRENT_URL=current
    ).content.decode()


@pytest.mark.parametrize("name", DEFAULTS)
def test_default_shared_views_open_their_filtered_list(client, name):
    """Each default shared view points at its list with the right filter, which applies."""
    url, param, value = DEFAULTS[name]
    view = SavedView.objects.get(name=name, owner=None)
    assert view.shared and view_url(view) == url
    client.force_login(builders.user(group="viewer"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["filter"].form.cleaned_data[param] == value


def test_private_view_is_invisible_to_others_and_shared_is_visible(client):
    """A private view shows only to its owner; a shared one to everybody."""
    alice, bob = builders.user("alice"), builders.user("bob", group="viewer")
    saved_view_create(
        user=alice,
        name="My Ohio slots",
        path="/companies/slots/?state=OH",
        shared=False,
        actor="alice",
    )
    saved_view_create(
        user=alice,
        name="Team CFO slots",
        path="/companies/slots/?role_code=CFO",
        shared=True,
        actor="alice",
    )
    client.force_login(bob)
    html = client.get(reverse("saved_view_list")).content.decode()
    assert "Team CFO slots" in html and "Open CEO slots" in html
    assert "My Ohio slots" not in html
    assert "My Ohio slots" not in _menu(client)
    client.force_login(alice)
    assert "My Ohio slots" in _menu(client)


def test_saved_view_restores_the_exact_list(client):
    """Saving a filtered, sorted list and opening the view gives the same URL and the same rows."""
    user = builders.user("carol", group="viewer")
    for n in range(3):
        builders.company(f"Acme {n}", industry="Insurance", state_region="OH")
    builders.company("Other", industry="Retail")
    client.force_login(user)
    listed = "/companies/?industry=insurance&sort=-company_name&per_page=25"
    response = client.post(
        reverse("saved_view_create"),
        {"name": "Insurance by name", "path": listed + "&page=2", "next": listed},
    )
    view = SavedView.objects.get(name="Insurance by name")
    assert not view.shared and view.owner == user
    assert response.status_code == 302 and response["Location"] == listed  # page is dropped
    original = client.get(listed)
    restored = client.get(response["Location"])
    rows = [r.record.pk for r in original.context["table"].page.object_list]
    assert [r.record.pk for r in restored.context["table"].page.object_list] == rows
    assert len(rows) == 3


def test_saving_again_under_the_same_name_updates_the_view(client):
    """Saving a second time under an existing name replaces that view's URL (no duplicate)."""
    user = builders.user("dora")
    client.force_login(user)
    for query in ("role_code=CEO", "role_code=HR"):
        client.post(
            reverse("saved_view_create"), {"name": "Mine", "path": f"/companies/slots/?{query}"}
        )
    assert list(SavedView.objects.filter(owner=user).values_list("query", flat=True)) == [
        "role_code=HR"
    ]


def test_viewer_may_save_privately_but_not_share(client):
    """Viewers may save private views (not a data change) but sharing is refused, nothing saved."""
    viewer = builders.user("vic", group="viewer")
    client.force_login(viewer)
    response = client.post(
        reverse("saved_view_create"),
        {
            "name": "Shared try",
            "path": "/people/?status=active",
            "shared": "on",
            "next": "/people/",
        },
        follow=True,
    )
    assert "Only coordinators and admins can share" in response.content.decode()
    assert not SavedView.objects.filter(name="Shared try").exists()
    assert "Share with the team" not in _menu(client, "http://testserver/people/?status=active")


def test_coordinator_can_share(client):
    """A coordinator's shared view is shared and visible to a viewer."""
    client.force_login(builders.user("cora"))
    client.post(
        reverse("saved_view_create"),
        {"name": "Bounced people", "path": "/people/?status=bounced", "shared": "on"},
    )
    assert SavedView.objects.get(name="Bounced people").shared
    client.force_login(builders.user("val", group="viewer"))
    assert "Bounced people" in _menu(client)


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/companies/1/", "https://evil.example/companies/", "/no-such-page/", "people/"],
)
def test_only_list_pages_of_this_site_can_be_saved(path):
    """A detail page, the admin, another site or an unknown path is refused with a reason."""
    with pytest.raises(SavedViewError):
        parse_list_path(path)


def test_bad_input_gets_a_message_and_saves_nothing(client):
    """A missing name or a non-list path is reported; nothing is saved."""
    client.force_login(builders.user("eve"))
    before = SavedView.objects.count()
    for data in ({"name": "", "path": "/people/"}, {"name": "X", "path": "/admin/"}):
        response = client.post(reverse("saved_view_create"), data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    assert SavedView.objects.count() == before


def test_menu_offers_to_save_only_on_list_pages(client):
    """The Views menu offers "Save this list" on a list page, not on the home page."""
    client.force_login(builders.user("fay"))
    assert "Save this list as a view" in _menu(client, "http://testserver/people/?status=active")
    assert 'value="/people/?status=active"' in _menu(
        client, "http://testserver/people/?status=active"
    )
    assert "Save this list as a view" not in _menu(client, "http://testserver/")


def test_delete_rules(client):
    """Owners delete their views; others cannot touch a private view; viewers cannot delete
    shared ones; coordinators can."""
    owner, other = builders.user("gus"), builders.user("hal", group="viewer")
    mine = saved_view_create(user=owner, name="Gus", path="/people/", shared=False, actor="gus")
    default = SavedView.objects.get(name="Open CEO slots")
    client.force_login(other)
    client.post(reverse("saved_view_delete", args=[mine.pk]))
    client.post(reverse("saved_view_delete", args=[default.pk]))
    assert SavedView.objects.filter(pk__in=[mine.pk, default.pk]).count() == 2
    client.force_login(owner)
    client.post(reverse("saved_view_delete", args=[mine.pk]))
    client.post(reverse("saved_view_delete", args=[default.pk]))
    assert not SavedView.objects.filter(pk__in=[mine.pk, default.pk]).exists()


def test_views_page_and_menu_cost_bounded_queries(client, django_assert_max_num_queries):
    """The saved views page lists every visible view in a bounded number of queries."""
    user = builders.user("ivy")
    for n in range(15):
        saved_view_create(
            user=user, name=f"View {n}", path=f"/people/?q=x{n}", shared=n % 2 == 0, actor="ivy"
        )
    client.force_login(user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("saved_view_list"))
    assert response.content.decode().count('href="/people/?q=x') == 15


def test_anonymous_visitor_cannot_save(client):
    """Saving needs a signed-in user (login redirect, nothing saved)."""
    before = SavedView.objects.count()
    response = client.post(reverse("saved_view_create"), {"name": "x", "path": "/people/"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert SavedView.objects.count() == before
