"""Performance in the browser: the HQ analyst opens all country teams, drills into a region
and a country, prepares the global report, waits for it and downloads the PDF, whose
totals are the page's. The HQ and a regional page at 1366 and 360 pixels, in French too,
and without serious accessibility problems."""

import pytest

from commonops.core.testing import pdf_text
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_hq_analyst_drills_down_and_downloads_the_global_report(page):
    from commonops.core.models import Country, Region

    log_in(page, "hq-analyst")
    page.goto(page.base + "/reports/hq/")
    assert page.locator("h1").inner_text().startswith("All country teams")
    year = page.locator("#id_year").input_value()
    realised = page.locator("#total-realised").inner_text()
    estimated = page.locator("#total-estimated").inner_text()
    assert page.locator("#headline-realised").inner_text() == realised
    screenshot(page, "reports-hq")

    # drill into a region, then a country team of it
    asia = Region.objects.get(code="AP")
    page.click(f"#regions a[href^='/reports/regions/{asia.pk}/']")
    page.wait_for_url(f"**/reports/regions/{asia.pk}/**")
    assert "Asia/Pacific" in page.locator("h1").inner_text()
    screenshot(page, "reports-region")
    viet_nam = Country.objects.get(iso_code="VN")
    page.click(f"#countries a[href^='/reports/countries/{viet_nam.pk}/']")
    page.wait_for_url(f"**/reports/countries/{viet_nam.pk}/**")
    assert "Viet Nam" in page.locator("h1").inner_text()
    assert page.locator("#total-realised").is_visible()

    # the global report: prepared in the background, followed, downloaded
    page.goto(page.base + f"/reports/hq/?year={year}")
    page.click("#global-report-link")
    page.wait_for_url("**/reports/hq/report/**")
    assert page.locator("#total-realised").inner_text() == realised
    page.click("#prepare-report")
    page.wait_for_url("**/reports/prepared/*/")
    page.locator("#run-pdf").wait_for(timeout=60_000)
    assert page.locator("#run-progress").inner_text() == "100 %"
    with page.expect_download() as download:
        page.click("#run-pdf")
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    words = pdf_text(data)
    assert realised in words and estimated in words
    assert page.errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_hq_and_regional_pages_at_1366_and_360_pixels(chromium, demo_server, browser_db,
                                                          language):
    from commonops.core.models import Region

    asia = Region.objects.get(code="AP")
    for width, height in ((1366, 900), (360, 740)):
        context = chromium.new_context(viewport={"width": width, "height": height},
                                       locale="fr-FR" if language == "fr" else "en-GB")
        context.add_cookies([{"name": "django_language", "value": language,
                              "url": demo_server.url}])
        page = context.new_page()
        page.base = demo_server.url
        log_in(page, "hq-analyst")
        for name, path in (("hq", "/reports/hq/"),
                           ("region", f"/reports/regions/{asia.pk}/")):
            page.goto(page.base + path)
            assert page.locator("html").get_attribute("lang") == language
            # tables scroll inside their frame: the page itself never gets wider
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path,
                                                                                    width)
            # numbers never wrap
            wrapped = page.evaluate("""() => [...document.querySelectorAll('td.num')]
                .filter(td => { const range = document.createRange();
                                range.selectNodeContents(td);
                                const tops = new Set([...range.getClientRects()]
                                    .filter(r => r.width > 0).map(r => Math.round(r.bottom)));
                                return tops.size > 1; }).length""")
            assert wrapped == 0, path
            suffix = "" if language == "en" else f"-{language}"
            screenshot(page, f"reports-{name}-{width}{suffix}")
        if language == "fr":
            page.goto(page.base + "/reports/hq/")
            assert "Toutes les équipes de pays" in page.locator("h1").inner_text()
        context.close()


def test_the_performance_pages_have_no_serious_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    from commonops.core.models import Country, Region

    axe = Axe()
    log_in(page, "hq-analyst")
    problems = []
    for path in ("/reports/hq/", f"/reports/regions/{Region.objects.get(code='AP').pk}/",
                 f"/reports/countries/{Country.objects.get(iso_code='VN').pk}/",
                 "/reports/hq/report/", "/reports/subscriptions/"):
        page.goto(page.base + path)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((path, violation["id"], violation["help"],
                                 [node["target"] for node in violation["nodes"][:3]]))
    assert problems == []
