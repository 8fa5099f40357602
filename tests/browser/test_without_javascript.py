"""Core flows without JavaScript: the menu, the language switch and logging out, on a
desktop and on a phone."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js(chromium, demo_server, browser_db):
    def open_page(width, height):
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       java_script_enabled=False, locale="en-GB")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.base = demo_server.url
        contexts.append(context)
        return page

    contexts = []
    yield open_page
    for context in contexts:
        context.close()


def test_a_desktop_without_javascript_shows_the_menu_language_and_log_out(no_js):
    page = no_js(1366, 860)
    log_in(page, "vn-chair")
    menu = page.locator("#main-nav")
    assert menu.is_visible()
    links = menu.get_by_role("link")
    assert links.count() >= 5
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    assert page.locator("#language-select").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert not page.locator(".menu-button").is_visible()  # nothing to open on a desktop
    screenshot(page, "no-js-desktop-home")

    # a menu link leads somewhere
    with page.expect_navigation() as navigation:
        links.nth(1).click()
    assert navigation.value.status == 200
    assert page.url != page.base + "/"
    assert page.locator("h1").is_visible() and page.locator("#main-nav").is_visible()

    # the language switch is a plain form
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.click(".language button")
    assert page.locator("html").get_attribute("lang") == "fr"
    screenshot(page, "no-js-desktop-fr")

    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    assert "/accounts/login/" in page.url


def test_a_phone_without_javascript_opens_the_menu(no_js):
    page = no_js(360, 740)
    log_in(page, "vn-chair")
    menu = page.locator("#main-nav")
    assert not menu.is_visible()  # closed until asked, so the page comes first
    page.click("text=Menu")
    assert menu.is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.locator("#language-select").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "no-js-phone-menu")
    page.click("text=Menu")
    assert not menu.is_visible()
