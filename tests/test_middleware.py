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
