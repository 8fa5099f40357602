"""A work-plan activity from planned to done in the browser (G9): the OMT chair drafts a
plan with an activity and its indicator, the UNCT member approves it, and the M&E focal
point sees it red (past its end, nothing done), reports it done, records the indicator's
actual and sees it turn green. The plan, its phone view and the annual report are looked
at, in English and French."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _log_out(page):
    page.context.clear_cookies()


def _submit(page):
    page.click("main form.stacked button[type=submit]")
    page.wait_for_load_state("load")


def _free_year():
    from commonops.workplans.models import WorkPlan

    taken = set(WorkPlan.objects.filter(country__iso_code="VN").values_list("year", flat=True))
    return next(y for y in range(2003, 2100) if y not in taken)


def test_an_activity_from_planned_to_done_changes_colour(page, phone):
    from commonops.core.models import Agency
    from commonops.governance.models import Omt
    from commonops.workplans.models import PlanActivity, WorkPlan

    year = _free_year()
    omt = Omt.objects.get(country__iso_code="VN")
    undp = Agency.objects.get(acronym="UNDP").pk

    log_in(page, "vn-chair")
    page.goto(page.base + "/workplans/plans/add/")
    page.select_option("select[name=omt]", str(omt.pk))
    page.fill("input[name=year]", str(year))
    page.fill("input[name=title]", f"OMT work plan {year}")
    _submit(page)
    plan = WorkPlan.objects.get(omt=omt, year=year)
    page.click("text=Add an activity")
    page.fill("input[name=name]", "Joint cleaning tender")
    page.select_option("select[name=owner_agency]", str(undp))
    page.fill("input[name=starts_on]", f"{year}-02-01")
    page.fill("input[name=ends_on]", f"{year}-06-30")
    page.fill("input[name=budget]", "5000")
    _submit(page)
    activity = PlanActivity.objects.get(plan=plan)
    page.goto(page.base + activity.get_absolute_url())
    page.click("text=Add an indicator")
    page.fill("input[name=name]", "Agencies on the cleaning contract")
    page.select_option("select[name=unit]", "count")
    page.fill("input[name=target]", "8")
    _submit(page)
    page.goto(page.base + plan.get_absolute_url())
    page.click("button:has-text('Submit to the UNCT')")
    expect(page.locator("h1")).to_contain_text("Submitted to the UNCT")
    _log_out(page)

    log_in(page, "vn-unct")
    page.goto(page.base + plan.get_absolute_url())
    page.click("button:has-text('Approve for the UNCT')")
    expect(page.locator("h1")).to_contain_text("Approved by the UNCT")
    _log_out(page)

    log_in(page, "vn-me")
    page.goto(page.base + activity.get_absolute_url())
    assert page.locator("h1 [data-rag]").get_attribute("data-rag") == "red"
    assert "its end date" in page.locator("#rating").inner_text()
    page.click("text=Report progress")
    page.fill("input[name=quarter]", "2")
    page.select_option("select[name=status]", "done")
    page.fill("input[name=progress]", "100")
    page.fill("input[name=spent]", "4800")
    page.fill("textarea[name=note]", "Contract signed.")
    _submit(page)
    page.goto(page.base + activity.get_absolute_url())
    # done within budget; its indicator has no actual yet, which is no reason for a colour
    assert page.locator("[data-status]").inner_text() == "Done"
    assert page.locator("h1 [data-rag]").get_attribute("data-rag") == "green"
    page.click("#indicators a:has-text('Agencies on the cleaning contract')")
    page.click("text=Record a measurement")
    page.fill("input[name=year]", str(year))
    page.fill("input[name=value]", "6")
    _submit(page)
    page.goto(page.base + activity.get_absolute_url())
    assert page.locator("h1 [data-rag]").get_attribute("data-rag") == "red"  # 6 of 8
    assert "An indicator is not met." in page.locator("#rating").inner_text()
    page.click("#indicators a:has-text('Agencies on the cleaning contract')")
    page.click("#periods a[href*='/results/measurements/'][href$='/edit/']")
    page.fill("input[name=value]", "9")
    _submit(page)
    page.goto(page.base + activity.get_absolute_url())
    assert page.locator("h1 [data-rag]").get_attribute("data-rag") == "green"
    screenshot(page, "workplan-activity-green")
    page.goto(page.base + plan.get_absolute_url())
    assert page.locator(f"#activity-{activity.pk} [data-rag]").get_attribute(
        "data-rag") == "green"
    assert page.errors == []

    # The demo plan of this year, with every colour, on a wide screen and a phone.
    current = WorkPlan.objects.filter(country__iso_code="VN").order_by("-year").first()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(page.base + current.get_absolute_url())
    screenshot(page, "workplan")
    page.goto(page.base + "/workplans/annual-report/?year=" + str(current.year - 1))
    assert "Meetings and follow-up" in page.locator("main").inner_text()
    screenshot(page, "annual-report")
    log_in(phone, "vn-me")
    phone.goto(phone.base + current.get_absolute_url())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
    screenshot(phone, "workplan-phone")
    phone.goto(phone.base + "/")
    if not phone.locator("#language-select").is_visible():
        phone.click(".menu-button")  # the menu, with the language, is folded on a phone
    phone.select_option("#language-select", "fr")
    with phone.expect_navigation():
        phone.click(".language button")
    phone.goto(phone.base + current.get_absolute_url())
    assert "Activités" in phone.locator("main").inner_text()
    screenshot(phone, "workplan-phone-fr")



def test_the_work_plan_pages_have_no_serious_accessibility_violations(page):
    """axe-core: no serious or critical violations on the plan, an activity, the annual
    report, the evaluation and the standing update."""
    from axe_playwright_python.sync_playwright import Axe

    from commonops.governance.models import Omt
    from commonops.workplans.models import BosEvaluation, WorkPlan

    plan = WorkPlan.objects.filter(country__iso_code="VN").order_by("-year").first()
    evaluation = BosEvaluation.objects.filter(country__iso_code="VN").first()
    omt = Omt.objects.get(country__iso_code="VN")
    axe = Axe()
    log_in(page, "vn-chair")
    problems = []
    for path in (plan.get_absolute_url(), plan.activities.first().get_absolute_url(),
                 f"/workplans/annual-report/?year={plan.year - 1}",
                 evaluation.get_absolute_url(), f"/omt/{omt.pk}/unct-update/",
                 "/workplans/activities/add/"):
        page.goto(page.base + path)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((path, violation["id"]))
    assert problems == []
