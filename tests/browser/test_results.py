"""Results and surveys in the browser: the M&E focal point records an actual from the
indicator page; a staff member answers the open survey on a phone through the single-use
link, which then refuses a second use; the closed survey's results by agency."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_record_an_actual_and_answer_a_survey(page, phone):
    from commonops.core.models import User
    from commonops.results.models import Indicator
    from commonops.surveys import actions
    from commonops.surveys.models import Survey

    kpi = Indicator.objects.filter(country__iso_code="VN", kind="quality",
                                   subject_type__model="commonservice").order_by("pk").first()
    log_in(page, "vn-me")
    page.goto(page.base + kpi.get_absolute_url())
    assert page.locator("figure svg").count() == 1
    screenshot(page, "results-indicator")
    page.click("text=Record a measurement")
    page.fill("input[name=year]", "2027")
    page.fill("input[name=value]", "91")
    page.fill("input[name=means_of_verification]", "Survey 2027")
    page.click("main button[type=submit]")
    page.wait_for_url("**" + kpi.get_absolute_url())
    row = page.locator("#periods tr", has_text="2027")
    assert "91" in row.inner_text() and "Survey 2027" in row.inner_text()

    survey = Survey.objects.get(country__iso_code="VN", status="open")
    invitation, = actions.survey_invite(
        survey=survey, include_client_staff=False, extra_emails=["phone@example.org"],
        send_email=False, by=User.objects.get(username="vn-csm"))
    link = phone.base + f"/surveys/answer/{invitation.token}/"
    phone.goto(link)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("fieldset").first.locator("input[value='5']").check()
    screenshot(phone, "survey-answer-phone")
    phone.click("main button[type=submit]")
    assert "Thank you" in phone.locator("main").inner_text()
    phone.goto(link)
    assert "already been used" in phone.locator("main").inner_text()

    closed = Survey.objects.get(country__iso_code="VN", status="closed")
    page.goto(page.base + f"/surveys/surveys/{closed.pk}/results/")
    assert "Other agencies" in page.locator("#agencies").inner_text()
    screenshot(page, "survey-results")
