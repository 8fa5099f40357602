"""Who may see and do what in governance, on pages and through the API: a login for
every page, another country's OMT is a 404 everywhere (and nothing changes), readers read,
those without the right get 403, and a reference to a row one may not see does not exist."""


import pytest
from django.urls import reverse

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
from commonops.governance.tests.helpers import (
    CHANGES,
    RESOURCES,
    WORKFLOW,
    agency,
    api_error,
    as_user,
    draft_minutes,
    in_days,
    new_meeting,
    omt,
    schedule,
)

pytestmark = pytest.mark.django_db


def _page_urls():
    o = omt()
    meeting = Meeting.objects.filter(omt=o, status="held").first()
    minutes = Minutes.objects.filter(meeting__omt=o).first()
    return [
        o.get_absolute_url(), reverse("governance:omt_edit", args=[o.pk]),
        reverse("governance:unct_update", args=[o.pk]), meeting.get_absolute_url(),
        reverse("governance:meeting_ics", args=[meeting.pk]), minutes.get_absolute_url(),
        Action.objects.filter(omt=o).first().get_absolute_url(),
        Escalation.objects.filter(omt=o).first().get_absolute_url(),
        Membership.objects.filter(omt=o).first().get_absolute_url(),
        ChairTerm.objects.filter(omt=o).first().get_absolute_url(),
        TaskForce.objects.filter(omt=o).first().get_absolute_url(),
        UnctDecision.objects.filter(country=o.country).first().get_absolute_url(),
        reverse("governance:meeting_add", args=[o.pk]),
        reverse("governance:escalation_add", args=[o.pk]),
    ]


def test_governance_pages_need_a_login(client):
    for url in [reverse("governance:omt_home"), reverse("governance:meeting_list"),
                reverse("governance:action_list"), *_page_urls()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404_for_viet_nams_omt_meetings_minutes_and_actions(client, outsider):
    client.force_login(outsider)
    for url in _page_urls():
        assert client.get(url).status_code == 404, url


def test_outsider_gets_404_for_viet_nams_workflow_buttons_and_nothing_changes(client,
                                                                               outsider):
    meeting = new_meeting()
    minutes = draft_minutes()
    item = minutes.items.first()
    escalation = Escalation.objects.filter(omt=omt(), status="open").first()
    client.force_login(outsider)
    for url, data in [
        (reverse("governance:agenda_send", args=[meeting.pk]), {}),
        (reverse("governance:attendance_add", args=[meeting.pk]),
         {"capacity": "guest", "status": "present", "guest_name": "Intruder"}),
        (reverse("governance:minutes_circulate", args=[minutes.pk]), {}),
        (reverse("governance:minutesitem_save", args=[item.pk]),
         {"discussion": "x", "decisions": "", "revision": item.revision}),
        (reverse("governance:escalation_decide", args=[escalation.pk]),
         {"decided_on": "2026-01-01", "text": "No."}),
    ]:
        assert client.post(url, data).status_code == 404, url
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is None and not meeting.attendance.exists()
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


def test_members_hq_and_auditors_see_the_pages(client, vn_member, hq_analyst, auditor):
    urls = [u for u in _page_urls() if "/edit/" not in u and "/add/" not in u]
    for person in (vn_member, hq_analyst, auditor):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 200, (person, url)


def test_a_member_without_the_right_to_run_the_omt_gets_403_and_nothing_changes(client):
    o = omt()
    meeting = new_meeting()
    minutes = draft_minutes()
    item = minutes.items.first()
    c = as_user(client, "vn-member")
    for url in [reverse("governance:omt_edit", args=[o.pk]),
                reverse("governance:meeting_add", args=[o.pk]),
                reverse("governance:action_add", args=[o.pk]),
                reverse("governance:chairterm_add"), reverse("governance:membership_add"),
                reverse("governance:agendaitem_edit", args=[meeting.agenda_items.first().pk])]:
        assert c.get(url).status_code == 403, url
    for url, data in [
        (reverse("governance:agenda_send", args=[meeting.pk]), {}),
        (reverse("governance:meeting_cancel", args=[meeting.pk]), {}),
        (reverse("governance:attendance_add", args=[meeting.pk]),
         {"capacity": "guest", "status": "present", "guest_name": "A guest"}),
        (reverse("governance:minutes_circulate", args=[minutes.pk]), {}),
        (reverse("governance:minutesitem_save", args=[item.pk]),
         {"discussion": "Mine", "decisions": "", "revision": item.revision}),
        (reverse("governance:minutes_action_add", args=[item.pk]),
         {"title": "Do it", "owner_agency": agency("WHO").pk, "due_on": "2031-01-01"}),
        (reverse("governance:escalation_decide",
                 args=[Escalation.objects.filter(omt=o, status="open").first().pk]),
         {"decided_on": "2026-01-01", "text": "Decided."}),
    ]:
        assert c.post(url, data).status_code == 403, url
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.agenda_sent_at is None
    assert not meeting.attendance.exists()
    item.refresh_from_db()
    assert item.discussion != "Mine" and not item.actions.filter(title="Do it").exists()
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


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
        "coordinating_agency": agency("UNDP").pk, "chair": jo_staff.pk,
        "mandate": "Share vehicles.", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    assert "does not exist" in api_error(response, 400)["fields"]["chair"][0]


def test_readers_may_look_but_not_change(api, omt, vn_member, hq_analyst, auditor):
    meeting = Meeting.objects.filter(omt=omt, status="scheduled").first()
    for reader in (vn_member, hq_analyst, auditor):
        client = api(reader)
        assert client.get("/api/meetings/").json()["count"] == omt.meetings.count()
        assert client.get(f"/api/meetings/{meeting.pk}/").status_code == 200
        api_error(client.post("/api/meetings/", {"omt": omt.pk}), 403)
        api_error(client.patch(f"/api/meetings/{meeting.pk}/", {"title": "Mine"}), 403)
        api_error(client.post(f"/api/meetings/{meeting.pk}/send-agenda/"), 403)
    assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at is None


def test_a_fixed_reference_cannot_be_moved_to_another_parent(api, omt, secretary):
    client = api(secretary)
    first = schedule(client, omt, in_days(20), title="First")
    second = schedule(client, omt, in_days(21), title="Second")
    item = AgendaItem.objects.filter(meeting_id=first["id"]).first()
    response = client.patch(f"/api/agenda-items/{item.pk}/", {"meeting": second["id"]})
    assert "cannot be changed" in api_error(response, 400)["fields"]["meeting"][0]
