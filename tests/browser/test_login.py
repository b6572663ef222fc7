"""Signing in, the login error, and static files served by the app itself."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, USERNAME, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_signing_in_lands_on_home(signed_in_page, live_server):
    """Signing in through the form lands on the home page with the navigation visible."""
    page = signed_in_page
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Outreach Admin")).to_be_visible()
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(nav).to_contain_text("Casey Coordinator")
    screenshot(page, "home")


def test_wrong_password_shows_error_and_stays_on_login(page, live_server, coordinator):
    """A wrong password shows a clear error and keeps the user on the login page."""
    sign_in(page, live_server, username=USERNAME, password=PASSWORD + "-wrong")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value(USERNAME)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")
    ).to_have_count(0)
    screenshot(page, "login-error")


def test_static_css_is_served_by_the_app(page, live_server, transactional_db):
    """Bootstrap's CSS comes from the app's own static files, never from a CDN."""
    page.goto(f"{live_server.url}/accounts/login/")
    hrefs = page.eval_on_selector_all(
        "link[rel=stylesheet], script[src]", "els => els.map(e => e.href || e.src)"
    )
    assert hrefs, "the page loads no CSS or JS"
    assert all(h.startswith(live_server.url + "/static/") for h in hrefs), hrefs
    bootstrap = next(h for h in hrefs if re.search(r"bootstrap\.min(\.[0-9a-f]{12})?\.css$", h))
    with urllib.request.urlopen(bootstrap) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
