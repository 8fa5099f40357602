"""Under the strict Content-Security-Policy the pages work as before: htmx swaps (a 400
answer with the form's errors included), the country switcher, the wide-screen menu; and the
browser reports no blocked script, style or eval."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _watch_policy(page):
    """What the browser refused under the policy, each with the page it happened on."""
    blocked = []

    def note(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            blocked.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return blocked


def test_htmx_and_the_page_scripts_work_under_the_policy(page):
    from commonops.core.models import User
    from commonops.governance import actions
    from commonops.governance.models import Membership, Omt

    blocked = _watch_policy(page)
    omt = Omt.objects.get(country__iso_code="VN")
    day = timezone.localdate() + timedelta(days=40)
    zone = ZoneInfo(omt.country.time_zone)
    meeting = actions.meeting_create(by=User.objects.get(username="vn-secretary"), data={
        "omt": omt, "title": "OMT policy check",
        "starts_at": datetime.combine(day, time(9), zone),
        "ends_at": datetime.combine(day, time(11), zone)})

    log_in(page, "vn-secretary")
    assert page.locator("#main-nav").is_visible()  # wide screen: the menu shows, by CSS alone
    page.goto(page.base + meeting.get_absolute_url())
    url = page.url
    # htmx posts the attendance form; a 400 answer (no person chosen) is swapped in
    form = page.locator("#attendance form.stacked")
    with page.expect_response(lambda r: "/attendance" in r.url) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 400, (answer.value.status, answer.value.url)
    page.wait_for_timeout(200)
    assert page.url == url
    assert page.locator("#attendance .errorlist, #attendance [role=alert]").count() >= 1
    # and a valid one adds the person in place
    form = page.locator("#attendance form.stacked")
    form.locator("select[name$=capacity]").select_option("member")
    seat = Membership.objects.filter(omt=omt).order_by("pk").first()
    form.locator("select[name$=person]").select_option(str(seat.member_id))
    with page.expect_response(lambda r: "/attendance" in r.url) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 200
    page.wait_for_timeout(200)
    assert page.url == url
    assert "1 of" in page.locator("#quorum").inner_text()
    screenshot(page, "meeting-under-csp")
    assert page.errors == []
    assert blocked == []


def test_the_country_switcher_submits_on_change_under_the_policy(page):
    blocked = _watch_policy(page)
    log_in(page, "hq-analyst")
    switcher = page.locator("#country-switch")
    options = switcher.locator("option")
    current = switcher.input_value()
    other = next(options.nth(i).get_attribute("value") for i in range(options.count())
                 if options.nth(i).get_attribute("value") != current)
    with page.expect_navigation():
        switcher.select_option(other)
    assert "You are now working in" in page.locator(".messages").inner_text()
    assert blocked == []


def test_the_login_page_offers_to_end_the_session_with_the_browser(page, phone):
    for view, name in ((page, "login"), (phone, "login-phone")):
        view.goto(view.base + "/accounts/login/")
        assert view.get_by_label("End my session when I close the browser").is_visible()
        screenshot(view, name)


def test_representative_pages_log_no_policy_violation(page):
    """Each kind of page, anonymous, in a country team and at headquarters, and the API
    documentation, is shown as served: no style attribute or element, inline script or
    inline handler the policy blocks."""
    from commonops.bos.models import Bos
    from commonops.compacts.models import Compact
    from commonops.governance.models import Meeting
    from commonops.workplans.models import WorkPlan

    blocked = _watch_policy(page)
    bos = Bos.objects.filter(country__iso_code="VN").order_by("pk").first()
    meeting = Meeting.objects.filter(country__iso_code="VN").order_by("-starts_at").first()
    plan = WorkPlan.objects.filter(country__iso_code="VN").order_by("-year").first()
    compact = Compact.objects.filter(country__iso_code="VN", status="endorsed").first()
    for username, paths in (
            (None, ("/accounts/login/", "/accounts/password/reset/")),
            ("vn-chair", ("/", bos.get_absolute_url(), meeting.get_absolute_url(), "/api/docs/",
                          plan.get_absolute_url())),
            ("vn-senior", (f"/compacts/compacts/{compact.pk}/scorecard/",)),
            ("vn-sdm", ("/desk/tickets/",)),
            ("hq-analyst", ("/reports/hq/",))):
        page.context.clear_cookies()
        if username:
            log_in(page, username)
        for path in paths:
            response = page.goto(page.base + path)
            assert response.status == 200, (username, path)
            page.wait_for_load_state("load")
    assert blocked == [], "\n".join(blocked)
    assert page.errors == []
