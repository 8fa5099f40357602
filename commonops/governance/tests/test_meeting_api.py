"""The API of meetings: the agenda (G4, G8), cancelling, the invitation, attendance and quorum
(G5)."""


import pytest
from django.core import mail
from django.urls import reverse

from commonops.governance import actions
from commonops.governance.models import AgendaItem, Attendance, Meeting, Membership, Minutes
from commonops.governance.tests.helpers import (
    agency,
    api_error,
    in_days,
    meeting_on,
    schedule,
    user,
)

pytestmark = pytest.mark.django_db


def test_g4_sending_the_agenda_twice_is_refused_and_changes_nothing(
        api, omt, secretary, django_capture_on_commit_callbacks):
    client = api(secretary)
    meeting = schedule(client, omt, in_days(28))
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert first.status_code == 200
    before = Meeting.objects.get(pk=meeting["id"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert "already sent" in api_error(again, 400)["message"]
    after = Meeting.objects.get(pk=meeting["id"])
    assert (after.agenda_sent_at, after.ics_sequence, after.status) == (
        before.agenda_sent_at, before.ics_sequence, before.status)
    assert mail.outbox == []


def test_g4_a_late_agenda_is_sent_and_shown_as_late(api, omt, secretary):
    client = api(secretary)
    meeting = schedule(client, omt, in_days(1))
    sent = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert sent.status_code == 200 and sent.json()["agenda_late"] is True
    late = client.get(f"/api/meetings/?agenda_late=true&omt={omt.pk}&page_size=500").json()
    assert meeting["id"] in {row["id"] for row in late["results"]}


def test_a_cancelled_meetings_agenda_is_not_sent(api, omt, secretary):
    client = api(secretary)
    meeting = schedule(client, omt, in_days(20))
    cancelled = client.post(f"/api/meetings/{meeting['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert "cancelled" in api_error(client.post(f"/api/meetings/{meeting['id']}/send-agenda/"),
                                 400)["message"]


def test_g8_agenda_items_go_before_any_other_business_and_move(api, omt, secretary):
    client = api(secretary)
    meeting = schedule(client, omt, in_days(20))
    added = client.post("/api/agenda-items/", {"meeting": meeting["id"],
                                               "title": "Security update"})
    assert added.status_code == 201 and added.json()["position"] == 4
    moved = client.post(f"/api/agenda-items/{added.json()['id']}/move/",
                        {"direction": "up"})
    assert moved.status_code == 200 and moved.json()["position"] == 3
    titles = list(AgendaItem.objects.filter(meeting_id=meeting["id"])
                  .order_by("position").values_list("title", flat=True))
    assert titles[2:] == ["Security update", "Recommendations and requests to the UNCT",
                          "Any other business"]
    bad = client.post(f"/api/agenda-items/{added.json()['id']}/move/",
                      {"direction": "sideways"})
    assert "direction" in api_error(bad, 400)["fields"]
    assert client.delete(f"/api/agenda-items/{added.json()['id']}/").status_code == 204


def test_the_invitation_is_an_icalendar_file(api, omt, vn_member, outsider):
    meeting = Meeting.objects.filter(omt=omt).first()
    for url in (f"/api/meetings/{meeting.pk}/invitation.ics",
                f"/api/meetings/{meeting.pk}/invitation/"):
        response = api(vn_member).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert b"BEGIN:VCALENDAR" in response.content
        assert meeting.title.encode() in response.content
    hidden = api(outsider).get(f"/api/meetings/{meeting.pk}/invitation.ics")
    assert hidden.status_code == 404 and hidden["Content-Type"] == "application/json"
    assert hidden.json()["error"]["code"] == "not_found"


def test_g5_attendance_of_someone_who_is_not_a_member_or_alternate_is_refused(
        api, omt, secretary):
    client = api(secretary)
    meeting = schedule(client, omt, in_days(20))
    staff = user("vn-staff")
    refused = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                          {"capacity": "member", "person": staff.pk})
    assert "record them as a guest" in api_error(refused, 400)["fields"]["person"][0]
    assert not Attendance.objects.filter(meeting_id=meeting["id"]).exists()
    guest = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                        {"capacity": "guest", "person": staff.pk})
    assert guest.status_code == 201 and guest.json()["agency"] == agency("UNESCO").pk
    assert client.get(f"/api/meetings/{meeting['id']}/quorum/").json()["present"] == 0


def test_g5_an_agency_counts_once_whether_its_member_or_alternate_attends(api, omt, secretary):
    client = api(secretary)
    meeting = schedule(client, omt, in_days(20))
    seat = Membership.objects.get(omt=omt, agency__acronym="FAO")
    for capacity, person in (("member", seat.member_id), ("alternate", seat.alternate_id)):
        assert client.post(f"/api/meetings/{meeting['id']}/attendance/", {
            "capacity": capacity, "person": person}).status_code == 201
    assert client.get(f"/api/meetings/{meeting['id']}/quorum/").json() == {
        "member_count": 12, "present": 1, "required": 7, "quorate": False}


def test_g5_decisions_recorded_without_quorum_are_marked(api, omt, secretary):
    meeting = meeting_on(omt, secretary, in_days(-3))
    minutes = actions.minutes_start(meeting=meeting, by=secretary)
    item = minutes.items.first()
    response = api(secretary).patch(f"/api/minutes-items/{item.pk}/", {
        "revision": item.revision, "decisions": "Approve the budget."})
    assert response.status_code == 200 and response.json()["without_quorum"] is True


def test_minutes_cannot_be_started_before_the_meeting_through_the_api(api, omt, secretary):
    meeting = schedule(api(secretary), omt, in_days(5))
    refused = api(secretary).post(f"/api/meetings/{meeting['id']}/start-minutes/")
    assert "once the meeting has begun" in api_error(refused, 400)["message"]
    assert not Minutes.objects.filter(meeting_id=meeting["id"]).exists()


def test_the_page_and_the_api_give_the_same_invitation(api, client, omt, vn_member):
    meeting = Meeting.objects.filter(omt=omt).first()
    client.force_login(vn_member)
    page = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    through_api = api(vn_member).get(f"/api/meetings/{meeting.pk}/invitation.ics")

    def without_stamp(response):  # DTSTAMP is the moment the file was made
        return [line for line in response.content.decode().splitlines()
                if not line.startswith("DTSTAMP")]

    assert page["Content-Type"] == through_api["Content-Type"]
    assert page["Content-Disposition"] == through_api["Content-Disposition"]
    assert without_stamp(page) == without_stamp(through_api)
