"""Figures in tables read whole: never broken across lines, money right-aligned, at 360 and
1366 pixels, in English and French."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

# For each number in a table cell (digits with their separators, a sign, a percent), how
# many lines it takes; and whether the cells that hold only a figure are right-aligned.
FIGURES = r"""(root) => {
  // a sign only where a number starts (not the hyphen of a reference like VN-CSA-2025-1)
  const number = /(?:(?<![^\s(])[-−+])?\d(?:[\d.,\u00a0\u202f]*\d)?%?/g;
  const figureOnly = /^[-−+]?\d[\d.,\s\u00a0\u202f]*%?$/;
  const broken = [], leftAligned = [];
  let figures = 0;
  for (const cell of root.querySelectorAll("table td, table th")) {
    if (!cell.getClientRects().length) continue;  // in a closed <details>
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(number)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                        .map(r => Math.round(r.top)));
        figures += 1;
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    const text = cell.innerText.trim();
    if (figureOnly.test(text) && text.length > 3 && getComputedStyle(cell).textAlign !== "right")
      leftAligned.push(text);
  }
  return {figures, broken, leftAligned};
}"""


def _check(page, path, name):
    response = page.goto(page.base + path)
    assert response.status == 200, path
    result = page.locator("main").evaluate(FIGURES)
    assert result["figures"] > 20, path
    assert result["broken"] == [], (path, result["broken"][:5])
    assert result["leftAligned"] == [], (path, result["leftAligned"][:5])
    screenshot(page, name)


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_number_wraps_in_the_statement_and_the_annual_report(chromium, demo_server,
                                                                browser_db, width, language):
    from commonops.core.models import Agency

    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = demo_server.url
    try:
        log_in(page, "vn-csm")
        if language != "en":
            page.goto(page.base + "/")
            if width < 800:
                page.click("text=Menu")
            page.select_option("#language-select", language)
            with page.expect_navigation():
                page.click(".language button")
        undp = Agency.objects.get(acronym="UNDP")
        _check(page, f"/services/statements/{undp.pk}/2025/",
               f"statement-{language}-{width}")
        _check(page, "/services/report/2025/", f"annual-report-{language}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
