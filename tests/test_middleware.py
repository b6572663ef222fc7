import pytest
from django.db import connection

from tests import builders


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    """Every page but login, static and the health check needs a signed-in user."""
    response = client.get("/companies/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/companies/")


@pytest.mark.django_db
def test_health_check_is_public(client):
    """The health check answers without a login and touches the database."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_signed_in_home_page(client):
    """A signed-in user gets the home page."""
    client.force_login(builders.user("casey"))
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_db_tests_run_as_app_role():
    """The test fixture drops every database test to the runtime role, as requests are."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "outreach_app"


@pytest.mark.django_db
def test_server_error_rolls_back_the_request_transaction(rf):
    """A request that ends in a 500 commits none of the writes it made before the error."""
    from django.contrib.auth.models import AnonymousUser, Group
    from django.http import HttpResponseServerError

    from outreach_admin.middleware import ActingUserMiddleware

    def view(request):
        Group.objects.create(name="written-before-the-error")
        return HttpResponseServerError("boom")

    request = rf.get("/")
    request.user = AnonymousUser()
    assert ActingUserMiddleware(view)(request).status_code == 500
    assert not Group.objects.filter(name="written-before-the-error").exists()


def test_navigation_marks_only_the_most_specific_item(rf):
    """On the open-slots queue only "Open slots" is active, not "Companies" as well."""
    from outreach_admin.context_processors import navigation

    items = navigation(rf.get("/companies/slots/"))["nav_items"]
    active = [i["label"] for i in items if i["active"]]
    assert active == ["Open slots"]


@pytest.mark.django_db
def test_hostile_query_parameters_are_made_harmless(client):
    """A NUL in a query parameter or a page number past bigint gives a page, never a 500."""
    client.force_login(builders.user("quinn"))
    assert client.get("/companies/", {"page": "99999999999999999999"}).status_code == 200
    assert client.get("/companies/", {"page": "-1"}).status_code == 200
    assert client.get("/companies/", {"q": "acme\x00"}).status_code == 200
    assert client.get("/search/", {"q": "\x00"}).status_code in (200, 302)
