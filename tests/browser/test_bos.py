"""A BOS from kick-off to sign-off in the browser, each step by the person who may take it
(B1): the OMT chair writes the kick-off, the stock-take, an opportunity with its CBA and the
two KPIs (B5) and submits; the regional focal point clears; a UNCT member endorses; the OMT
chair finds no sign-off button; the Resident Coordinator signs off."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _log_out(page):
    page.context.clear_cookies()


def _submit(page):
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state("load")


def _step(page, label):
    """Take a workflow step: HTMX loads the page it leads to, with its message."""
    page.click(f"button:has-text('{label}')")
    page.locator("li.message").first.wait_for()


def test_a_bos_from_kickoff_to_sign_off(page, phone):
    from commonops.bos.models import Bos
    from commonops.core.models import Agency

    undp = Agency.objects.get(acronym="UNDP").pk
    who = Agency.objects.get(acronym="WHO").pk

    # Kick-off by the OMT chair (B1, B2).
    log_in(page, "vn-chair")
    page.goto(page.base + "/bos/strategies/add/")
    page.fill("input[name=title]", "Business Operations Strategy 2027–2031")
    page.fill("input[name=start_year]", "2027")
    page.fill("input[name=end_year]", "2031")
    page.fill("input[name=kickoff_on]", "2026-11-20")
    page.check("input[name=service_lines][value=ict]")
    page.check("input[name=service_lines][value=procurement]")
    page.check(f"input[name=participating_agencies][value='{undp}']")
    page.check(f"input[name=participating_agencies][value='{who}']")
    _submit(page)
    bos = Bos.objects.get(country__iso_code="VN", start_year=2027)
    assert page.url.endswith(bos.get_absolute_url())
    assert "Draft" in page.locator("h1").inner_text()

    # Stock-take (B3).
    page.click("text=Add an existing service")
    page.fill("input[name=name]", "Common security services")
    page.select_option("select[name=service_line]", "procurement")
    page.select_option("select[name=modality]", "outsourced")
    page.check(f"input[name=managing_agencies][value='{undp}']")
    page.fill("input[name=implemented_since]", "2016")
    page.select_option("select[name=action]", "continue")
    _submit(page)
    assert "Common security services" in page.content()

    # An opportunity with its CBA (B4), selected into the plan.
    page.goto(page.base + f"/bos/strategies/{bos.pk}/prioritisation/")
    page.click("text=Add an opportunity")
    page.fill("input[name=name]", "Joint ICT help desk")
    page.select_option("select[name=service_line]", "ict")
    page.check(f"input[name=managing_agencies][value='{undp}']")
    page.check(f"input[name=participating_agencies][value='{who}']")
    page.fill("input[name=implementation_start]", "2027")
    _submit(page)
    for year, side, nature, amount in ((1, "cost", "one_time", "10000"),
                                       (2, "benefit", "recurring", "16000")):
        page.click("text=Add a CBA line")
        page.fill("input[name=year]", str(year))
        page.select_option("select[name=side]", side)
        page.select_option("select[name=kind]", "monetary")
        page.select_option("select[name=nature]", nature)
        page.fill("input[name=amount]", amount)
        _submit(page)
        page.goto(page.base + f"/bos/opportunities/{bos.opportunities.get().pk}/")
    assert page.locator("[data-figure=net_benefit]").inner_text() == "6,000.00"
    assert page.locator("[data-figure=payback_year]").inner_text() == "2"
    page.goto(page.base + f"/bos/strategies/{bos.pk}/prioritisation/")
    page.click("#ranking button:has-text('Select')")
    page.wait_for_load_state("load")

    # Submission is blocked until the service has both KPIs (B5).
    page.goto(page.base + bos.get_absolute_url())
    assert page.get_by_text("lack a cost-avoidance KPI").is_visible()
    page.goto(page.base + f"/bos/strategies/{bos.pk}/results/")
    for name, kind, unit in (("Help desk savings", "cost_avoidance", "usd"),
                             ("Help desk satisfaction", "quality", "percent")):
        page.click("text=Add a KPI")
        page.fill("input[name=name]", name)
        page.select_option("select[name=kind]", kind)
        page.select_option("select[name=unit]", unit)
        page.fill("input[name=target_2027]", "80")
        _submit(page)
    page.goto(page.base + bos.get_absolute_url())
    _step(page, "Submit for quality assurance")
    assert "Submitted for quality assurance" in page.locator("h1").inner_text()
    _log_out(page)

    # Quality assurance by the regional focal point, endorsement by a UNCT member.
    log_in(page, "ap-focal")
    page.goto(page.base + bos.get_absolute_url())
    _step(page, "Clear")
    _log_out(page)
    log_in(page, "vn-unct")
    page.goto(page.base + bos.get_absolute_url())
    _step(page, "Record UNCT endorsement")
    assert "Endorsed by the UNCT" in page.locator("h1").inner_text()
    _log_out(page)

    # Only the RC signs off.
    log_in(page, "vn-chair")
    page.goto(page.base + bos.get_absolute_url())
    assert page.locator("button:has-text('Sign off')").count() == 0
    _log_out(page)
    log_in(page, "vn-rc")
    page.goto(page.base + bos.get_absolute_url())
    _step(page, "Sign off")
    assert "Signed off by the RC" in page.locator("h1").inner_text()
    assert page.locator("li.ok[data-step=sign_off]").count() == 1
    screenshot(page, "bos-signed-off")
    bos.refresh_from_db()
    assert bos.status == "signed_off"
    assert page.errors == []

    # The overview reads on a 360-pixel phone without sideways scrolling of the page.
    log_in(phone, "vn-member")
    phone.goto(phone.base + bos.get_absolute_url())
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 380
    screenshot(phone, "bos-phone")
