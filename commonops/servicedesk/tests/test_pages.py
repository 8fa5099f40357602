"""The desk's workflow pages: raising a Ticket, the queue, the timeline, replies, status,
taking, rating (Rating), Attachment downloads and the KPI dashboard; access (outsiders get
404), bad input (400, nothing changed) and constant query counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonops.core.testing import count_queries
from commonops.servicedesk import actions
from commonops.servicedesk.models import Attachment, Category, Rating, Status, Team, Ticket

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _ticket(viet_nam, staff, category, **kwargs):
    return actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                subject="Screen flickers", by=staff, **kwargs)


def test_a_staff_member_raises_a_ticket_from_the_short_form(client, staff, category):
    response = _login(client, staff).post(reverse("servicedesk:ticket_raise"), {
        "category": category.pk, "priority": "P3", "subject": "Screen flickers",
        "description": "Since this morning"})
    ticket = Ticket.objects.filter(requester=staff).latest("id")
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.assignee is not None
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert ticket.number in page and "Since this morning" in page


def test_the_form_refuses_a_missing_subject_and_a_forbidden_file(client, staff, category):
    count = Ticket.objects.count()
    c = _login(client, staff)
    response = c.post(reverse("servicedesk:ticket_raise"), {"category": category.pk,
                                                             "priority": "P3"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = c.post(reverse("servicedesk:ticket_raise"), {
        "category": category.pk, "priority": "P3", "subject": "x",
        "files": SimpleUploadedFile("tool.exe", b"MZ")})
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert Ticket.objects.count() == count


def test_an_outsider_gets_404_on_a_ticket(client, viet_nam, staff, category, outsider):
    ticket = _ticket(viet_nam, staff, category)
    c = _login(client, outsider)
    assert c.get(ticket.get_absolute_url()).status_code == 404
    assert c.post(reverse("servicedesk:ticket_take", args=[ticket.pk])).status_code == 404
    assert c.get(reverse("servicedesk:ticket_rate", args=[ticket.pk])).status_code == 404


def test_another_staff_member_of_the_country_does_not_see_the_ticket(client, viet_nam, staff,
                                                                     category, vn_member):
    ticket = _ticket(viet_nam, staff, category)
    assert _login(client, vn_member).get(ticket.get_absolute_url()).status_code == 404


def test_a_requester_may_not_open_the_queue(client, staff):
    assert _login(client, staff).get(reverse("servicedesk:queue")).status_code == 403


def test_the_queue_is_sorted_by_due_time(client, viet_nam, staff, category, agent1):
    low = _ticket(viet_nam, staff, category, priority="P4")
    urgent = _ticket(viet_nam, staff, category, priority="P1")
    page = _login(client, agent1).get(
        reverse("servicedesk:queue") + f"?team={category.team_id}").content.decode()
    assert page.index(urgent.number) < page.index(low.number)


def test_an_agents_queue_shows_the_open_tickets_of_their_teams_by_default(
        client, viet_nam, staff, category, agent1, vn_rc):
    other_team = Team.objects.create(country=viet_nam, name="Facilities test team")
    other = Category.objects.create(country=viet_nam, name="Facilities test", team=other_team)
    ours = _ticket(viet_nam, staff, category)
    theirs = _ticket(viet_nam, staff, other)
    done = _ticket(viet_nam, staff, category)
    actions.ticket_change_status(ticket=done, status=Status.RESOLVED, by=done.assignee)

    page = _login(client, agent1).get(reverse("servicedesk:queue")).content.decode()
    assert ours.number in page
    assert theirs.number not in page and done.number not in page
    assert "Team queue" in page

    every_team = client.get(reverse("servicedesk:queue") + "?my_teams=false").content.decode()
    assert ours.number in every_team and theirs.number in every_team
    # another page of the queue keeps the default
    assert "Team queue" in client.get(reverse("servicedesk:queue") + "?page=1").content.decode()

    # someone who reads the desk without being an agent sees every open ticket
    page = _login(client, vn_rc).get(reverse("servicedesk:queue")).content.decode()
    assert ours.number in page and theirs.number in page


def test_my_tickets_shows_only_mine(client, viet_nam, staff, category, agent1, agent2):
    tickets = [_ticket(viet_nam, staff, category) for _ in range(2)]
    page = _login(client, agent1).get(reverse("servicedesk:queue") + "?mine=true")
    content = page.content.decode()
    for ticket in tickets:
        assert (ticket.number in content) is (ticket.assignee == agent1)


def test_queue_home_ticket_and_kpi_pages_use_a_constant_number_of_queries(
        client, viet_nam, staff, category, agent1, desk_history):
    march = datetime(2020, 3, 10, 9, 0, tzinfo=ZoneInfo(viet_nam.time_zone))
    ticket = _ticket(viet_nam, staff, category, now=march)
    c = _login(client, agent1)
    urls = [reverse("servicedesk:queue"), reverse("servicedesk:queue") + "?mine=true",
            reverse("servicedesk:home"), ticket.get_absolute_url(),
            reverse("servicedesk:kpis") + "?year=2020",
            reverse("servicedesk:kpis") + "?year=2020&month=3&by=agency"]
    before = {url: count_queries(c, url) for url in urls}
    for n in range(3):
        t = _ticket(viet_nam, staff, category, now=march + timedelta(hours=n))
        actions.ticket_reply(ticket=ticket, body="more", by=staff,
                             now=march + timedelta(hours=n))
        actions.ticket_change_status(ticket=t, status=Status.RESOLVED, by=t.assignee,
                                     now=march + timedelta(hours=n + 1))
    after = {url: count_queries(c, url) for url in urls}
    assert after == before
    # the KPI page: 12 monthly medians at two queries each, plus the grouped aggregates
    assert max(before.values()) <= 45


def test_the_requester_sees_the_timeline_but_not_the_notes(client, viet_nam, staff, category):
    ticket = _ticket(viet_nam, staff, category)
    actions.ticket_reply(ticket=ticket, body="Internal: replace the cable", public=False,
                         by=ticket.assignee)
    actions.ticket_change_status(ticket=ticket, status=Status.IN_PROGRESS, by=ticket.assignee)
    page = _login(client, staff).get(ticket.get_absolute_url()).content.decode()
    assert "In progress" in page
    assert "replace the cable" not in page


def test_an_agent_replies_and_resolves_from_the_page(client, viet_nam, staff, category):
    ticket = _ticket(viet_nam, staff, category)
    c = _login(client, ticket.assignee)
    assert c.post(reverse("servicedesk:ticket_reply", args=[ticket.pk]),
                  {"body": "Fixed the cable"}).status_code == 302
    ticket.refresh_from_db()
    response = c.post(reverse("servicedesk:ticket_status", args=[ticket.pk]),
                      {"status": "resolved", "version": ticket.version})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.first_responded_at is not None


def test_a_disallowed_status_jump_on_the_page_is_400(client, viet_nam, staff, category):
    ticket = _ticket(viet_nam, staff, category)
    response = _login(client, ticket.assignee).post(
        reverse("servicedesk:ticket_status", args=[ticket.pk]), {"status": "reopened"})
    assert response.status_code == 400
    assert "cannot go from" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED


def test_the_requester_cannot_change_the_status_of_an_open_ticket(client, viet_nam, staff,
                                                                  category):
    ticket = _ticket(viet_nam, staff, category)
    response = _login(client, staff).post(
        reverse("servicedesk:ticket_status", args=[ticket.pk]), {"status": "closed"})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == Status.ASSIGNED


def test_the_second_agent_to_take_is_told(client, viet_nam, staff, category, agent1, agent2):
    from commonops.servicedesk.models import Agent

    Agent.objects.filter(team=category.team).update(available=False)
    ticket = _ticket(viet_nam, staff, category)
    assert _login(client, agent1).post(
        reverse("servicedesk:ticket_take", args=[ticket.pk])).status_code == 302
    response = _login(client, agent2).post(reverse("servicedesk:ticket_take", args=[ticket.pk]))
    assert response.status_code == 400
    assert "already taken" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee == agent1


def test_the_requester_rates_from_the_link_once(client, viet_nam, staff, category):
    ticket = _ticket(viet_nam, staff, category)
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=ticket.assignee)
    c = _login(client, staff)
    url = reverse("servicedesk:ticket_rate", args=[ticket.pk])
    assert c.get(url).status_code == 200
    assert c.post(url, {"score": "4", "comment": "Good"}).status_code == 302
    response = c.post(url, {"score": "1"})
    assert response.status_code == 400 and "already been rated" in response.content.decode()
    assert Rating.objects.get(ticket=ticket).score == 4


def test_someone_elses_ticket_cannot_be_rated(client, viet_nam, staff, category):
    ticket = _ticket(viet_nam, staff, category)
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=ticket.assignee)
    response = _login(client, ticket.assignee).post(
        reverse("servicedesk:ticket_rate", args=[ticket.pk]), {"score": "5"})
    assert response.status_code == 403  # the agent sees the ticket but is not its requester
    assert not Rating.objects.filter(ticket=ticket).exists()


def test_an_internal_attachment_is_not_downloadable_by_the_requester(
        client, viet_nam, staff, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = _ticket(viet_nam, staff, category)
    actions.ticket_reply(ticket=ticket, body="log", public=False, by=ticket.assignee,
                         files=[SimpleUploadedFile("trace.log", b"stack")])
    attachment = Attachment.objects.get(ticket=ticket)
    url = reverse("servicedesk:attachment_download", args=[attachment.pk])
    assert _login(client, staff).get(url).status_code == 404
    response = _login(client, ticket.assignee).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"stack"


def test_an_agent_marks_themselves_away(client, demo_agent, viet_nam):
    from commonops.servicedesk.models import Agent

    response = _login(client, demo_agent).post(reverse("servicedesk:availability"),
                                               {"available": "false"})
    assert response.status_code == 302
    assert not Agent.objects.filter(user=demo_agent, country=viet_nam,
                                    available=True).exists()


def test_the_kpi_page_shows_the_countrys_figures(client, desk_manager):
    response = _login(client, desk_manager).get(reverse("servicedesk:kpis"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "First responses on time" in content and "<svg" in content


def test_staff_and_outsiders_do_not_see_the_kpis(client, staff, outsider):
    assert _login(client, staff).get(reverse("servicedesk:kpis")).status_code == 403
    assert _login(client, outsider).get(reverse("servicedesk:kpis")).status_code == 403


def test_recording_the_month_creates_results_indicators(client, desk_manager, viet_nam,
                                                       desk_history):
    from commonops.results.models import Indicator, Measurement
    from commonops.servicedesk import queries

    response = _login(client, desk_manager).post(reverse("servicedesk:kpi_record"),
                                                 {"year": "2020", "month": "3"})
    assert response.status_code == 302
    indicator = Indicator.objects.get(country=viet_nam, code="SD-FRT")
    assert indicator.targets.filter(year=2020, month=3).exists()
    recorded = Measurement.objects.get(indicator=indicator, year=2020, month=3)
    march = queries.kpis(country=viet_nam, year=2020, month=3)[0]
    assert recorded.value == march.first_response_compliance


def test_the_ticket_page_shows_each_person_the_steps_they_may_take(client, viet_nam, staff,
                                                                   category):
    ticket = _ticket(viet_nam, staff, category)
    rate = reverse("servicedesk:ticket_rate", args=[ticket.pk])
    status = reverse("servicedesk:ticket_status", args=[ticket.pk])
    assign = reverse("servicedesk:ticket_assign", args=[ticket.pk])
    page = _login(client, staff).get(ticket.get_absolute_url()).content.decode()
    assert rate not in page and status not in page and assign not in page
    page = _login(client, ticket.assignee).get(ticket.get_absolute_url()).content.decode()
    assert status in page and assign in page and 'name="internal"' in page
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=ticket.assignee)
    page = _login(client, staff).get(ticket.get_absolute_url()).content.decode()
    assert rate in page and status in page and 'name="internal"' not in page


def test_merging_by_number_on_the_page(client, viet_nam, staff, category):
    first, second = _ticket(viet_nam, staff, category), _ticket(viet_nam, staff, category)
    c = _login(client, second.assignee)
    url = reverse("servicedesk:ticket_merge", args=[second.pk])
    response = c.post(url, {"into": "XX-2000-000001"})
    assert response.status_code == 400 and "There is no ticket" in response.content.decode()
    assert c.post(url, {"into": first.number.lower()}).status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first and second.status == Status.CLOSED
