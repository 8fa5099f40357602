"""No English left on French pages: every text a page shows (and its titles, labels and
placeholders) is checked against the English texts of the catalogue."""

from pathlib import Path

import pytest
from django.utils import translation

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

CATALOGUE = Path(__file__).resolve().parents[2] / "commonops/locale/fr/LC_MESSAGES/django.po"
# Texts of the demo world that happen to be English words of the interface too: names people
# gave (a team called "ICT", the OMT's name, a job title), not interface.
DATA = {"ICT", "Operations Management Team", "Resident Coordinator", "CommonOps service desk"}

TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.trim(), parent = node.parentElement;
    if (text && parent && !parent.closest("script, style") && parent.getClientRects().length)
      out.push(text);
  }
  for (const el of document.querySelectorAll("[title], [placeholder], [aria-label]"))
    for (const name of ["title", "placeholder", "aria-label"])
      if (el.getAttribute(name)) out.push(el.getAttribute(name).trim());
  return out;
}"""


def _english_texts() -> set[str]:
    """The catalogue's English texts that French says differently (whole texts only: a
    text with placeholders never shows as it is written)."""
    english = set()
    with translation.override("fr"):
        for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
            lines = [line for line in block.splitlines() if not line.startswith("#")]
            if not lines or not lines[0].startswith("msgid ") or any(
                    line.startswith("msgid_plural") for line in lines):
                continue
            msgid = "".join(
                line.split(" ", 1)[1] if line.startswith("msgid ") else line
                for line in lines[:next(i for i, line in enumerate(lines)
                                        if line.startswith("msgstr"))]
            ).replace('""', "").strip('"').encode().decode("unicode_escape").encode(
                "latin-1").decode("utf-8")
            if msgid and "%" not in msgid and translation.gettext(msgid) != msgid:
                english.add(msgid.strip())
    return english - DATA


def test_french_pages_show_no_english(page):
    from commonops.commonservices.models import Allocation
    from commonops.core.models import Agency
    from commonops.governance.models import Meeting
    from commonops.results.models import Indicator

    english = _english_texts()
    assert {"Name", "Budget shared (USD)", "Any other business"} <= english
    log_in(page, "vn-csm")
    page.select_option("#language-select", "fr")
    with page.expect_navigation():
        page.click(".language button")
    undp = Agency.objects.get(acronym="UNDP")
    paths = sorted({href for href in page.locator("nav a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
        if href and href.startswith("/") and not href.startswith(("/admin", "/api"))})
    paths += [
        f"/services/statements/{undp.pk}/2025/", "/services/report/2025/",
        Allocation.objects.filter(country__iso_code="VN").first().get_absolute_url(),
        Indicator.objects.filter(country__iso_code="VN").first().get_absolute_url(),
        Meeting.objects.filter(country__iso_code="VN").order_by("-starts_at").first()
        .get_absolute_url(),
    ]
    found = {}
    for path in paths:
        response = page.goto(page.base + path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "fr"
        left = sorted({text for text in page.evaluate(TEXTS) if text in english})
        if left:
            found[path] = left
    page.goto(page.base + "/services/allocations/")
    screenshot(page, "allocations-fr")
    assert found == {}
