"""With DEBUG off, an unhandled error shows the generic 500 page: no traceback, no settings, and
the request's writes are rolled back."""

import pytest
from django.urls import include, path

from companies.models import Company
from tests import builders as b


def _explode(request):
    Company.objects.create(company_name="Written before the crash", website_url="https://x.example")
    raise RuntimeError("secret-internal-detail-7f3a")


urlpatterns = [
    path("boom/", _explode),
    path("", include("outreach_admin.urls")),
]


@pytest.mark.urls("tests.web.test_error_page")
def test_a_crashing_view_shows_the_generic_500_page(client, settings, db):
    """The 500 page is the project's generic page, without traceback or exception text, and the
    write made before the error is rolled back."""
    assert settings.DEBUG is False
    client.force_login(b.user())
    client.raise_request_exception = False
    before = Company.objects.count()
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    for leak in ("Traceback", "secret-internal-detail-7f3a", "RuntimeError", "SECRET_KEY"):
        assert leak not in body, leak
    assert "<html" in body.lower()
    assert Company.objects.count() == before


def test_unknown_url_gets_the_generic_404_page(client, db):
    """A 404 shows the project's page, not Django's debug page listing the URL patterns."""
    client.force_login(b.user())
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" not in response.content.decode()
