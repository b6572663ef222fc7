"""static/js/app.js behaviour in a real browser: shortcuts, confirm-before-submit, select-all.

The home page is the host; the elements under test are added to it from the test (test-only DOM,
the app itself has no inline script).
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

FIXTURE_HTML = """
<div id="js-fixture">
  <form data-hotkey-target="search" action="#"><input name="q" aria-label="Search"></form>
  <input id="other-field" aria-label="Other field">
  <a id="jump" href="#jumped" data-hotkey="j" data-hotkey-help="Jump to the next thing">Jump</a>
  <form id="danger" action="#submitted" data-confirm="Really do it?">
    <button type="submit">Do it</button>
  </form>
  <input type="checkbox" class="js-select-all" data-select-group="rows" aria-label="All">
  <input type="checkbox" data-select-group="rows" aria-label="Row 1">
  <input type="checkbox" data-select-group="rows" aria-label="Row 2">
  <input type="checkbox" data-select-group="other" aria-label="Elsewhere">
</div>
"""


def add_fixture(page):
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)",
        FIXTURE_HTML,
    )


def test_question_mark_opens_shortcut_help(signed_in_page):
    """Pressing ? opens a dialog listing every shortcut on the page with its description."""
    page = signed_in_page
    add_fixture(page)
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Show this list of keyboard shortcuts")
    expect(dialog).to_contain_text("Focus the search / filter box")
    expect(dialog).to_contain_text("Jump to the next thing")
    expect(dialog).to_be_focused()  # focus moves into the dialog, so Esc closes it
    screenshot(page, "shortcut-help")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_hotkeys_act_only_when_not_typing(signed_in_page):
    """A data-hotkey key activates its element, except while typing; / focuses the search box."""
    page = signed_in_page
    add_fixture(page)
    search = page.get_by_label("Search")

    page.keyboard.press("/")
    expect(search).to_be_focused()
    page.keyboard.type("j")
    expect(search).to_have_value("j")
    assert not page.url.endswith("#jumped")

    page.keyboard.press("Escape")
    expect(search).not_to_be_focused()
    page.keyboard.press("j")
    page.wait_for_url("**#jumped")

    page.get_by_label("Other field").click()
    page.keyboard.press("/")
    expect(page.get_by_label("Other field")).to_have_value("/")


def test_confirm_before_submit(signed_in_page):
    """A form with data-confirm submits only when the user accepts the question."""
    page = signed_in_page
    add_fixture(page)
    asked = []

    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Do it").click()
    page.wait_for_timeout(200)
    assert asked == ["Really do it?"]
    assert "#submitted" not in page.url

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Do it").click()
    page.wait_for_url("**#submitted")


def test_select_all_toggles_its_group(signed_in_page):
    """A .js-select-all checkbox checks and unchecks exactly the boxes in its group."""
    page = signed_in_page
    add_fixture(page)
    select_all = page.get_by_label("All", exact=True)

    select_all.check()
    expect(page.get_by_label("Row 1")).to_be_checked()
    expect(page.get_by_label("Row 2")).to_be_checked()
    expect(page.get_by_label("Elsewhere")).not_to_be_checked()

    page.get_by_label("Row 2").uncheck()
    assert select_all.evaluate("el => el.indeterminate")

    select_all.click()
    expect(page.get_by_label("Row 1")).to_be_checked()
    expect(page.get_by_label("Row 2")).to_be_checked()
    select_all.uncheck()
    expect(page.get_by_label("Row 1")).not_to_be_checked()
    expect(page.get_by_label("Row 2")).not_to_be_checked()
