"""The action tracker (G7) and escalations to the UNCT (G11) on pages."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from commonops.governance.models import Action, Escalation
from commonops.governance.tests.helpers import (
    HTMX,
    agency,
    as_user,
    draft_minutes,
    html,
    in_days,
    omt,
    user,
)

pytestmark = pytest.mark.django_db


def test_action_tracker_filters_by_state(client, vn_chair):
    client.force_login(vn_chair)
    url = reverse("governance:action_list")
    for state in ("overdue", "done", "open"):
        rows = client.get(url + f"?state={state}").context["page"].object_list
        assert all(a.state == state for a in rows)
    overdue = client.get(url + "?state=overdue")
    assert overdue.context["page"].paginator.count == \
        client.get(omt().get_absolute_url()).context["action_counts"]["overdue"]
    assert "Overdue" in html(overdue)


def test_action_tracker_filters_by_meeting_task_force_and_mine(client):
    c = as_user(client, "vn-csm")
    url = reverse("governance:action_list")
    mine = c.get(url + "?mine=true").context["page"].object_list
    assert mine and all(a.owner_person and a.owner_person.username == "vn-csm" for a in mine)
    action = Action.objects.filter(omt=omt(), meeting__isnull=False).first()
    rows = c.get(url + f"?meeting={action.meeting_id}").context["page"].object_list
    assert rows and all(a.meeting_id == action.meeting_id for a in rows)
    assert c.get(url + "?owner_agency=" + str(agency("UNICEF").pk)).context["page"] \
        .paginator.count == Action.objects.filter(owner_agency__acronym="UNICEF").count()


def test_the_owner_marks_their_action_done_with_a_note(client):
    action = Action.objects.filter(owner_person__username="vn-csm", status="open").first()
    c = as_user(client, "vn-csm")
    page = html(c.get(action.get_absolute_url()))
    assert "Mark done" in page
    url = reverse("governance:action_complete", args=[action.pk])
    empty = c.post(url, {"done_note": ""})
    assert empty.status_code == 400 and "Say how it was done." in html(empty)
    assert "done_note" in empty.context["step_forms"]["complete"].errors
    assert Action.objects.get(pk=action.pk).status == "open"
    assert c.post(url, {"done_note": "Sent to all agencies."}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_note) == ("done", "Sent to all agencies.")
    again = c.post(url, {"done_note": "Again"})
    assert again.status_code == 400 and "already done" in html(again)


def test_g7_an_edited_action_keeps_one_responsible_and_a_deadline(client, vn_chair):
    action = Action.objects.filter(omt=omt(), status="open", owner_agency__isnull=False).first()
    url = reverse("governance:action_edit", args=[action.pk])
    assert as_user(client, "vn-member").get(url).status_code == 403
    client.force_login(vn_chair)
    assert f'href="{url}"' in html(client.get(action.get_absolute_url()))
    both = client.post(url, {"title": action.title, "owner_person": user("vn-csm").pk,
                             "owner_agency": action.owner_agency_id, "due_on": "2031-05-05"})
    assert both.status_code == 400 and "(G7)" in html(both)
    assert Action.objects.get(pk=action.pk).owner_person_id is None
    moved = client.post(url, {"title": action.title, "owner_agency": action.owner_agency_id,
                              "due_on": "2031-05-05"})
    assert moved.status_code == 302
    assert Action.objects.get(pk=action.pk).due_on == date(2031, 5, 5)


def test_someone_else_cannot_mark_an_action_done(client):
    action = Action.objects.filter(owner_person__username="vn-csm", status="open").first()
    c = as_user(client, "vn-staff")
    assert "Mark done" not in html(c.get(action.get_absolute_url()))
    assert c.post(reverse("governance:action_complete", args=[action.pk]),
                  {"done_note": "Not mine"}).status_code == 403
    assert Action.objects.get(pk=action.pk).status == "open"


def test_action_tracker_exports_csv_to_readers_and_answers_htmx_with_the_table(client):
    url = reverse("governance:action_list")
    c = as_user(client, "vn-chair")
    export = c.get(url + "?state=overdue&export=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("id,Action,Responsible,Deadline")
    assert len(lines) - 1 == Action.objects.filter(
        omt=omt(), status="open", due_on__lt=in_days(0)).count()
    partial = c.get(url + "?state=done", **HTMX)
    assert partial.status_code == 200 and "<html" not in html(partial)
    assert as_user(client, "vn-staff").get(url + "?export=csv").status_code == 403


def test_g11_a_member_escalates_a_disagreement_from_the_minutes(client, vn_member):
    item = draft_minutes().items.order_by("position")[2]
    client.force_login(vn_member)
    url = reverse("governance:escalation_add", args=[omt().pk]) + f"?minutes_item={item.pk}"
    assert str(item) in html(client.get(url))
    assert client.post(url, {"subject": "", "positions": "A and B"}).status_code == 400
    response = client.post(url, {"subject": "Shuttle schedule",
                                 "positions": "WHO wants two runs; UNDP one."})
    assert response.status_code == 302
    escalation = Escalation.objects.get(subject="Shuttle schedule")
    assert (escalation.raised_by.username, escalation.minutes_item) == ("vn-member", item)


def test_g11_staff_without_a_seat_cannot_escalate(client):
    c = as_user(client, "vn-staff")
    url = reverse("governance:escalation_add", args=[omt().pk])
    assert c.get(url).status_code == 403
    assert c.post(url, {"subject": "Mine", "positions": "x"}).status_code == 403


def test_g11_the_unct_decides_and_the_decision_is_recorded(client, vn_rc, vn_chair):
    escalation = Escalation.objects.get(omt=omt(), status="open")
    url = reverse("governance:escalation_decide", args=[escalation.pk])
    client.force_login(vn_chair)
    assert "Record the decision" not in html(client.get(escalation.get_absolute_url()))
    assert client.post(url, {"decided_on": "2026-05-01", "text": "No."}).status_code == 403
    client.force_login(vn_rc)
    assert "Record the decision" in html(client.get(escalation.get_absolute_url()))
    assert client.post(url, {"decided_on": "", "text": "Saturday hours."}).status_code == 400
    assert client.post(url, {"decided_on": "2026-05-01",
                             "text": "Saturday hours from June."}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == "decided"
    assert escalation.decision.text == "Saturday hours from June."
    assert escalation.decision.kind == "escalation"
    again = client.post(url, {"decided_on": "2026-05-02", "text": "Changed our mind."})
    assert again.status_code == 400 and "already decided" in html(again)
    assert "Saturday hours from June." in html(client.get(
        escalation.decision.get_absolute_url()))


def test_escalation_list_filters_by_status(client, vn_member):
    client.force_login(vn_member)
    rows = client.get(reverse("governance:escalation_list") + "?status=open") \
        .context["page"].object_list
    assert [e.subject for e in rows] == ["Opening hours of the common clinic"]


def test_the_decision_day_starts_at_today_in_every_language(client, vn_rc):
    escalation = Escalation.objects.filter(omt=omt(), status="open").first()
    client.force_login(vn_rc)
    for language in ("en", "fr", "es"):
        with translation.override(language):  # the language the request takes, given back
            page = html(client.get(escalation.get_absolute_url(),
                                   HTTP_ACCEPT_LANGUAGE=language))
        assert f'name="decided_on" value="{in_days(0):%Y-%m-%d}"' in page, language
