"""The 403, 404 and 500 pages: friendly, styled from the app's own static files, no traceback."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_unknown_address_shows_the_404_page(signed_in_page, live_server):
    """An unknown address shows the app's 404 page, inside the normal layout."""
    page = signed_in_page
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn't find that page")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Go to Today")).to_be_visible()
    screenshot(page, "404")


def test_403_says_viewers_can_look_but_not_change(page, live_server, transactional_db):
    """The 403 page says the user lacks permission and that viewers can look but not change."""
    request = RequestFactory().post("/companies/1/slots/cfo/assign")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page.goto(f"{live_server.url}/accounts/login/")  # same origin, so static URLs resolve
    page.set_content(response.content.decode())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You don't have permission to do that"
    )
    expect(page.get_by_text("Viewers can look at everything")).to_be_visible()
    screenshot(page, "403")


def test_500_page_is_standalone(page, live_server, transactional_db):
    """The 500 page uses no template tags or context, and its plain /static/ links load."""
    source = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text()
    assert "{%" not in source and "{{" not in source
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Traceback" not in html

    page.goto(f"{live_server.url}/accounts/login/")  # same origin, so /static/ resolves
    page.set_content(html, wait_until="load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong on our side")
    sheets = page.evaluate("[...document.styleSheets].map(s => [s.href, s.cssRules.length])")
    assert [href.removeprefix(live_server.url) for href, _ in sheets] == [
        "/static/vendor/bootstrap/bootstrap.min.css",
        "/static/css/app.css",
    ]
    assert all(rules > 0 for _, rules in sheets), sheets
    screenshot(page, "500")
