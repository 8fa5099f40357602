"""The governance API: the G1–G12 rules through the API, access, the one error shape, the
audit trail, and the whole OMT workflow from scheduling a meeting to sharing its minutes.

Personas (conftest.py): the secretary runs the OMT without being a member (G12); vn_chair
chairs it; vn_member and FAO's member comment; vn_rc decides for the UNCT; the outsider is
a staff member in Senegal.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonops.core.models import Agency, AuditEntry, User
from commonops.governance import actions
from commonops.governance.models import (
    Action,
    AgendaItem,
    Attendance,
    ChairTerm,
    Escalation,
    Meeting,
    Membership,
    Minutes,
    MinutesComment,
    MinutesItem,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ERROR_KEYS = {"status", "code", "message", "fields"}

RESOURCES = ["omts", "memberships", "chair-terms", "task-forces", "task-force-members",
             "meetings", "agenda-items", "attendance", "minutes", "minutes-items",
             "minutes-comments", "actions", "escalations", "unct-decisions"]


@pytest.fixture
def omt(viet_nam):
    return Omt.objects.get(country=viet_nam)


@pytest.fixture
def secretary(db):
    return User.objects.get(username="vn-secretary")


@pytest.fixture
def fao(db):
    """FAO's member of the OMT: comments and raises escalations, does not run the OMT."""
    return User.objects.get(username="vn-omt-fao")


def _user(username):
    return User.objects.get(username=username)


def _agency(acronym):
    return Agency.objects.get(acronym=acronym)


def _in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def _schedule(client, omt, day: date, title="Meeting scheduled through the API"):
    start = datetime.combine(day, time(10), tzinfo=HANOI)
    response = client.post("/api/meetings/", {
        "omt": omt.pk, "title": title, "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()})
    assert response.status_code == 201, response.json()
    return response.json()


def _meeting(omt, by, day: date) -> Meeting:
    """Set-up through the actions, for tests about a later step."""
    start = datetime.combine(day, time(10), tzinfo=HANOI)
    return actions.meeting_schedule(omt=omt, by=by, title="Set-up meeting", starts_at=start,
                                    ends_at=start + timedelta(hours=2))


def _draft_minutes(omt, by, day: date) -> Minutes:
    meeting = _meeting(omt, by, day)
    for seat in Membership.objects.filter(omt=omt).order_by("pk")[:8]:
        actions.attendance_record(meeting=meeting, by=by, capacity="member",
                                  person=seat.member)
    return actions.minutes_start(meeting=meeting, by=by)


def _error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert ERROR_KEYS <= set(error) and error["status"] == status
    return error


# --- the whole workflow ----------------------------------------------------------------------


def test_the_omt_workflow_runs_end_to_end_through_the_api(
        api, omt, secretary, fao, vn_rc, django_capture_on_commit_callbacks):
    client = api(secretary)
    day = _in_days(28)  # well beyond the G4 notice, whatever the holidays

    # Schedule: the agenda starts with the standard items (G8).
    meeting = _schedule(client, omt, day)
    assert meeting["status"] == "scheduled"
    agenda = client.get(f"/api/agenda-items/?meeting={meeting['id']}").json()
    assert [row["title"] for row in agenda["results"]][-1] == "Any other business"
    assert agenda["count"] == 4 and all(row["standard"] for row in agenda["results"])

    # Send the agenda (G4): every member and alternate, with an iCalendar invitation.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "agenda_sent" and sent.json()["agenda_late"] is False
    [message] = mail.outbox
    seats = Membership.objects.filter(omt__country__iso_code="VN").select_related(
        "member", "alternate")
    assert sorted(message.to) == sorted({s.member.email for s in seats}
                                        | {s.alternate.email for s in seats if s.alternate_id})
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)

    # Attendance (G5): seven member agencies, one also by its alternate: it counts once.
    seats = list(Membership.objects.filter(omt=omt).order_by("pk"))
    for seat in seats[:7]:
        response = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                               {"capacity": "member", "person": seat.member_id})
        assert response.status_code == 201, response.json()
    with_alternate = next(seat for seat in seats[:7] if seat.alternate_id)
    assert client.post(f"/api/meetings/{meeting['id']}/attendance/", {
        "capacity": "alternate", "person": with_alternate.alternate_id}).status_code == 201
    guest = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                        {"capacity": "guest", "guest_name": "Facility manager"})
    assert guest.status_code == 201 and guest.json()["meeting"] == meeting["id"]
    quorum = client.get(f"/api/meetings/{meeting['id']}/quorum/").json()
    assert quorum == {"member_count": 12, "present": 7, "required": 7, "quorate": True}

    # Start the minutes: one item per agenda item (G7).
    minutes = client.post(f"/api/meetings/{meeting['id']}/start-minutes/")
    assert minutes.status_code == 201, minutes.json()
    minutes = minutes.json()
    assert minutes["status"] == "draft" and len(minutes["items"]) == 4
    item = minutes["items"][1]

    # Edit an item with the revision read; record an action under it (G7).
    edited = client.patch(f"/api/minutes-items/{item['id']}/", {
        "revision": item["revision"], "discussion": "Progress was reviewed.",
        "decisions": "The work plan is on track."})
    assert edited.status_code == 200, edited.json()
    assert edited.json()["revision"] == item["revision"] + 1
    assert edited.json()["without_quorum"] is False
    recorded = client.post(f"/api/minutes-items/{item['id']}/actions/", {
        "title": "Share the procurement pipeline", "owner_agency": _agency("FAO").pk,
        "due_on": (day + timedelta(days=30)).isoformat()})
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["meeting"] == meeting["id"] and recorded.json()["state"] == "open"

    # Circulate (G6): members get the draft and comment during the comment period.
    with django_capture_on_commit_callbacks(execute=True):
        circulated = client.post(f"/api/minutes/{minutes['id']}/circulate/")
    assert circulated.status_code == 200, circulated.json()
    assert circulated.json()["status"] == "circulated"
    assert circulated.json()["circulated_late"] is False
    assert circulated.json()["comments_until"] > timezone.localdate().isoformat()
    assert "for comments" in mail.outbox[-1].subject
    comment = api(fao).post(f"/api/minutes-items/{item['id']}/comments/",
                            {"text": "Please add FAO's pipeline."})
    assert comment.status_code == 201, comment.json()
    assert comment.json()["author"] == fao.pk

    # Finalise and share with the UNCT (G6).
    finalised = client.post(f"/api/minutes/{minutes['id']}/finalise/")
    assert finalised.status_code == 200 and finalised.json()["status"] == "finalised"
    with django_capture_on_commit_callbacks(execute=True):
        shared = client.post(f"/api/minutes/{minutes['id']}/share/")
    assert shared.status_code == 200 and shared.json()["status"] == "shared"
    assert vn_rc.email in mail.outbox[-1].to

    tracker = client.get(f"/api/actions/?meeting={meeting['id']}").json()
    assert [row["title"] for row in tracker["results"]] == ["Share the procurement pipeline"]


# --- G1, G2, G10: the OMT, its chairs, task forces --------------------------------------------


def test_g1_one_member_per_agency_is_enforced_by_the_api(api, omt, vn_chair):
    response = api(vn_chair).post("/api/memberships/", {
        "omt": omt.pk, "agency": _agency("UNDP").pk, "member": _user("vn-staff").pk,
        "since": "2026-01-01"})
    error = _error(response, 400)
    assert "already has a member" in error["message"]
    assert Membership.objects.filter(omt=omt, agency__acronym="UNDP").count() == 1


def test_g1_members_without_an_alternate_are_flagged_and_can_be_given_one(api, omt, vn_chair):
    client = api(vn_chair)
    flagged = client.get("/api/memberships/?without_alternate=true").json()
    assert sorted(Membership.objects.get(pk=row["id"]).agency.acronym
                  for row in flagged["results"]) == ["UN-Habitat", "UNIDO"]
    assert all(row["without_alternate"] for row in flagged["results"])
    unido = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    response = client.patch(f"/api/memberships/{unido.pk}/",
                            {"alternate": _user("vn-staff").pk})
    assert response.status_code == 200, response.json()
    assert response.json()["without_alternate"] is False


def test_g2_co_chair_from_chairs_agency_is_rejected_by_the_api(api, omt, vn_chair):
    client = api(vn_chair)
    next_year = timezone.localdate().year + 1
    chair = client.post("/api/chair-terms/", {
        "omt": omt.pk, "role": "chair", "agency": _agency("UNICEF").pk,
        "person": _user("vn-cochair").pk, "starts_on": f"{next_year}-01-01"})
    assert chair.status_code == 201, chair.json()
    assert chair.json()["ends_on"] == f"{next_year}-12-31"  # G2: a calendar year by default

    co_chair = client.post("/api/chair-terms/", {
        "omt": omt.pk, "role": "co_chair", "agency": _agency("UNICEF").pk,
        "person": _user("vn-alt-unicef").pk, "starts_on": f"{next_year}-01-01"})
    error = _error(co_chair, 400)
    assert "(G2)" in error["fields"]["agency"][0]
    assert not ChairTerm.objects.filter(omt=omt, role="co_chair",
                                        starts_on__year=next_year).exists()


def test_g2_chair_terms_are_history_and_cannot_be_deleted(api, omt, vn_chair):
    term = ChairTerm.objects.filter(omt=omt).first()
    assert api(vn_chair).delete(f"/api/chair-terms/{term.pk}/").status_code == 405
    assert ChairTerm.objects.filter(pk=term.pk).exists()


def test_g10_a_task_forces_coordinating_agency_must_be_an_omt_member(api, omt, vn_chair):
    response = api(vn_chair).post("/api/task-forces/", {
        "omt": omt.pk, "name": "Fleet", "service_line": "logistics",
        "coordinating_agency": _agency("ITC").pk, "chair": _user("vn-staff").pk,
        "mandate": "Share vehicles.", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    error = _error(response, 400)
    assert "(G10)" in error["fields"]["coordinating_agency"][0]
    assert not TaskForce.objects.filter(name="Fleet").exists()


def test_g10_task_force_members_are_added_and_removed(api, omt, vn_chair):
    client = api(vn_chair)
    task_force = TaskForce.objects.filter(omt=omt).first()
    added = client.post("/api/task-force-members/", {
        "task_force": task_force.pk, "person": _user("vn-staff").pk,
        "expertise": "Facility management"})
    assert added.status_code == 201, added.json()
    assert client.delete(f"/api/task-force-members/{added.json()['id']}/").status_code == 204
    assert not TaskForceMember.objects.filter(pk=added.json()["id"]).exists()


# --- G4 agenda -------------------------------------------------------------------------------


def test_g4_sending_the_agenda_twice_is_refused_and_changes_nothing(
        api, omt, secretary, django_capture_on_commit_callbacks):
    client = api(secretary)
    meeting = _schedule(client, omt, _in_days(28))
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert first.status_code == 200
    before = Meeting.objects.get(pk=meeting["id"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert "already sent" in _error(again, 400)["message"]
    after = Meeting.objects.get(pk=meeting["id"])
    assert (after.agenda_sent_at, after.ics_sequence, after.status) == (
        before.agenda_sent_at, before.ics_sequence, before.status)
    assert mail.outbox == []


def test_g4_a_late_agenda_is_sent_and_shown_as_late(api, omt, secretary):
    client = api(secretary)
    meeting = _schedule(client, omt, _in_days(1))
    sent = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert sent.status_code == 200 and sent.json()["agenda_late"] is True
    late = client.get(f"/api/meetings/?agenda_late=true&omt={omt.pk}&page_size=500").json()
    assert meeting["id"] in {row["id"] for row in late["results"]}


def test_a_cancelled_meetings_agenda_is_not_sent(api, omt, secretary):
    client = api(secretary)
    meeting = _schedule(client, omt, _in_days(20))
    cancelled = client.post(f"/api/meetings/{meeting['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert "cancelled" in _error(client.post(f"/api/meetings/{meeting['id']}/send-agenda/"),
                                 400)["message"]


def test_g8_agenda_items_go_before_any_other_business_and_move(api, omt, secretary):
    client = api(secretary)
    meeting = _schedule(client, omt, _in_days(20))
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
    assert "direction" in _error(bad, 400)["fields"]
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


# --- G5 attendance and quorum ----------------------------------------------------------------


def test_g5_attendance_of_someone_who_is_not_a_member_or_alternate_is_refused(
        api, omt, secretary):
    client = api(secretary)
    meeting = _schedule(client, omt, _in_days(20))
    staff = _user("vn-staff")
    refused = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                          {"capacity": "member", "person": staff.pk})
    assert "record them as a guest" in _error(refused, 400)["fields"]["person"][0]
    assert not Attendance.objects.filter(meeting_id=meeting["id"]).exists()
    guest = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                        {"capacity": "guest", "person": staff.pk})
    assert guest.status_code == 201 and guest.json()["agency"] == _agency("UNESCO").pk
    assert client.get(f"/api/meetings/{meeting['id']}/quorum/").json()["present"] == 0


def test_g5_an_agency_counts_once_whether_its_member_or_alternate_attends(api, omt, secretary):
    client = api(secretary)
    meeting = _schedule(client, omt, _in_days(20))
    seat = Membership.objects.get(omt=omt, agency__acronym="FAO")
    for capacity, person in (("member", seat.member_id), ("alternate", seat.alternate_id)):
        assert client.post(f"/api/meetings/{meeting['id']}/attendance/", {
            "capacity": capacity, "person": person}).status_code == 201
    assert client.get(f"/api/meetings/{meeting['id']}/quorum/").json() == {
        "member_count": 12, "present": 1, "required": 7, "quorate": False}


def test_g5_decisions_recorded_without_quorum_are_marked(api, omt, secretary):
    meeting = _meeting(omt, secretary, _in_days(-3))
    minutes = actions.minutes_start(meeting=meeting, by=secretary)
    item = minutes.items.first()
    response = api(secretary).patch(f"/api/minutes-items/{item.pk}/", {
        "revision": item.revision, "decisions": "Approve the budget."})
    assert response.status_code == 200 and response.json()["without_quorum"] is True


# --- G6 minutes ------------------------------------------------------------------------------


def test_g6_comment_after_the_comment_period_is_refused(api, omt, secretary, fao):
    minutes = _draft_minutes(omt, secretary, _in_days(-40))
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=timezone.now() - timedelta(days=38))
    item = minutes.items.first()
    response = api(fao).post(f"/api/minutes-items/{item.pk}/comments/", {"text": "Late."})
    assert "comment period ended" in _error(response, 400)["message"]
    assert not MinutesComment.objects.filter(item=item).exists()


def test_g6_comments_are_taken_only_from_members_while_circulated(
        api, omt, secretary, fao):
    minutes = _draft_minutes(omt, secretary, _in_days(-2))
    item = minutes.items.first()
    draft = api(fao).post(f"/api/minutes-items/{item.pk}/comments/", {"text": "Early."})
    assert "only while the minutes are circulated" in _error(draft, 400)["message"]
    actions.minutes_circulate(minutes=minutes, by=secretary)
    staff = api(_user("vn-staff")).post(f"/api/minutes-items/{item.pk}/comments/",
                                        {"text": "Not a member."})
    _error(staff, 403)
    first = api(fao).post(f"/api/minutes-items/{item.pk}/comments/", {"text": "Fine."})
    assert first.status_code == 201
    reply = api(secretary).post(f"/api/minutes-items/{item.pk}/comments/",
                                {"text": "Thanks.", "reply_to": first.json()["id"]})
    assert reply.status_code == 201 and reply.json()["reply_to"] == first.json()["id"]
    listed = api(fao).get(f"/api/minutes-comments/?item={item.pk}").json()
    assert listed["count"] == 2


def test_g6_finalised_minutes_cannot_be_edited(api, viet_nam, secretary):
    minutes = Minutes.objects.filter(country=viet_nam, status="shared").first()
    item = minutes.items.first()
    response = api(secretary).patch(f"/api/minutes-items/{item.pk}/", {
        "revision": item.revision, "discussion": "Rewritten history."})
    assert "read-only" in _error(response, 400)["message"]
    assert MinutesItem.objects.get(pk=item.pk).discussion == item.discussion
    added = api(secretary).post("/api/minutes-items/", {"minutes": minutes.pk,
                                                        "title": "Afterthought"})
    assert "read-only" in _error(added, 400)["message"]


def test_g6_a_correction_of_finalised_minutes_is_a_new_version(api, viet_nam, secretary):
    minutes = Minutes.objects.filter(country=viet_nam, status="shared", corrects=None,
                                     correction=None).first()
    response = api(secretary).post(f"/api/minutes/{minutes.pk}/correct/")
    assert response.status_code == 201, response.json()
    new = response.json()
    assert (new["version"], new["corrects"], new["status"]) == (
        minutes.version + 1, minutes.pk, "draft")
    assert len(new["items"]) == minutes.items.count()
    assert Minutes.objects.get(pk=minutes.pk).status == "shared"
    again = api(secretary).post(f"/api/minutes/{minutes.pk}/correct/")
    assert "already exists" in _error(again, 400)["message"]


def test_g6_minutes_are_circulated_before_they_are_finalised(api, omt, secretary):
    minutes = _draft_minutes(omt, secretary, _in_days(-2))
    response = api(secretary).post(f"/api/minutes/{minutes.pk}/finalise/")
    assert "Circulate" in _error(response, 400)["message"]
    assert "Only finalised" in _error(
        api(secretary).post(f"/api/minutes/{minutes.pk}/share/"), 400)["message"]


def test_concurrent_edits_of_a_minutes_item_conflict_with_409(api, omt, secretary, vn_chair):
    minutes = _draft_minutes(omt, secretary, _in_days(-2))
    url = f"/api/minutes-items/{minutes.items.first().pk}/"
    first, second = api(secretary), api(vn_chair)
    opened = first.get(url).json()["revision"]
    assert second.get(url).json()["revision"] == opened

    saved = first.patch(url, {"revision": opened, "discussion": "The secretary's text."})
    assert saved.status_code == 200 and saved.json()["revision"] == opened + 1
    conflict = second.patch(url, {"revision": opened, "discussion": "The chair's text."})
    error = _error(conflict, 409)
    assert error["code"] == "edit_conflict" and error["fields"] == {}
    assert error["current"]["discussion"] == "The secretary's text."
    assert error["current"]["revision"] == opened + 1
    assert first.get(url).json()["discussion"] == "The secretary's text."

    merged = second.patch(url, {"revision": error["current"]["revision"],
                                "discussion": "The secretary's text. The chair's text."})
    assert merged.status_code == 200 and merged.json()["revision"] == opened + 2


def test_a_minutes_item_is_changed_only_with_the_revision_read(api, omt, secretary):
    minutes = _draft_minutes(omt, secretary, _in_days(-2))
    item = minutes.items.first()
    response = api(secretary).patch(f"/api/minutes-items/{item.pk}/", {"discussion": "x"})
    assert "revision" in _error(response, 400)["fields"]
    assert MinutesItem.objects.get(pk=item.pk).revision == item.revision


# --- G7 actions ------------------------------------------------------------------------------


def test_g7_action_without_owner_or_deadline_is_rejected(api, omt, secretary):
    minutes = _draft_minutes(omt, secretary, _in_days(-2))
    item = minutes.items.first()
    url = f"/api/minutes-items/{item.pk}/actions/"
    client = api(secretary)
    error = _error(client.post(url, {"title": "Do it"}), 400)
    assert set(error["fields"]) == {"owner_person", "due_on"}
    assert "(G7)" in error["fields"]["owner_person"][0]
    both = _error(client.post(url, {
        "title": "Do it", "due_on": _in_days(30).isoformat(),
        "owner_person": _user("vn-csm").pk, "owner_agency": _agency("FAO").pk}), 400)
    assert "owner_agency" in both["fields"]
    tracker = _error(client.post("/api/actions/", {
        "omt": omt.pk, "title": "Do it", "owner_agency": _agency("FAO").pk}), 400)
    assert "(G7)" in tracker["fields"]["due_on"][0]
    assert not Action.objects.filter(title="Do it").exists()


def test_the_action_tracker_shows_each_actions_state_and_filters_by_it(
        api, omt, secretary, vn_member):
    client = api(secretary)
    created = client.post("/api/actions/", {
        "omt": omt.pk, "title": "Renew the cleaning contract",
        "owner_person": _user("vn-csm").pk, "due_on": _in_days(1).isoformat()})
    assert created.status_code == 201 and created.json()["state"] == "due_soon"
    reader = api(vn_member)
    for state in ("overdue", "due_soon", "open", "done"):
        rows = reader.get(f"/api/actions/?state={state}&page_size=500").json()["results"]
        assert rows and {row["state"] for row in rows} == {state}, state
    assert "state" in _error(reader.get("/api/actions/?state=late"), 400)["fields"]


def test_only_the_owner_or_those_who_run_the_omt_complete_an_action(api, omt, secretary):
    action = actions.action_create(omt=omt, by=secretary, title="Renew the contract",
                                   due_on=_in_days(30), owner_person=_user("vn-csm"))
    url = f"/api/actions/{action.pk}/complete/"
    _error(api(_user("vn-staff")).post(url, {"note": "Done."}), 403)
    owner = api(_user("vn-csm"))
    assert "done_note" in _error(owner.post(url, {"note": "  "}), 400)["fields"]
    done = owner.post(url, {"note": "Signed on time."})
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["state"]) == ("done", "done")
    assert "already done" in _error(owner.post(url, {"note": "Twice."}), 400)["message"]


def test_an_actions_references_must_belong_to_its_omt(api, omt, secretary):
    other = actions.omt_create(country=_user("jo-staff").duty_country,
                               by=_user("admin"))
    meeting = Meeting.objects.filter(omt=omt).first()
    response = api(_user("admin")).post("/api/actions/", {
        "omt": other.pk, "title": "Cross-country", "meeting": meeting.pk,
        "owner_agency": _agency("FAO").pk, "due_on": _in_days(9).isoformat()})
    assert "another OMT" in _error(response, 400)["fields"]["meeting"][0]


# --- G11 escalations -------------------------------------------------------------------------


def test_g11_only_the_unct_decides_an_escalation(api, omt, fao, vn_chair, vn_rc):
    raised = api(fao).post("/api/escalations/", {
        "omt": omt.pk, "subject": "Cost-sharing key for the clinic",
        "positions": "Headcount or floor area."})
    assert raised.status_code == 201, raised.json()
    assert raised.json()["raised_by"] == fao.pk and raised.json()["status"] == "open"
    url = f"/api/escalations/{raised.json()['id']}/decide/"
    decision = {"decided_on": timezone.localdate().isoformat(), "text": "Floor area."}
    _error(api(vn_chair).post(url, decision), 403)
    assert Escalation.objects.get(pk=raised.json()["id"]).status == "open"
    decided = api(vn_rc).post(url, decision)
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "decided"
    assert decided.json()["decision"]["text"] == "Floor area."
    assert decided.json()["decision"]["kind"] == "escalation"
    assert "already decided" in _error(api(vn_rc).post(url, decision), 400)["message"]


def test_g11_only_the_unct_records_its_decisions(api, viet_nam, vn_chair, vn_rc):
    data = {"country": viet_nam.pk, "kind": "approval", "decided_on": "2026-11-02",
            "subject": "Common premises", "text": "Approved."}
    _error(api(vn_chair).post("/api/unct-decisions/", data), 403)
    recorded = api(vn_rc).post("/api/unct-decisions/", data)
    assert recorded.status_code == 201, recorded.json()
    assert UnctDecision.objects.filter(pk=recorded.json()["id"], country=viet_nam).exists()


# --- access ----------------------------------------------------------------------------------


def _viet_nams_objects(viet_nam):
    omt = Omt.objects.get(country=viet_nam)
    return {
        "omts": omt,
        "memberships": Membership.objects.filter(omt=omt).first(),
        "chair-terms": ChairTerm.objects.filter(omt=omt).first(),
        "task-forces": TaskForce.objects.filter(omt=omt).first(),
        "task-force-members": TaskForceMember.objects.filter(country=viet_nam).first(),
        "meetings": Meeting.objects.filter(omt=omt).first(),
        "agenda-items": AgendaItem.objects.filter(country=viet_nam).first(),
        "attendance": Attendance.objects.filter(country=viet_nam).first(),
        "minutes": Minutes.objects.filter(country=viet_nam).first(),
        "minutes-items": MinutesItem.objects.filter(country=viet_nam).first(),
        "minutes-comments": MinutesComment.objects.filter(country=viet_nam).first(),
        "actions": Action.objects.filter(omt=omt).first(),
        "escalations": Escalation.objects.filter(omt=omt).first(),
        "unct-decisions": UnctDecision.objects.filter(country=viet_nam).first(),
    }


WORKFLOW = [
    ("post", "meetings", "send-agenda/"), ("post", "meetings", "cancel/"),
    ("post", "meetings", "attendance/"), ("get", "meetings", "quorum/"),
    ("post", "meetings", "start-minutes/"), ("get", "meetings", "invitation/"),
    ("get", "meetings", "invitation.ics"), ("post", "agenda-items", "move/"),
    ("post", "minutes", "circulate/"), ("post", "minutes", "finalise/"),
    ("post", "minutes", "share/"), ("post", "minutes", "correct/"),
    ("post", "minutes-items", "comments/"), ("post", "minutes-items", "actions/"),
    ("post", "actions", "complete/"), ("post", "escalations", "decide/"),
]
CHANGES = {"patch": ["omts", "memberships", "chair-terms", "task-forces", "meetings",
                     "agenda-items", "minutes-items"],
           "delete": ["memberships", "task-force-members", "agenda-items", "attendance"]}


def test_outsider_gets_404_for_every_governance_endpoint(api, viet_nam, outsider):
    client = api(outsider)
    objects = _viet_nams_objects(viet_nam)
    assert all(obj is not None for obj in objects.values())
    calls = [("get", f"/api/{name}/{obj.pk}/") for name, obj in objects.items()]
    calls += [(method, f"/api/{name}/{objects[name].pk}/") for method, names in
              CHANGES.items() for name in names]
    calls += [(method, f"/api/{name}/{objects[name].pk}/{step}")
              for method, name, step in WORKFLOW]
    for method, url in calls:
        response = getattr(client, method)(url, {"revision": 1, "note": "x", "text": "x"}
                                           if method in ("post", "patch") else None)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json() == {"error": {"status": 404, "code": "not_found",
                                             "message": "Not found.", "fields": {}}}, url
    for name in RESOURCES:
        listed = client.get(f"/api/{name}/")
        assert listed.status_code == 200 and listed.json()["count"] == 0, name


def test_a_reference_to_a_row_the_caller_may_not_see_is_as_if_it_did_not_exist(
        api, omt, vn_chair, jo_staff):
    response = api(vn_chair).post("/api/task-forces/", {
        "omt": omt.pk, "name": "Fleet", "service_line": "logistics",
        "coordinating_agency": _agency("UNDP").pk, "chair": jo_staff.pk,
        "mandate": "Share vehicles.", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    assert "does not exist" in _error(response, 400)["fields"]["chair"][0]


def test_readers_may_look_but_not_change(api, omt, vn_member, hq_analyst, auditor):
    meeting = Meeting.objects.filter(omt=omt, status="scheduled").first()
    for reader in (vn_member, hq_analyst, auditor):
        client = api(reader)
        assert client.get("/api/meetings/").json()["count"] == omt.meetings.count()
        assert client.get(f"/api/meetings/{meeting.pk}/").status_code == 200
        _error(client.post("/api/meetings/", {"omt": omt.pk}), 403)
        _error(client.patch(f"/api/meetings/{meeting.pk}/", {"title": "Mine"}), 403)
        _error(client.post(f"/api/meetings/{meeting.pk}/send-agenda/"), 403)
    assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at is None


def test_a_fixed_reference_cannot_be_moved_to_another_parent(api, omt, secretary):
    client = api(secretary)
    first = _schedule(client, omt, _in_days(20), title="First")
    second = _schedule(client, omt, _in_days(21), title="Second")
    item = AgendaItem.objects.filter(meeting_id=first["id"]).first()
    response = client.patch(f"/api/agenda-items/{item.pk}/", {"meeting": second["id"]})
    assert "cannot be changed" in _error(response, 400)["fields"]["meeting"][0]


# --- audit, lists, schema --------------------------------------------------------------------


def test_every_write_leaves_an_audit_row_with_source_api(
        api, omt, viet_nam, secretary, fao, vn_chair, vn_rc):
    def write(user, method, url, data=None, status=None):
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = getattr(api(user), method)(url, data)
        assert response.status_code == (status or {"delete": 204}.get(method, 200)), (
            url, response.content)
        rows = AuditEntry.objects.filter(pk__gt=last)
        assert rows.exists(), f"{method} {url} left no audit row"
        assert set(rows.values_list("source", "actor_id", "request_path")) == {
            ("api", user.pk, url)}, url
        return response.json() if response.content else None

    day = _in_days(28)
    start = datetime.combine(day, time(10), tzinfo=HANOI)
    meeting = write(secretary, "post", "/api/meetings/", {
        "omt": omt.pk, "title": "Audited", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat()}, 201)
    m = f"/api/meetings/{meeting['id']}"
    write(secretary, "patch", f"{m}/", {"location": "Room 2"})
    item = write(secretary, "post", "/api/agenda-items/",
                 {"meeting": meeting["id"], "title": "Audit"}, 201)
    write(secretary, "patch", f"/api/agenda-items/{item['id']}/", {"notes": "Papers."})
    write(secretary, "post", f"/api/agenda-items/{item['id']}/move/", {"direction": "up"})
    write(secretary, "delete", f"/api/agenda-items/{item['id']}/")
    write(secretary, "post", f"{m}/send-agenda/")
    seat = Membership.objects.filter(omt=omt).order_by("pk").first()
    attendance = write(secretary, "post", f"{m}/attendance/",
                       {"capacity": "member", "person": seat.member_id}, 201)
    write(secretary, "delete", f"/api/attendance/{attendance['id']}/")
    write(secretary, "post", f"{m}/attendance/",
          {"capacity": "member", "person": seat.member_id}, 201)
    minutes = write(secretary, "post", f"{m}/start-minutes/", None, 201)
    minutes_item = minutes["items"][0]
    write(secretary, "patch", f"/api/minutes-items/{minutes_item['id']}/",
          {"revision": minutes_item["revision"], "discussion": "Audited text."})
    write(secretary, "post", "/api/minutes-items/",
          {"minutes": minutes["id"], "title": "Extra", "discussion": "More."}, 201)
    action = write(secretary, "post", f"/api/minutes-items/{minutes_item['id']}/actions/", {
        "title": "Audit action", "owner_person": _user("vn-csm").pk,
        "due_on": (day + timedelta(days=9)).isoformat()}, 201)
    write(secretary, "post", "/api/actions/", {
        "omt": omt.pk, "title": "Tracker action", "owner_agency": _agency("FAO").pk,
        "due_on": (day + timedelta(days=9)).isoformat()}, 201)
    write(secretary, "post", f"/api/minutes/{minutes['id']}/circulate/")
    write(fao, "post", f"/api/minutes-items/{minutes_item['id']}/comments/",
          {"text": "Audited comment."}, 201)
    write(secretary, "post", f"/api/minutes/{minutes['id']}/finalise/")
    write(secretary, "post", f"/api/minutes/{minutes['id']}/share/")
    write(secretary, "post", f"/api/minutes/{minutes['id']}/correct/", None, 201)
    write(_user("vn-csm"), "post", f"/api/actions/{action['id']}/complete/",
          {"note": "Done."})
    escalation = write(fao, "post", "/api/escalations/", {
        "omt": omt.pk, "subject": "Audited escalation", "positions": "A or B."}, 201)
    write(vn_rc, "post", f"/api/escalations/{escalation['id']}/decide/",
          {"decided_on": "2026-11-20", "text": "A."})
    write(vn_rc, "post", "/api/unct-decisions/", {
        "country": viet_nam.pk, "kind": "other", "decided_on": "2026-11-20",
        "subject": "Audited decision", "text": "Noted."}, 201)
    write(vn_chair, "patch", f"/api/omts/{omt.pk}/", {"default_location": "Room 3"})
    unido = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    write(vn_chair, "patch", f"/api/memberships/{unido.pk}/",
          {"alternate": _user("vn-staff").pk})
    next_year = timezone.localdate().year + 1
    term = write(vn_chair, "post", "/api/chair-terms/", {
        "omt": omt.pk, "role": "chair", "agency": _agency("UNICEF").pk,
        "person": _user("vn-cochair").pk, "starts_on": f"{next_year}-01-01"}, 201)
    write(vn_chair, "patch", f"/api/chair-terms/{term['id']}/",
          {"ends_on": f"{next_year}-06-30"})
    task_force = write(vn_chair, "post", "/api/task-forces/", {
        "omt": omt.pk, "name": "Audited task force", "service_line": "finance",
        "coordinating_agency": _agency("UNDP").pk, "chair": _user("vn-csm").pk,
        "mandate": "Audit.", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, 201)
    write(vn_chair, "patch", f"/api/task-forces/{task_force['id']}/", {"mandate": "More."})
    member = write(vn_chair, "post", "/api/task-force-members/", {
        "task_force": task_force["id"], "person": _user("vn-staff").pk}, 201)
    write(vn_chair, "delete", f"/api/task-force-members/{member['id']}/")
    write(secretary, "post", f"{m}/cancel/")


def test_governance_lists_are_paginated_filtered_and_ordered(api, omt, vn_member):
    client = api(vn_member)
    page = client.get("/api/meetings/?page_size=3").json()
    assert len(page["results"]) == 3 and page["count"] > 3 and page["next"]
    starts = [row["starts_at"] for row in page["results"]]
    assert starts == sorted(starts, reverse=True)
    oldest = client.get("/api/meetings/?ordering=starts_at&page_size=1").json()["results"]
    assert oldest[0]["starts_at"] < starts[-1]
    shared = client.get("/api/minutes/?status=shared").json()
    assert shared["count"] > 0 and {row["status"] for row in shared["results"]} == {"shared"}
    search = client.get("/api/task-forces/?q=premises").json()
    assert [row["name"] for row in search["results"]] == ["Common Premises Task Force"]
    for name in RESOURCES:
        listed = client.get(f"/api/{name}/?page_size=2")
        assert listed.status_code == 200, name
        assert set(listed.json()) == {"count", "next", "previous", "results"}
        assert listed.json()["count"] > 0, name


def test_every_governance_list_costs_the_same_queries_whatever_its_length(api, vn_chair):
    client = api(vn_chair)
    for name in RESOURCES:
        counts = []
        for size in (1, 30):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/{name}/?page_size={size}").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (name, counts)


def test_the_schema_lists_every_governance_endpoint_without_warnings(client):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "schema generation warned"
    validate_schema(schema)
    paths = set(schema["paths"])
    for name in RESOURCES:
        assert f"/api/{name}/" in paths and f"/api/{name}/{{id}}/" in paths, name
    for method, name, step in WORKFLOW:
        step = "invitation/" if step == "invitation.ics" else step
        assert method in schema["paths"][f"/api/{name}/{{id}}/{step}"], (name, step)
    assert "patch" in schema["paths"]["/api/minutes-items/{id}/"]
    assert client.get("/api/schema/").status_code == 200
