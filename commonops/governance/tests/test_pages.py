"""The OMT governance pages: access, bad input, the workflows of G1–G12, the minutes edit
conflict and query counts. Personas come from the demo world (conftest.py): vn-chair runs
the OMT, vn-secretary is its secretary, vn-member and vn-omt-fao are members (no right to
run it), vn-rc decides for the UNCT, vn-staff only reads, sn-staff is an outsider."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonops.core.models import Agency, AgencyPresence, Country, User
from commonops.core.testing import count_queries
from commonops.governance import actions, rules
from commonops.governance.models import (
    Action,
    AgendaItem,
    AgendaPaper,
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

HTMX = {"HTTP_HX_REQUEST": "true"}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


# --- the demo world ----------------------------------------------------------------------------


def user(username):
    return User.objects.get(username=username)


def omt():
    return Omt.objects.select_related("country").get(country__iso_code="VN")


def agency(acronym):
    return Agency.objects.get(acronym=acronym)


def as_user(client, username):
    client.force_login(user(username))
    return client


def new_meeting(day=date(2031, 3, 13), title="OMT meeting — March 2031"):
    """A future meeting with the standard agenda (G8), scheduled by the administrator."""
    starts = datetime.combine(day, time(10), tzinfo=ZONE)
    return actions.meeting_schedule(omt=omt(), by=user("admin"), title=title,
                                    starts_at=starts, ends_at=starts + timedelta(hours=2))


def draft_minutes():
    return Minutes.objects.select_related("meeting").get(
        meeting__omt=omt(), status="draft", corrects__isnull=True)


def seats():
    return list(Membership.objects.filter(omt=omt()).select_related("member", "alternate",
                                                                    "agency").order_by("pk"))


def html(response):
    """The page, with rule ids as plain text (pages explain them on hover in an <abbr>)."""
    return re.sub(r"</?abbr[^>]*>", "", response.content.decode())


# --- access --------------------------------------------------------------------------------------


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


# --- the OMT (G1, G2, G3, G4, G11, G12) ----------------------------------------------------


def test_omt_home_takes_a_member_to_the_omt_of_their_country(client, vn_member):
    client.force_login(vn_member)
    response = client.get(reverse("governance:omt_home"))
    assert response.status_code == 302
    assert response["Location"] == omt().get_absolute_url()


def test_a_country_without_an_omt_lets_its_chair_create_it(client):
    jordan = Country.objects.get(iso_code="JO")
    c = as_user(client, "jo-chair")
    page = c.get(reverse("governance:omt_home"))
    assert page.status_code == 200 and "Create the OMT" in html(page)
    response = c.post(reverse("governance:omt_home"), {
        "name": "Operations Management Team", "secretariat": "rco",
        "comment_period_days": 5, "default_location": "UN House, Amman"})
    assert response.status_code == 302
    created = Omt.objects.get(country=jordan)
    assert response["Location"] == created.get_absolute_url()
    assert created.default_location == "UN House, Amman"


def test_a_country_without_an_omt_explains_it_to_staff_who_cannot_create_it(client):
    c = as_user(client, "jo-staff")
    page = c.get(reverse("governance:omt_home"))
    assert page.status_code == 200
    assert "has no OMT in CommonOps yet" in html(page) and "<form method=\"post\" class" \
        not in html(page)
    assert c.post(reverse("governance:omt_home"), {"name": "OMT", "secretariat": "rco",
                                                   "comment_period_days": 5}).status_code == 403
    assert not Omt.objects.filter(country__iso_code="JO").exists()


def test_creating_an_omt_with_bad_input_is_refused_with_a_message(client):
    c = as_user(client, "jo-chair")
    response = c.post(reverse("governance:omt_home"), {"name": "OMT", "secretariat": "rco",
                                                       "comment_period_days": 0})
    assert response.status_code == 400
    assert "at least one working day" in html(response)
    assert not Omt.objects.filter(country__iso_code="JO").exists()


def test_g1_omt_page_flags_each_member_without_an_alternate(client, vn_chair):
    client.force_login(vn_chair)
    page = html(client.get(omt().get_absolute_url()))
    assert 'id="members"' in page
    assert "2 members have no alternate (G1)" in page
    assert page.count("No alternate (G1)") == 2
    assert "UN-Habitat" in page and "UNIDO" in page


def test_g2_g12_omt_page_shows_the_chairs_secretariat_and_term_history(client, vn_member):
    client.force_login(vn_member)
    page = html(client.get(omt().get_absolute_url()))
    assert "Minh Nguyen" in page and "Sophie Martin" in page  # chair UNDP, co-chair UNICEF
    assert "Resident Coordinator&#x27;s Office" in page  # G12
    assert "Nga Phan" in page  # the secretary
    assert "Term history (4)" in page


def test_g3_months_without_a_meeting_are_flagged_on_the_omt_page(client, vn_chair):
    today = timezone.localdate()
    # A held meeting cannot be cancelled: take this month's meetings out to make the gap.
    Meeting.objects.filter(omt=omt(), starts_at__year=today.year,
                           starts_at__month=today.month).delete()
    client.force_login(vn_chair)
    page = html(client.get(omt().get_absolute_url()))
    assert "without a meeting this year (G3)" in page
    assert date(today.year, today.month, 1).strftime("%B %Y") in page


def test_g4_g11_omt_page_counts_actions_late_agendas_and_open_escalations(client, vn_chair):
    client.force_login(vn_chair)
    response = client.get(omt().get_absolute_url())
    page = html(response)
    counts = response.context["action_counts"]
    assert f"<strong>{counts['overdue']}</strong> overdue" in page
    assert f"?country={omt().country_id}&amp;state=overdue" in page
    late = Meeting.objects.filter(omt=omt(), agenda_late=True,
                                  starts_at__year=timezone.localdate().year).count()
    assert response.context["late_agendas"] == late
    if late:
        assert f"{late} agenda{'s' if late > 1 else ''} sent late this year (G4)" in page
    else:
        assert "Every agenda this year was sent on time (G4)." in page
    assert "Opening hours of the common clinic" in page  # an open escalation (G11)
    assert reverse("governance:unct_update", args=[omt().pk]) in page


def test_omt_settings_are_saved_by_the_chair_and_bad_input_changes_nothing(client, vn_chair):
    o = omt()
    client.force_login(vn_chair)
    url = reverse("governance:omt_edit", args=[o.pk])
    data = {"name": o.name, "secretariat": "chair_agency", "secretary": o.secretary_id,
            "me_focal_point": o.me_focal_point_id, "comment_period_days": 7,
            "default_location": o.default_location}
    assert client.post(url, {**data, "comment_period_days": 0}).status_code == 400
    assert Omt.objects.get(pk=o.pk).comment_period_days == 5
    assert client.post(url, data).status_code == 302
    o.refresh_from_db()
    assert (o.comment_period_days, o.secretariat) == (7, "chair_agency")


def test_omt_page_queries_stay_the_same_when_more_rows_exist(client, vn_chair):
    o, admin = omt(), user("admin")
    client.force_login(vn_chair)
    url = o.get_absolute_url()
    before = count_queries(client, url)
    assert before <= 20
    extra = Agency.objects.create(acronym="WFP-T", name="World Food Programme (test)")
    AgencyPresence.objects.create(country=o.country, agency=extra)
    actions.membership_save(omt=o, by=admin, data={
        "agency": extra, "member": user("vn-staff"), "since": date(2026, 1, 1)})
    actions.task_force_save(omt=o, by=admin, data={
        "name": "HR task force", "service_line": "human_resources",
        "coordinating_agency": agency("UNFPA"), "chair": user("vn-me"),
        "mandate": "Common rosters.", "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31)})
    meeting = new_meeting()
    actions.action_create(omt=o, by=admin, title="More", due_on=date(2026, 1, 2),
                          owner_agency=agency("UNDP"), meeting=meeting)
    actions.escalation_raise(omt=o, by=user("vn-member"), subject="Another", positions="A, B")
    assert count_queries(client, url) == before


# --- memberships, chair terms, task forces (G1, G2, G10) -------------------------------------


def test_g1_a_second_member_for_the_same_agency_is_rejected_on_the_page(client, vn_chair):
    client.force_login(vn_chair)
    count = Membership.objects.count()
    response = client.post(reverse("governance:membership_add"), {
        "omt": omt().pk, "agency": agency("UNDP").pk, "member": user("vn-staff").pk,
        "since": "2026-01-01"})
    assert response.status_code == 400
    assert "This agency already has a member on the OMT." in html(response)
    assert Membership.objects.count() == count


def test_g1_alternate_must_be_someone_other_than_the_member(client, vn_chair):
    seat = Membership.objects.get(omt=omt(), agency__acronym="UNIDO")
    client.force_login(vn_chair)
    response = client.post(reverse("governance:membership_edit", args=[seat.pk]), {
        "omt": omt().pk, "agency": seat.agency_id, "member": seat.member_id,
        "alternate": seat.member_id, "since": seat.since.isoformat()})
    assert response.status_code == 400
    assert "The alternate must be someone other than the member." in html(response)
    assert Membership.objects.get(pk=seat.pk).alternate_id is None


def test_g1_ending_a_membership_takes_the_agency_off_the_omt(client, vn_chair):
    seat = Membership.objects.get(omt=omt(), agency__acronym="UNIDO")
    client.force_login(vn_chair)
    page = html(client.get(seat.get_absolute_url()))
    assert "End membership" in page and "No alternate (G1)" in page
    assert client.post(reverse("governance:membership_delete", args=[seat.pk])).status_code \
        == 302
    assert not Membership.objects.filter(pk=seat.pk).exists()


def test_g2_co_chair_from_chairs_agency_is_rejected_on_the_page(client, vn_chair):
    year = timezone.localdate().year + 1
    actions.chair_term_record(omt=omt(), by=user("admin"), role="chair",
                              agency=agency("UNFPA"), person=user("vn-omt-unfpa"),
                              starts_on=date(year, 1, 1))
    client.force_login(vn_chair)
    count = ChairTerm.objects.count()
    response = client.post(reverse("governance:chairterm_add"), {
        "omt": omt().pk, "role": "co_chair", "agency": agency("UNFPA").pk,
        "person": user("vn-alt-unfpa").pk, "starts_on": f"{year}-01-01", "ends_on": ""})
    assert response.status_code == 400
    assert "The co-chair must come from another agency than the chair (G2)." in html(response)
    assert ChairTerm.objects.count() == count


def test_g2_a_chair_term_is_recorded_to_the_end_of_the_year_and_never_deleted(client,
                                                                               vn_chair):
    year = timezone.localdate().year + 2
    client.force_login(vn_chair)
    response = client.post(reverse("governance:chairterm_add"), {
        "omt": omt().pk, "role": "chair", "agency": agency("FAO").pk,
        "person": user("vn-omt-fao").pk, "starts_on": f"{year}-01-01", "ends_on": ""})
    assert response.status_code == 302, html(response)[:2000]
    term = ChairTerm.objects.get(omt=omt(), starts_on=date(year, 1, 1), role="chair")
    assert term.ends_on == date(year, 12, 31)  # G2: one calendar year by default
    assert "Edit" in html(client.get(term.get_absolute_url()))
    assert client.post(term.get_absolute_url() + "delete/").status_code == 404
    assert ChairTerm.objects.filter(pk=term.pk).exists()


def _task_force_form(**changes):
    data = {"omt": omt().pk, "name": "Fleet working group", "service_line": "logistics",
            "coordinating_agency": agency("UNDP").pk, "chair": user("vn-csm").pk,
            "mandate": "Pool the vehicles.", "starts_on": "2026-01-01",
            "ends_on": "2026-12-31"}
    data.update(changes)
    return data


def test_g10_coordinating_agency_must_be_an_omt_member_agency(client, vn_chair):
    client.force_login(vn_chair)
    count = TaskForce.objects.count()
    # IFAD is present in Viet Nam but not a member of its OMT.
    response = client.post(reverse("governance:taskforce_add"),
                           _task_force_form(coordinating_agency=agency("IFAD").pk))
    assert response.status_code == 400
    assert "must be a member agency of the OMT (G10)" in html(response)
    assert TaskForce.objects.count() == count


def test_g10_task_force_members_are_added_and_removed(client, vn_chair, vn_member):
    task_force = TaskForce.objects.get(omt=omt(), name="ICT Working Group")
    add = reverse("governance:taskforce_member_add", args=[task_force.pk])
    client.force_login(vn_member)
    assert client.post(add, {"person": user("vn-staff").pk}).status_code == 403
    client.force_login(vn_chair)
    assert client.post(add, {"person": ""}).status_code == 400
    assert client.post(add, {"person": user("vn-staff").pk,
                             "expertise": "Networks"}).status_code == 302
    member = TaskForceMember.objects.get(task_force=task_force, person__username="vn-staff")
    assert "Networks" in html(client.get(task_force.get_absolute_url()))
    assert client.post(add, {"person": user("vn-staff").pk}).status_code == 400  # twice
    remove = reverse("governance:taskforce_member_remove", args=[member.pk])
    assert client.post(remove).status_code == 302
    assert not TaskForceMember.objects.filter(pk=member.pk).exists()


def test_g10_a_task_forces_own_actions_are_listed_on_its_page(client, vn_chair):
    task_force = TaskForce.objects.get(omt=omt(), name="Common Premises Task Force")
    client.force_login(vn_chair)
    url = reverse("governance:action_add", args=[omt().pk])
    assert f'value="{task_force.pk}" selected' in html(
        client.get(url + f"?task_force={task_force.pk}"))
    response = client.post(url, {"title": "Draft the floor-area key", "task_force": task_force.pk,
                                 "owner_agency": agency("UNDP").pk, "due_on": "2031-02-01"})
    assert response.status_code == 302
    assert "Draft the floor-area key" in html(client.get(task_force.get_absolute_url()))


# --- meetings and agendas (G4, G8) -----------------------------------------------------------


def test_meeting_list_filters_by_year_kind_and_status(client, vn_member):
    new_meeting()
    client.force_login(vn_member)
    url = reverse("governance:meeting_list")
    all_rows = client.get(url).context["page"].paginator.count
    assert all_rows >= 12
    rows = client.get(url + "?year=2031").context["page"].object_list
    assert [m.title for m in rows] == ["OMT meeting — March 2031"]
    retreats = client.get(url + "?kind=retreat").context["page"].object_list
    assert retreats and all(m.kind == "retreat" for m in retreats)
    held = client.get(url + "?status=held").context["page"].object_list
    assert held and all(m.status == "held" for m in held)
    assert client.get(url + "?status=nonsense").context["page"].paginator.count == 0


def test_scheduling_a_meeting_uses_the_countrys_time_zone_and_the_standard_agenda(client,
                                                                                 vn_chair):
    client.force_login(vn_chair)
    response = client.post(reverse("governance:meeting_add", args=[omt().pk]), {
        "title": "OMT meeting — April 2031", "kind": "regular", "day": "2031-04-10",
        "starts": "09:30", "ends": "11:00", "location": ""})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="OMT meeting — April 2031")
    assert meeting.starts_at == datetime(2031, 4, 10, 9, 30, tzinfo=ZONE)
    assert meeting.ends_at == datetime(2031, 4, 10, 11, 0, tzinfo=ZONE)
    assert meeting.location == omt().default_location
    items = list(meeting.agenda_items.order_by("position"))
    assert [i.title for i in items] == list(rules.STANDARD_AGENDA)  # G8
    open_action = Action.objects.filter(omt=omt(), status="open").first()
    assert open_action.title in items[0].notes  # open actions carried over under item 1
    page = html(client.get(meeting.get_absolute_url()))
    assert "Thursday 10 Apr 2031 09:30–11:00" in page
    assert open_action.title in page


def test_scheduling_a_meeting_that_ends_before_it_starts_is_refused(client, vn_chair):
    client.force_login(vn_chair)
    count = Meeting.objects.count()
    response = client.post(reverse("governance:meeting_add", args=[omt().pk]), {
        "title": "Backwards", "kind": "regular", "day": "2031-04-10", "starts": "11:00",
        "ends": "09:00"})
    assert response.status_code == 400
    assert "The meeting must end after it starts." in html(response)
    assert Meeting.objects.count() == count


def test_g4_agenda_deadline_is_shown_while_the_agenda_is_drafted(client, vn_member,
                                                                 viet_nam):
    meeting = new_meeting()
    deadline = rules.agenda_deadline(date(2031, 3, 13), viet_nam.calendar())
    client.force_login(vn_member)
    page = html(client.get(meeting.get_absolute_url()))
    assert f"To be sent by {date_format(deadline)}" in page
    assert "Send agenda" not in page  # a member may not send it


def test_g4_the_agenda_is_previewed_before_it_is_sent(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:agenda_send", args=[meeting.pk])
    preview = html(client.get(url))
    assert "Review of the last minutes and follow-up actions" in preview
    assert "members and alternates" in preview and "Send it now" in preview
    assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at is None  # nothing sent yet
    assert f'href="{url}"' in html(client.get(meeting.get_absolute_url()))


def test_g4_sending_the_agenda_twice_shows_the_actions_message(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:agenda_send", args=[meeting.pk])
    assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "agenda_sent" and not meeting.agenda_late
    assert "on time" in html(client.get(meeting.get_absolute_url()))
    again = client.post(url)
    assert again.status_code == 400
    assert "The agenda was already sent on" in html(again)
    assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at == meeting.agenda_sent_at


def test_g4_an_agenda_sent_late_is_shown_as_sent_late(client, vn_member):
    meeting = Meeting.objects.filter(omt=omt(), agenda_late=True).first()
    client.force_login(vn_member)
    assert "sent late" in html(client.get(meeting.get_absolute_url()))
    listed = html(client.get(reverse("governance:meeting_list")))
    assert "sent late" in listed


def test_the_invitation_downloads_as_an_ics_file(client, vn_member, outsider):
    meeting = new_meeting()
    client.force_login(vn_member)
    response = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content and b"March 2031" in response.content
    client.force_login(outsider)
    assert client.get(reverse("governance:meeting_ics", args=[meeting.pk])).status_code == 404


def test_agenda_items_move_up_and_down_with_and_without_htmx(client, vn_chair):
    meeting = new_meeting()
    first, second = meeting.agenda_items.order_by("position")[:2]
    client.force_login(vn_chair)
    url = reverse("governance:agendaitem_move", args=[second.pk])
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)[:2]) \
        == [second.pk, first.pk]
    partial = client.post(url, {"direction": "down"}, **HTMX)
    assert partial.status_code == 200
    body = html(partial)
    assert 'id="agenda"' in body and "<html" not in body
    assert body.index(first.title) < body.index(second.title)


def test_agenda_items_are_added_edited_and_removed(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    add = reverse("governance:agendaitem_add", args=[meeting.pk])
    assert client.post(add, {"title": ""}).status_code == 400
    assert meeting.agenda_items.count() == 4
    assert client.post(add, {"title": "Fleet sharing", "notes": "Proposal by UNDP"}) \
        .status_code == 302
    item = meeting.agenda_items.get(title="Fleet sharing")
    assert item.position == 4  # before "Any other business"
    edit = reverse("governance:agendaitem_edit", args=[item.pk])
    assert client.post(edit, {"title": "Fleet sharing proposal",
                              "presenter": user("vn-csm").pk, "notes": ""}).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.presenter.username) == ("Fleet sharing proposal", "vn-csm")
    assert "Thu Vo" in html(client.get(meeting.get_absolute_url()))
    delete = reverse("governance:agendaitem_delete", args=[item.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_agenda_of_a_held_meeting_cannot_change(client, vn_chair):
    meeting = Meeting.objects.filter(omt=omt(), status="held").first()
    count = meeting.agenda_items.count()
    client.force_login(vn_chair)
    response = client.post(reverse("governance:agendaitem_add", args=[meeting.pk]),
                           {"title": "Too late"})
    assert response.status_code == 400
    assert "The agenda of a held or cancelled meeting cannot change." in html(response)
    assert meeting.agenda_items.count() == count


def test_papers_are_uploaded_and_downloaded_only_by_those_who_see_the_meeting(
        client, vn_chair, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = new_meeting()
    item = meeting.agenda_items.order_by("position")[1]
    client.force_login(vn_chair)
    url = reverse("governance:paper_add", args=[item.pk])
    missing_title = client.post(url, {"title": "", "file": SimpleUploadedFile(
        "plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")})
    assert missing_title.status_code == 400 and "This field is required." in html(missing_title)
    assert not AgendaPaper.objects.filter(item=item).exists()
    response = client.post(url, {"title": "Work plan 2031", "file": SimpleUploadedFile(
        "plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")})
    assert response.status_code == 302
    paper = AgendaPaper.objects.get(item=item)
    assert "Work plan 2031" in html(client.get(meeting.get_absolute_url()))
    as_user(client, "vn-staff")
    download = client.get(paper.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    client.force_login(outsider)
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_cancelling_a_meeting_stops_its_agenda_and_attendance(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    assert client.post(reverse("governance:meeting_cancel", args=[meeting.pk])).status_code \
        == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    response = client.post(reverse("governance:attendance_add", args=[meeting.pk]),
                           {"capacity": "guest", "status": "present", "guest_name": "Guest"})
    assert response.status_code == 400
    assert "The meeting is cancelled." in html(response)
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_editing_a_meeting_moves_it_in_the_countrys_time_zone(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:meeting_edit", args=[meeting.pk])
    assert 'value="10:00"' in html(client.get(url))
    response = client.post(url, {"title": meeting.title, "kind": "special", "day": "2031-03-14",
                                 "starts": "14:00", "ends": "15:00", "location": "RCO"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2031, 3, 14, 14, tzinfo=ZONE)
    assert (meeting.kind, meeting.location) == ("special", "RCO")


# --- attendance and quorum (G5) ------------------------------------------------------------


def _attend(client, meeting, person, capacity="member", status="present", **headers):
    return client.post(reverse("governance:attendance_add", args=[meeting.pk]), {
        "capacity": capacity, "status": status, "person": person.pk}, **headers)


def test_g5_quorum_box_updates_after_attendance(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    members = [seat.member for seat in seats()]
    total = len(members)
    required = total // 2 + 1  # G5: more than half
    for person in members[:required - 1]:
        response = _attend(client, meeting, person, **HTMX)
        assert response.status_code == 200
    body = html(response)
    assert "<html" not in body and 'id="quorum"' in body
    assert (f"{required - 1} of {total} member agencies present — quorum is {required}"
            in body)
    assert "<strong>not quorate</strong>" in body
    body = html(_attend(client, meeting, members[required - 1], **HTMX))
    assert f"{required} of {total} member agencies present — quorum is {required}" in body
    assert "<strong>quorate</strong>" in body
    refreshed = html(client.get(reverse("governance:meeting_quorum", args=[meeting.pk])))
    assert f"{required} of {total}" in refreshed
    removed = Attendance.objects.get(meeting=meeting, person=members[required - 1])
    body = html(client.post(reverse("governance:attendance_remove", args=[removed.pk]),
                            **HTMX))
    assert f"{required - 1} of {total} member agencies present" in body
    assert "not quorate" in body


def test_g5_an_agency_counts_once_whether_its_member_or_alternate_attends(client, vn_chair):
    meeting = new_meeting()
    seat = next(s for s in seats() if s.alternate_id)
    client.force_login(vn_chair)
    assert _attend(client, meeting, seat.member).status_code == 302
    assert _attend(client, meeting, seat.alternate, capacity="alternate").status_code == 302
    page = html(client.get(meeting.get_absolute_url()))
    assert "1 of 12 member agencies present" in page


def test_g5_apologies_do_not_count_towards_the_quorum(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    _attend(client, meeting, seats()[0].member, status="apologies")
    assert "0 of 12 member agencies present" in html(client.get(meeting.get_absolute_url()))


def test_g5_only_the_omts_members_and_alternates_attend_in_those_capacities(client,
                                                                            vn_chair):
    meeting = new_meeting()
    seat = next(s for s in seats() if s.alternate_id)
    client.force_login(vn_chair)
    # not on the list of members and alternates at all
    outside = _attend(client, meeting, user("vn-csm"))
    assert outside.status_code == 400
    assert "Select a valid choice" in html(outside)
    # an alternate recorded as the member: the action's message, on the person field
    wrong = _attend(client, meeting, seat.alternate, capacity="member", **HTMX)
    assert wrong.status_code == 400
    assert "is not a member of this OMT; record them as a guest." in html(wrong)
    no_one = client.post(reverse("governance:attendance_add", args=[meeting.pk]),
                         {"capacity": "member", "status": "present"})
    assert no_one.status_code == 400 and "Choose the member or alternate" in html(no_one)
    assert not Attendance.objects.filter(meeting=meeting).exists()
    guest = client.post(reverse("governance:attendance_add", args=[meeting.pk]), {
        "capacity": "guest", "status": "present", "guest_name": "Facility manager"})
    assert guest.status_code == 302
    assert "0 of 12 member agencies present" in html(client.get(meeting.get_absolute_url()))


def test_meeting_page_queries_stay_the_same_when_more_rows_exist(client, vn_chair, settings,
                                                                 tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, admin = new_meeting(), user("admin")
    client.force_login(vn_chair)
    url = meeting.get_absolute_url()
    actions.attendance_record(meeting=meeting, by=admin, capacity="member",
                              person=seats()[0].member)
    before = count_queries(client, url)
    assert before <= 22
    for index, seat in enumerate(seats()[1:6]):
        actions.attendance_record(meeting=meeting, by=admin, capacity="member",
                                  person=seat.member)
        item = actions.agenda_item_save(meeting=meeting, by=admin,
                                        data={"title": f"Extra item {index}",
                                              "presenter": seat.member})
        actions.agenda_paper_add(item=item, by=admin, title=f"Paper {index}",
                                 file=SimpleUploadedFile(f"p{index}.txt", b"paper"))
    assert count_queries(client, url) == before


def test_starting_the_minutes_from_the_meeting_page(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:minutes_start", args=[meeting.pk])
    response = client.post(url)
    minutes = Minutes.objects.get(meeting=meeting)
    assert response["Location"] == minutes.get_absolute_url()
    assert minutes.items.count() == 4  # G7: matters by agenda item
    again = client.post(url)
    assert again.status_code == 400 and "This meeting already has minutes." in html(again)


# --- minutes (G5, G6, G7) ------------------------------------------------------------------


def _save_item(client, item, revision, discussion, decisions=""):
    return client.post(reverse("governance:minutesitem_save", args=[item.pk]), {
        "discussion": discussion, "decisions": decisions, "revision": revision})


def test_minutes_edit_conflict_second_save_from_the_same_revision_is_409(client):
    item = draft_minutes().items.order_by("position").first()
    opened_at = item.revision
    first = _save_item(as_user(client, "vn-chair"), item, opened_at, "The chair's text.")
    assert first.status_code == 302
    second = _save_item(as_user(client, "vn-secretary"), item, opened_at,
                        "The secretary's text.")
    assert second.status_code == 409
    item.refresh_from_db()
    assert item.discussion == "The chair's text."  # the first text is kept
    body = html(second)
    assert "Someone else saved this item while you were editing it." in body
    assert "The chair&#x27;s text." in body and "The secretary&#x27;s text." in body
    assert f'name="revision" value="{item.revision}"' in body  # the current one now
    # Having seen both texts, the secretary saves deliberately.
    third = _save_item(client, item, item.revision, "The merged text.")
    assert third.status_code == 302
    item.refresh_from_db()
    assert item.discussion == "The merged text."


def test_g5_decisions_of_a_meeting_without_quorum_are_marked(client, vn_member):
    item = MinutesItem.objects.filter(minutes__meeting__omt=omt(), without_quorum=True).first()
    assert item is not None
    client.force_login(vn_member)
    assert "decided without quorum (G5)" in html(client.get(item.minutes.get_absolute_url()))


def test_g5_saving_decisions_without_quorum_marks_them(client, vn_chair):
    meeting = new_meeting()
    actions.minutes_start(meeting=meeting, by=user("admin"))
    item = Minutes.objects.get(meeting=meeting).items.order_by("position")[1]
    client.force_login(vn_chair)
    assert _save_item(client, item, item.revision, "Talked.", "Agreed.").status_code == 302
    item.refresh_from_db()
    assert item.without_quorum  # nobody attended


def test_g7_action_without_owner_or_deadline_is_rejected_on_the_right_field(client,
                                                                            vn_chair):
    item = draft_minutes().items.order_by("position")[1]
    count = Action.objects.count()
    client.force_login(vn_chair)
    url = reverse("governance:minutes_action_add", args=[item.pk])
    response = client.post(url, {"title": "Prepare the tender"})
    assert response.status_code == 400
    row = next(r for r in response.context["rows"] if r["item"].pk == item.pk)
    assert set(row["action_form"].errors) == {"owner_person", "due_on"}
    body = html(response)
    assert "Name the person or the agency responsible (G7)." in body
    assert "Give the deadline (G7)." in body
    both = client.post(url, {"title": "Prepare the tender", "owner_person": user("vn-csm").pk,
                             "owner_agency": agency("UNDP").pk, "due_on": "2031-01-31"})
    assert both.status_code == 400
    assert "owner_agency" in next(r for r in both.context["rows"]
                                  if r["item"].pk == item.pk)["action_form"].errors
    assert Action.objects.count() == count
    done = client.post(url, {"title": "Prepare the tender", "owner_agency": agency("UNDP").pk,
                             "due_on": "2031-01-31"})
    assert done.status_code == 302
    action = Action.objects.get(title="Prepare the tender")
    assert (action.minutes_item, action.meeting) == (item, item.minutes.meeting)


def test_the_summary_of_draft_minutes_is_saved_and_final_minutes_refuse_it(client,
                                                                            vn_chair):
    minutes = draft_minutes()
    client.force_login(vn_chair)
    url = reverse("governance:minutes_summary", args=[minutes.pk])
    assert client.post(url, {"summary": "A short meeting."}).status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).summary == "A short meeting."
    final = Minutes.objects.filter(meeting__omt=omt(), status="finalised").first()
    response = client.post(reverse("governance:minutes_summary", args=[final.pk]),
                           {"summary": "Rewritten"})
    assert response.status_code == 400 and "read-only" in html(response)
    assert Minutes.objects.get(pk=final.pk).summary != "Rewritten"


def test_g6_draft_minutes_show_the_circulation_deadline(client, vn_member):
    minutes = draft_minutes()
    meeting_day = minutes.meeting.starts_at.astimezone(ZONE).date()
    deadline = rules.minutes_circulation_deadline(meeting_day)
    client.force_login(vn_member)
    page = html(client.get(minutes.get_absolute_url()))
    assert f"To be circulated by {date_format(deadline)}" in page
    assert 'name="revision"' not in page  # a member does not edit the draft


def test_g6_late_circulation_is_shown(client, vn_member):
    minutes = Minutes.objects.filter(meeting__omt=omt(), circulated_late=True).first()
    client.force_login(vn_member)
    assert "circulated late" in html(client.get(minutes.get_absolute_url()))


def test_g6_a_draft_cannot_be_finalised_before_circulation(client, vn_chair):
    minutes = draft_minutes()
    client.force_login(vn_chair)
    response = client.post(reverse("governance:minutes_finalise", args=[minutes.pk]))
    assert response.status_code == 400
    assert "Circulate the minutes for comments before finalising (G6)." in html(response)
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


def test_g6_comments_are_taken_only_while_the_minutes_are_circulated(client):
    item = draft_minutes().items.first()
    response = as_user(client, "vn-omt-fao").post(
        reverse("governance:minutes_comment", args=[item.pk]), {"text": "Too early"})
    assert response.status_code == 400
    assert "Comments are taken only while the minutes are circulated." in html(response)
    assert not MinutesComment.objects.filter(item=item).exists()


def test_g6_the_minutes_workflow_circulate_comment_finalise_share_correct(client):
    minutes = draft_minutes()
    item = minutes.items.order_by("position")[1]
    secretary = as_user(client, "vn-secretary")
    assert secretary.post(reverse("governance:minutes_circulate", args=[minutes.pk])) \
        .status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == "circulated" and minutes.comments_until
    page = html(secretary.get(minutes.get_absolute_url()))
    assert "Comments until" in page

    # members and alternates comment, threaded by reply (G6)
    comment_url = reverse("governance:minutes_comment", args=[item.pk])
    member = as_user(client, "vn-omt-fao")
    assert member.post(comment_url, {"text": ""}).status_code == 400
    assert member.post(comment_url, {"text": "Please add FAO's pipeline."}).status_code == 302
    comment = MinutesComment.objects.get(item=item)
    assert as_user(client, "vn-staff").post(comment_url, {"text": "Me too"}).status_code \
        == 403
    secretary = as_user(client, "vn-secretary")
    assert secretary.post(comment_url, {"text": "Added.", "reply_to": comment.pk}) \
        .status_code == 302
    reply = MinutesComment.objects.get(reply_to=comment)
    page = html(secretary.get(minutes.get_absolute_url()))
    assert f'class="depth-1" id="comment-{reply.pk}"' in page

    # finalised minutes are read-only (G6)
    assert secretary.post(reverse("governance:minutes_finalise", args=[minutes.pk])) \
        .status_code == 302
    page = html(secretary.get(minutes.get_absolute_url()))
    assert 'name="revision"' not in page and "Share with the UNCT" in page
    refused = _save_item(secretary, item, item.revision, "Changed after all")
    assert refused.status_code == 400 and "read-only" in html(refused)
    assert MinutesItem.objects.get(pk=item.pk).discussion != "Changed after all"

    assert secretary.post(reverse("governance:minutes_share", args=[minutes.pk])) \
        .status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).status == "shared"

    # a correction is a new version showing what it changes
    response = secretary.post(reverse("governance:minutes_correct", args=[minutes.pk]))
    correction = Minutes.objects.get(corrects=minutes)
    assert response["Location"] == correction.get_absolute_url()
    corrected_item = correction.items.get(position=item.position)
    assert _save_item(secretary, corrected_item, corrected_item.revision,
                      corrected_item.discussion,
                      corrected_item.decisions + "\nFAO shares its pipeline.").status_code \
        == 302
    page = html(secretary.get(correction.get_absolute_url()))
    assert "Changes from version 1" in page
    assert "<ins>FAO shares its pipeline.</ins>" in page
    old = html(secretary.get(minutes.get_absolute_url()))
    assert "Corrected by version 2" in old and "Make a correction" not in old


def test_minutes_page_queries_stay_the_same_when_more_rows_exist(client, vn_chair):
    admin = user("admin")
    minutes = actions.minutes_circulate(minutes=draft_minutes(), by=admin)
    items = list(minutes.items.order_by("position"))
    first = actions.minutes_comment(item=items[0], by=user("vn-omt-fao"), text="One")
    client.force_login(vn_chair)
    url = minutes.get_absolute_url()
    before = count_queries(client, url)
    assert before <= 24
    for item in items:
        actions.minutes_comment(item=item, by=user("vn-member"), text="More", reply_to=None)
        actions.minutes_comment(item=items[0], by=user("vn-secretary"), text="Reply",
                                reply_to=first)
        actions.action_create(omt=omt(), by=admin, title=f"Follow up {item.pk}",
                              due_on=date(2031, 1, 1), owner_agency=agency("WHO"),
                              minutes_item=item)
    assert count_queries(client, url) == before


def test_minutes_download_as_pdf_only_for_those_who_see_them(client, vn_member, outsider):
    pytest.importorskip("commonops.governance.pdf")
    minutes = Minutes.objects.filter(meeting__omt=omt(), status="shared").first()
    client.force_login(vn_member)
    response = client.get(reverse("governance:minutes_pdf", args=[minutes.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(reverse("governance:minutes_pdf", args=[minutes.pk])).status_code == 404


# --- the action tracker (G7) -----------------------------------------------------------------


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
    assert "done_note" in empty.context["form"].errors
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


# --- escalations and the UNCT (G11) ----------------------------------------------------------


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


def test_standing_update_for_the_unct_defaults_to_the_last_30_days(client, vn_rc):
    client.force_login(vn_rc)
    url = reverse("governance:unct_update", args=[omt().pk])
    response = client.get(url)
    today = timezone.localtime(timezone.now(), ZONE).date()
    assert response.context["since"] == today - timedelta(days=30)
    assert "Opening hours of the common clinic" in html(response)
    year_ago = client.get(url + f"?since={today - timedelta(days=400):%Y-%m-%d}")
    assert len(year_ago.context["meetings"]) > len(response.context["meetings"])
    assert "The OMT takes note of work-plan progress" in html(year_ago)
    assert client.get(url + "?since=not-a-date").status_code == 400


def test_action_tracker_exports_csv_to_readers_and_answers_htmx_with_the_table(client):
    url = reverse("governance:action_list")
    c = as_user(client, "vn-chair")
    export = c.get(url + "?state=overdue&export=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("id,Action,Responsible,Deadline")
    assert len(lines) - 1 == Action.objects.filter(
        omt=omt(), status="open", due_on__lt=timezone.localdate()).count()
    partial = c.get(url + "?state=done", **HTMX)
    assert partial.status_code == 200 and "<html" not in html(partial)
    assert as_user(client, "vn-staff").get(url + "?export=csv").status_code == 403
