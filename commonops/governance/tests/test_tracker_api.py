"""The API of the action tracker (G7) and of escalations (G11)."""


import pytest

from commonops.governance import actions
from commonops.governance.models import Action, Escalation, Meeting
from commonops.governance.tests.helpers import (
    agency,
    api_error,
    held_meeting_minutes,
    in_days,
    user,
)

pytestmark = pytest.mark.django_db


def test_g7_action_without_owner_or_deadline_is_rejected(api, omt, secretary):
    minutes = held_meeting_minutes(omt, secretary, in_days(-2))
    item = minutes.items.first()
    url = f"/api/minutes-items/{item.pk}/actions/"
    client = api(secretary)
    error = api_error(client.post(url, {"title": "Do it"}), 400)
    assert set(error["fields"]) == {"owner_person", "due_on"}
    assert "(G7)" in error["fields"]["owner_person"][0]
    both = api_error(client.post(url, {
        "title": "Do it", "due_on": in_days(30).isoformat(),
        "owner_person": user("vn-csm").pk, "owner_agency": agency("FAO").pk}), 400)
    assert "owner_agency" in both["fields"]
    tracker = api_error(client.post("/api/actions/", {
        "omt": omt.pk, "title": "Do it", "owner_agency": agency("FAO").pk}), 400)
    assert "(G7)" in tracker["fields"]["due_on"][0]
    assert not Action.objects.filter(title="Do it").exists()


def test_the_action_tracker_shows_each_actions_state_and_filters_by_it(
        api, omt, secretary, vn_member):
    client = api(secretary)
    created = client.post("/api/actions/", {
        "omt": omt.pk, "title": "Renew the cleaning contract",
        "owner_person": user("vn-csm").pk, "due_on": in_days(1).isoformat()})
    assert created.status_code == 201 and created.json()["state"] == "due_soon"
    reader = api(vn_member)
    for state in ("overdue", "due_soon", "open", "done"):
        rows = reader.get(f"/api/actions/?state={state}&page_size=500").json()["results"]
        assert rows and {row["state"] for row in rows} == {state}, state
    assert "state" in api_error(reader.get("/api/actions/?state=late"), 400)["fields"]


def test_only_the_owner_or_those_who_run_the_omt_complete_an_action(api, omt, secretary):
    action = actions.action_create(by=secretary, data={
        "omt": omt, "title": "Renew the contract", "due_on": in_days(30),
        "owner_person": user("vn-csm")})
    url = f"/api/actions/{action.pk}/complete/"
    api_error(api(user("vn-staff")).post(url, {"note": "Done."}), 403)
    owner = api(user("vn-csm"))
    assert "done_note" in api_error(owner.post(url, {"note": "  "}), 400)["fields"]
    done = owner.post(url, {"note": "Signed on time."})
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["state"]) == ("done", "done")
    assert "already done" in api_error(owner.post(url, {"note": "Twice."}), 400)["message"]


def test_an_actions_references_must_belong_to_its_omt(api, omt, secretary):
    other = actions.omt_create(by=user("admin"), data={"country": user("jo-staff").duty_country})
    meeting = Meeting.objects.filter(omt=omt).first()
    response = api(user("admin")).post("/api/actions/", {
        "omt": other.pk, "title": "Cross-country", "meeting": meeting.pk,
        "owner_agency": agency("FAO").pk, "due_on": in_days(9).isoformat()})
    assert "another OMT" in api_error(response, 400)["fields"]["meeting"][0]


def test_g11_only_the_unct_decides_an_escalation(api, omt, fao, vn_chair, vn_rc):
    raised = api(fao).post("/api/escalations/", {
        "omt": omt.pk, "subject": "Cost-sharing key for the clinic",
        "positions": "Headcount or floor area."})
    assert raised.status_code == 201, raised.json()
    assert raised.json()["raised_by"] == fao.pk and raised.json()["status"] == "open"
    url = f"/api/escalations/{raised.json()['id']}/decide/"
    decision = {"decided_on": in_days(0).isoformat(), "text": "Floor area."}
    api_error(api(vn_chair).post(url, decision), 403)
    assert Escalation.objects.get(pk=raised.json()["id"]).status == "open"
    decided = api(vn_rc).post(url, decision)
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "decided"
    assert decided.json()["decision"]["text"] == "Floor area."
    assert decided.json()["decision"]["kind"] == "escalation"
    assert "already decided" in api_error(api(vn_rc).post(url, decision), 400)["message"]
