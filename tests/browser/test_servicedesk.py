"""The service desk in the browser: a staff member raises a ticket, it is auto-assigned
(T3), the agent replies and resolves it, the requester sees the timeline (T4) and rates
it (T5), and the desk manager's KPI page counts it (T6). Also the form on a phone."""

import re

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _log_out(page):
    page.context.clear_cookies()


def _resolved_this_month():
    from commonops.core.models import Country
    from commonops.servicedesk import queries

    vn = Country.objects.get(iso_code="VN")
    now = timezone.localtime(timezone.now(), vn.calendar(holidays=()).tz)
    return queries.kpis(country=vn, year=now.year, month=now.month)[0].resolved, now


def test_raise_assign_reply_resolve_rate_and_count(page):
    from commonops.servicedesk.models import Rating, Ticket

    resolved_before, now = _resolved_this_month()

    log_in(page, "vn-staff")
    page.goto(page.base + "/desk/")
    page.click("main >> text=Raise a ticket")
    page.select_option("select[name=category]", label="Laptops and printers")
    page.select_option("select[name=priority]", "P2")
    page.fill("input[name=subject]", "Printer on floor 2 prints blank pages")
    page.fill("textarea[name=description]", "Since the toner change.")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/desk/tickets/\d+/$"))
    ticket = Ticket.objects.get(subject="Printer on floor 2 prints blank pages")
    assert ticket.assignee is not None  # T3: auto-assigned
    assert ticket.number in page.locator("h1").inner_text()
    screenshot(page, "desk-ticket-raised")
    _log_out(page)

    log_in(page, ticket.assignee.username)
    page.goto(page.base + "/desk/tickets/?mine=true")
    page.click(f"text={ticket.number}")
    page.fill("textarea[name=body]", "I replaced the drum; please try again.")
    page.click("#reply button[type=submit]")
    page.wait_for_selector("text=I replaced the drum")
    page.select_option("#id_status", "resolved")
    page.click("#status button[type=submit]")
    page.wait_for_selector(".tag >> text=Resolved")
    screenshot(page, "desk-ticket-resolved")
    _log_out(page)

    log_in(page, "vn-staff")
    page.goto(page.base + ticket.get_absolute_url())
    timeline = page.locator("#timeline").inner_text()
    assert "I replaced the drum" in timeline and "Resolved" in timeline  # T4
    page.click("text=Rate this help")
    page.check("input[name=score][value='5']")
    page.fill("textarea[name=comment]", "Quick and friendly")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Thank you for your rating")
    assert Rating.objects.get(ticket=ticket).score == 5
    _log_out(page)

    log_in(page, "vn-sdm")
    page.goto(page.base + f"/desk/kpis/?year={now.year}&month={now.month}&by=agent")
    total = page.locator("#kpi-total").inner_text()
    assert re.search(rf"Tickets resolved\s+{resolved_before + 1}\b", total), total
    assert page.locator("svg").count() >= 4
    screenshot(page, "desk-kpis")
    assert not page.errors


def test_the_ticket_form_fits_a_phone(phone):
    log_in(phone, "vn-staff")
    phone.goto(phone.base + "/desk/tickets/new/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone, "desk-raise-phone")
