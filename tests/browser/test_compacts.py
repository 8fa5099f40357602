"""A compact drafted, signed and scored in the browser (C1, C2): the senior manager drafts
next year's compact, which starts from the standard measures, adds a programme measure
with its target and acknowledges it; the endorser endorses it; it is read-only; the M&E
focal point enters a figure and the scorecard shows the measure met."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _log_out(page):
    page.context.clear_cookies()


def _submit(page):
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state("load")


def test_a_compact_is_drafted_signed_and_scored(page, phone):
    from commonops.compacts.models import Compact, Office
    from commonops.core.models import Country

    country = Country.objects.get(iso_code="VN")
    name = f"Browser test office {Office.objects.count() + 1}"
    office = Office.objects.create(country=country, name=name)
    year = country.today().year

    log_in(page, "vn-senior")
    page.goto(page.base + "/compacts/compacts/add/")
    page.select_option("select[name=office]", str(office.pk))
    page.select_option("select[name=endorser]", label="Karin Larsen")
    page.fill("input[name=year]", str(year))
    page.fill("textarea[name=budget_reference]", "Country programme document 2022–2026.")
    _submit(page)
    compact = Compact.objects.get(office=office)
    assert page.url.endswith(compact.get_absolute_url())
    assert "Vacancy rate of posts funded for more than one year" in page.content()
    page.click("text=Add an objective")
    page.select_option("select[name=section]", "programme")
    page.fill("textarea[name=objective]", "Deliver the country programme.")
    page.fill("textarea[name=expected_accomplishment]", "Delivery on plan.")
    _submit(page)
    page.goto(page.base + compact.get_absolute_url())
    page.locator("a:has-text('Add a performance measure')").first.click()
    programme = compact.objectives.get(section="programme").pk
    page.select_option("select[name=objective]", str(programme))
    page.fill("textarea[name=statement]", "At least 85% of the programme budget delivered.")
    page.fill("input[name=name]", "Programme delivery rate")
    page.fill("input[name=target]", "85")
    _submit(page)
    page.goto(page.base + compact.get_absolute_url())
    page.click("button:has-text('Acknowledge')")
    expect(page.locator("h1")).to_contain_text("Acknowledged by the manager")
    _log_out(page)

    log_in(page, "vn-endorser")
    page.goto(page.base + compact.get_absolute_url())
    page.click("button:has-text('Endorse')")
    expect(page.locator("h1")).to_contain_text("Signed")
    assert page.locator("a:has-text('Edit')").count() == 0  # read-only now
    _log_out(page)

    log_in(page, "vn-senior")
    page.goto(page.base + "/compacts/figures/staff/add/")
    page.select_option("select[name=office]", str(office.pk))
    page.fill("input[name=year]", str(year))
    page.select_option("select[name=kind]", "posts")
    page.fill("input[name=count]", "20")
    _submit(page)
    page.goto(page.base + "/compacts/figures/staff/add/")
    page.select_option("select[name=office]", str(office.pk))
    page.fill("input[name=year]", str(year))
    page.select_option("select[name=kind]", "vacant_posts")
    page.fill("input[name=count]", "1")
    _submit(page)
    page.goto(page.base + f"/compacts/compacts/{compact.pk}/scorecard/")
    vacancy = page.locator("tr", has_text="Vacancy rate of posts funded")
    assert "5%" in vacancy.inner_text() and "Target met" in vacancy.inner_text()
    assert page.locator("[data-count=met]").inner_text() == "1"
    assert page.errors == []

    # The demo's signed compact: its scorecard on a wide screen, a phone, and in French.
    demo = Compact.objects.filter(office__name="UNDP Viet Nam Country Office",
                                  status="endorsed").first()
    page.goto(page.base + f"/compacts/compacts/{demo.pk}/scorecard/")
    screenshot(page, "compact-scorecard")
    page.goto(page.base + f"/compacts/offices/{demo.office_id}/comparison/")
    screenshot(page, "compact-comparison")
    log_in(phone, "vn-senior")
    phone.goto(phone.base + f"/compacts/compacts/{demo.pk}/scorecard/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
    screenshot(phone, "compact-scorecard-phone")
    phone.goto(phone.base + "/")
    if not phone.locator("#language-select").is_visible():
        phone.click(".menu-button")  # the menu, with the language, is folded on a phone
    phone.select_option("#language-select", "fr")
    with phone.expect_navigation():
        phone.click(".language button")
    phone.goto(phone.base + f"/compacts/compacts/{demo.pk}/scorecard/")
    assert "Tableau de bord" in phone.locator("h1").inner_text()
    screenshot(phone, "compact-scorecard-phone-fr")


def test_the_compact_pages_have_no_serious_accessibility_violations(page):
    """axe-core: no serious or critical violations on a compact, its scorecard, the
    comparison, a recommendation and the import of figures."""
    from axe_playwright_python.sync_playwright import Axe

    from commonops.compacts.models import Compact, OversightRecommendation

    compact = Compact.objects.filter(office__name="UNDP Viet Nam Country Office",
                                     status="endorsed").first()
    recommendation = OversightRecommendation.objects.filter(office=compact.office).first()
    axe = Axe()
    log_in(page, "vn-senior")
    problems = []
    for path in (compact.get_absolute_url(), f"/compacts/compacts/{compact.pk}/scorecard/",
                 f"/compacts/offices/{compact.office_id}/comparison/",
                 recommendation.get_absolute_url(), "/compacts/figures/import/",
                 "/compacts/measures/add/"):
        page.goto(page.base + path)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((path, violation["id"]))
    assert problems == []
