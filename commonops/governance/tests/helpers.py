"""What the governance tests share: the demo world's people and OMT, meetings and minutes
built for a test, and the API's error shape.

Personas come from the demo world (conftest.py): vn-chair runs the OMT, vn-secretary is its
secretary, vn-member and vn-omt-fao are members (no right to run it), vn-rc decides for the
UNCT, vn-staff only reads, sn-staff is an outsider.
"""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from commonops.core.models import Agency, Country, User
from commonops.governance import actions
from commonops.governance.models import Meeting, Membership, Minutes, Omt, UnctDecision

HTMX = {"HTTP_HX_REQUEST": "true"}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ERROR_KEYS = {"status", "code", "message", "fields"}

RESOURCES = ["omts", "memberships", "chair-terms", "task-forces", "task-force-members",
             "meetings", "agenda-items", "attendance", "minutes", "minutes-items",
             "minutes-comments", "actions", "escalations", "unct-decisions"]
# The endpoints beyond plain CRUD: (method, resource, the URL's end)
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


def user(username) -> User:
    return User.objects.get(username=username)


def agency(acronym) -> Agency:
    return Agency.objects.get(acronym=acronym)


def omt() -> Omt:
    return Omt.objects.select_related("country").get(country__iso_code="VN")


def rotation(country, year=2026) -> UnctDecision:
    """The UNCT's decision on the chair rotation of `year` (G2)."""
    return actions.unct_decision_create(by=user("admin"), data={
        "country": country, "kind": "chair_rotation", "decided_on": date(year - 1, 12, 1),
        "subject": f"OMT chairs for {year}", "text": "The UNCT decides the chairs."})


def as_user(client, username):
    client.force_login(user(username))
    return client


def html(response) -> str:
    """The page, with rule ids as plain text (pages explain them on hover in an <abbr>)."""
    return re.sub(r"</?abbr[^>]*>", "", response.content.decode())


def in_days(days: int) -> date:
    """A day counted from today in Viet Nam."""
    return Country.objects.get(iso_code="VN").today() + timedelta(days=days)


def meeting_on(omt, by, day=date(2027, 3, 11), title="Test meeting", **data) -> Meeting:
    """A meeting scheduled through the action, at ten in Ha Noi."""
    start = datetime.combine(day, time(10), tzinfo=ZONE)
    return actions.meeting_create(by=by, data={
        "omt": omt, "title": title, "starts_at": start,
        "ends_at": start + timedelta(hours=2), **data})


def new_meeting(day=date(2031, 3, 13), title="OMT meeting — March 2031") -> Meeting:
    """A future meeting with the standard agenda (G8), scheduled by the administrator."""
    return meeting_on(omt(), user("admin"), day, title)


def held_meeting_minutes(omt, by, day=date(2026, 3, 12)) -> Minutes:
    """Draft minutes of a past meeting that eight member agencies attended (quorate)."""
    meeting = meeting_on(omt, by, day, "Set-up meeting")
    for seat in Membership.objects.filter(omt=omt).order_by("pk")[:8]:
        actions.attendance_create(by=by, data={"meeting": meeting, "capacity": "member",
                                               "person": seat.member})
    return actions.minutes_start(meeting=meeting, by=by, now=meeting.ends_at)


def draft_minutes() -> Minutes:
    """The demo's first draft minutes (the last held meeting's)."""
    return Minutes.objects.select_related("meeting").get(
        meeting__omt=omt(), status="draft", corrects__isnull=True)


def seats() -> list[Membership]:
    return list(Membership.objects.filter(omt=omt()).select_related("member", "alternate",
                                                                    "agency").order_by("pk"))


def members_and_alternates(omt) -> list[str]:
    """The e-mail addresses of the OMT's members and alternates, from its membership rows."""
    rows = Membership.objects.filter(omt=omt).select_related("member", "alternate")
    return sorted({seat.member.email for seat in rows}
                  | {seat.alternate.email for seat in rows if seat.alternate_id})


def schedule(client, omt, day: date, title="Meeting scheduled through the API") -> dict:
    """A meeting scheduled through the API, at ten in Ha Noi."""
    start = datetime.combine(day, time(10), tzinfo=ZONE)
    response = client.post("/api/meetings/", {
        "omt": omt.pk, "title": title, "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat()})
    assert response.status_code == 201, response.json()
    return response.json()


def api_error(response, status) -> dict:
    """The one error shape, with the expected status."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert ERROR_KEYS <= set(error) and error["status"] == status
    return error
