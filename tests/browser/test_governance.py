"""A full OMT meeting cycle in the browser: schedule → agenda sent (.ics) → attendance and
quorum → draft minutes with an action → circulated → comment → finalised → shared with the
UNCT → the action is on its owner's home page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _log_out(page):
    page.context.clear_cookies()


def test_a_full_meeting_cycle(page):
    from commonops.core.models import Country
    from commonops.governance.models import Meeting, Membership, Minutes

    viet_nam = Country.objects.get(iso_code="VN")
    calendar = viet_nam.calendar()
    day = calendar.add_working_days(timezone.localdate() + timedelta(days=20), 1)

    # The secretary schedules a meeting from the OMT page.
    log_in(page, "vn-secretary")
    page.goto(page.base + "/omt/")
    assert "Operations Management Team" in page.locator("h1").inner_text()
    screenshot(page, "omt-page")
    page.click("text=Schedule a meeting")
    page.fill("input[name=title]", "OMT special meeting on premises")
    page.select_option("select[name=kind]", "special")
    page.fill("input[name=day]", day.isoformat())
    page.fill("input[name=starts]", "10:00")
    page.fill("input[name=ends]", "12:00")
    page.click("main button[type=submit]")
    page.wait_for_url("**/omt/meetings/*/")
    meeting = Meeting.objects.get(title="OMT special meeting on premises")
    assert page.get_by_text("Review of the last minutes and follow-up actions").count() >= 1
    assert page.get_by_text("three working days before the meeting").is_visible()

    # G4: the agenda goes to every member and alternate with a calendar invitation.
    mail.outbox.clear()
    page.click("a:has-text('Send agenda')")  # first a preview of the e-mail and its recipients
    page.wait_for_url("**/send-agenda/")
    assert "Review of the last minutes" in page.locator("#agenda-message").inner_text()
    screenshot(page, "governance-agenda-preview")
    assert not mail.outbox
    page.click("button:has-text('Send it now')")
    page.wait_for_load_state("load")
    assert page.get_by_text("on time").first.is_visible()
    message = mail.outbox[-1]
    assert message.attachments[0][2].startswith("text/calendar")
    assert len(message.to) == 22

    # G5: attendance, with the quorum shown live.
    seats = list(Membership.objects.filter(omt=meeting.omt).select_related("member")
                 .order_by("pk")[:7])
    for seat in seats:
        form = page.locator("#attendance form.stacked")
        form.locator("select[name$=capacity]").select_option("member")
        form.locator("select[name$=person]").select_option(str(seat.member.pk))
        with page.expect_response(lambda r: "/attendance" in r.url):
            form.locator("button[type=submit]").click()
        page.wait_for_timeout(100)
    quorum = page.locator("#quorum").inner_text()
    assert "7 of 12" in quorum and "quorate" in quorum.lower()
    screenshot(page, "meeting-page")

    # Draft minutes with a decision and an action for the WHO member.
    page.click("button:has-text('Start the minutes')")
    page.wait_for_url("**/omt/minutes/*/")
    minutes = Minutes.objects.get(meeting=meeting)
    item = minutes.items.get(position=2)
    section = page.locator(f"#item-{item.pk}")
    section.locator("textarea[name$=discussion]").fill("The premises task force reported.")
    section.locator("textarea[name$=decisions]").fill("Renew the cleaning contract.")
    section.locator("button:has-text('Save the item')").click()
    page.wait_for_load_state("load")
    section = page.locator(f"#item-{item.pk}")
    section.locator("summary:has-text('Add an action')").click()
    section.locator("input[name$=title]").fill("Send the contract draft to the agencies")
    section.locator("select[name$=owner_person]").select_option(
        str(page_user("vn-member").pk))
    section.locator("input[name$=due_on]").fill((day + timedelta(days=10)).isoformat())
    section.locator("button:has-text('Add the action')").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Send the contract draft to the agencies").is_visible()

    # G6: circulated for comments.
    page.click("button:has-text('Circulate for comments')")
    page.wait_for_load_state("load")
    assert page.get_by_text("Circulated for comments").first.is_visible()

    # A member comments during the comment period.
    _log_out(page)
    log_in(page, "vn-omt-fao")
    page.goto(page.base + minutes.get_absolute_url())
    section = page.locator(f"#item-{item.pk}")
    section.locator("textarea[name=text]").last.fill("FAO agrees; please add the timeline.")
    section.locator("button:has-text('Comment')").last.click()
    page.wait_for_load_state("load")
    assert page.get_by_text("FAO agrees; please add the timeline.").is_visible()

    # The secretary finalises and shares with the UNCT.
    _log_out(page)
    log_in(page, "vn-secretary")
    page.goto(page.base + minutes.get_absolute_url())
    page.click("button:has-text('Finalise')")
    page.wait_for_load_state("load")
    mail.outbox.clear()
    page.click("button:has-text('Share with the UNCT')")
    page.wait_for_load_state("load")
    assert page.get_by_text("Shared with the UNCT").first.is_visible()
    assert "vn-rc@commonops.example" in mail.outbox[-1].to
    assert page.locator("textarea").count() == 0  # read-only now
    screenshot(page, "minutes-shared")

    # The action is on its owner's home page.
    _log_out(page)
    log_in(page, "vn-member")
    assert page.get_by_text("Action: Send the contract draft to the agencies").is_visible()
    screenshot(page, "home-with-action")


def page_user(username):
    from commonops.core.models import User

    return User.objects.get(username=username)
