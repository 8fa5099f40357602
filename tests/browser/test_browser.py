"""Browser walks through the foundation: log in, switch country, change language, each area."""

import re

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_the_chair_logs_in_and_sees_what_needs_attention(page):
    log_in(page, "vn-chair")
    assert page.locator("h1").inner_text().startswith("Viet Nam")
    assert page.get_by_text("2 OMT members have no alternate").is_visible()
    screenshot(page, "home-vn-chair")
    assert page.errors == []


def test_an_hq_analyst_switches_country(page):
    log_in(page, "hq-analyst")
    # all country teams (the HQ dashboard), not the first country in the alphabet
    assert page.url == page.base + "/reports/hq/"
    with page.expect_navigation():
        page.select_option("#country-switch", label="Jordan")
    page.goto(page.base + "/")
    assert page.locator("h1").inner_text().startswith("Jordan")
    assert page.locator("#country-switch option:checked").inner_text() == "Jordan"
    screenshot(page, "home-hq-jordan")


def test_the_language_changes_to_french_and_spanish(page):
    log_in(page, "vn-member")
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.click(".language button")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Ce qui demande votre attention" in page.locator("main h2").first.inner_text()
    screenshot(page, "home-fr")
    page.select_option("#language-select", "es")
    with page.expect_navigation():
        page.click(".language button")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Lo que requiere su atención" in page.locator("main h2").first.inner_text()
    screenshot(page, "home-es")


def test_each_area_opens(page):
    log_in(page, "vn-chair")
    links = page.locator("nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    visited = 0
    for href in links:
        if not href or href.startswith("http") or href.startswith("/admin"):
            continue
        response = page.goto(page.base + href)
        assert response.status == 200, href
        assert page.locator("h1").count() >= 1 or "/api/docs" in href, href
        visited += 1
    assert visited >= 10
    assert page.errors == []


def test_the_list_filter_updates_the_table_in_place(page):
    log_in(page, "vn-member")
    page.goto(page.base + "/org/public-holidays/")
    before = page.locator("#results tbody tr").count()
    with page.expect_response(re.compile(r"/org/public-holidays/\?")):
        page.fill("input[name=q]", "Tết")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length < %d"
                           % before)
    assert all("Tết" in row for row in page.locator("#results tbody tr").all_inner_texts())
    assert "q=T" in page.url  # the filtered list keeps a shareable address


def test_an_edit_with_bad_input_shows_a_message(page):
    log_in(page, "vn-chair")
    page.goto(page.base + "/org/countries/")
    page.click("text=VN")
    page.click("text=Edit")
    page.fill("#id_day_start", "18:00")
    page.click("button:has-text('Save')")
    assert page.get_by_text("Business hours must start before they end.").is_visible()
    screenshot(page, "country-edit-error")


def test_pages_fit_a_360_pixel_phone(phone):
    from commonops.core.models import Country

    log_in(phone, "vn-chair")
    viet_nam = Country.objects.get(iso_code="VN").get_absolute_url()
    for path in ("/", "/org/people/", viet_nam, "/org/roles/add/", "/org/audit-entries/"):
        phone.goto(phone.base + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    phone.goto(phone.base + "/")
    phone.click("text=Menu")
    assert phone.get_by_role("link", name="Organisation").is_visible()
    screenshot(phone, "home-phone")


def test_main_pages_have_no_serious_accessibility_violations(page):
    """axe-core (through axe-playwright-python): no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    from commonops.core.models import Country

    axe = Axe()
    log_in(page, "vn-chair")
    viet_nam = Country.objects.get(iso_code="VN")
    problems = []
    for path in ("/", "/org/people/", viet_nam.get_absolute_url(),
                 f"/org/countries/{viet_nam.pk}/edit/", "/org/roles/add/",
                 "/accounts/profile/"):
        page.goto(page.base + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((path, violation["id"], violation["help"],
                                 [node["target"] for node in violation["nodes"][:3]]))
    assert problems == []
