"""The ticket API: raise, take, assign, status, reply, rate, merge, timeline, KPIs; scoped
reads, the one error shape, and the same actions as the pages."""

import pytest
from django.urls import reverse

from commonops.servicedesk.models import Agent, Rating, Status, Ticket

pytestmark = pytest.mark.django_db


def _raise(api, staff, category, **extra):
    response = api(staff).post(reverse("ticket-list"), {
        "category": category.pk, "subject": "Keyboard broken", **extra}, format="json")
    assert response.status_code == 201, response.json()
    return Ticket.objects.get(pk=response.json()["id"])


def test_a_ticket_raised_through_the_api_is_numbered_timed_and_assigned(api, staff, category):
    ticket = _raise(api, staff, category, priority="P2")
    assert ticket.number.startswith("VN-") and ticket.assignee is not None
    assert ticket.resolution_due > ticket.first_response_due


def test_the_requester_lists_only_their_tickets(api, staff, category, vn_member):
    ticket = _raise(api, staff, category)
    ids = {row["id"] for row in api(staff).get(reverse("ticket-list") + "?page_size=500")
           .json()["results"]}
    assert ticket.pk in ids
    assert api(vn_member).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 404


def test_an_outsider_gets_404_in_the_one_error_shape(api, staff, category, outsider):
    ticket = _raise(api, staff, category)
    response = api(outsider).post(reverse("ticket-step", args=[ticket.pk, "take"]))
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


def test_take_assign_reply_status_and_rate(api, staff, category, agent1, agent2):
    Agent.objects.filter(team=category.team).update(available=False)
    ticket = _raise(api, staff, category)
    assert api(agent1).post(reverse("ticket-step", args=[ticket.pk, "take"])).status_code == 200
    second = api(agent2).post(reverse("ticket-step", args=[ticket.pk, "take"]))
    assert second.status_code == 400 and "already taken" in second.json()["error"]["message"]
    response = api(agent1).post(reverse("ticket-step", args=[ticket.pk, "assign"]),
                                {"assignee": agent2.pk}, format="json")
    assert response.json()["assignee"] == agent2.pk
    response = api(agent2).post(reverse("ticket-step", args=[ticket.pk, "reply"]),
                                {"body": "Replaced it"}, format="json")
    assert response.status_code == 200 and response.json()["event"]
    response = api(agent2).post(reverse("ticket-step", args=[ticket.pk, "status"]),
                                {"status": "reopened"}, format="json")
    assert response.status_code == 400 and "status" in response.json()["error"]["fields"]
    response = api(agent2).post(reverse("ticket-step", args=[ticket.pk, "status"]),
                                {"status": "resolved"}, format="json")
    assert response.json()["status"] == Status.RESOLVED
    assert api(agent2).post(reverse("ticket-step", args=[ticket.pk, "rate"]), {"score": 5},
                            format="json").status_code == 403
    assert api(staff).post(reverse("ticket-step", args=[ticket.pk, "rate"]), {"score": 5},
                           format="json").status_code == 200
    again = api(staff).post(reverse("ticket-step", args=[ticket.pk, "rate"]), {"score": 1},
                            format="json")
    assert again.status_code == 400
    assert Rating.objects.get(ticket=ticket).score == 5


def test_the_timeline_hides_notes_from_the_requester(api, staff, category):
    ticket = _raise(api, staff, category)
    api(ticket.assignee).post(reverse("ticket-step", args=[ticket.pk, "reply"]),
                              {"body": "note to self", "internal": True}, format="json")
    requester_view = api(staff).get(reverse("ticket-events", args=[ticket.pk])).json()["results"]
    agent_view = api(ticket.assignee).get(reverse("ticket-events", args=[ticket.pk])).json()[
        "results"]
    assert "note to self" not in [e["body"] for e in requester_view]
    assert "note to self" in [e["body"] for e in agent_view]


def test_merge_through_the_api(api, staff, category):
    first, second = _raise(api, staff, category), _raise(api, staff, category)
    response = api(first.assignee).post(reverse("ticket-step", args=[second.pk, "merge"]),
                                        {"into": first.pk}, format="json")
    assert response.json()["merged_into"] == first.pk


def test_kpis_through_the_api(api, desk_manager, viet_nam, staff, desk_history):
    response = api(desk_manager).get(reverse("deskkpi-list") + f"?country={viet_nam.pk}"
                                     "&year=2020&by=agency")
    assert response.status_code == 200
    assert response.json()["rows"] and "first_response_compliance" in response.json()["rows"][0]
    assert api(staff).get(reverse("deskkpi-list") + f"?country={viet_nam.pk}").status_code \
        == 403
    bad = api(desk_manager).get(reverse("deskkpi-list") + f"?country={viet_nam.pk}&by=colour")
    assert bad.status_code == 400
