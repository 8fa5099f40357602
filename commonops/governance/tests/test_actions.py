"""The G1–G12 rules as the actions apply them (pages, API, demo and tasks call these)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.core import access
from commonops.core.models import Agency, AuditEntry, Country, User
from commonops.core.roles import Perm
from commonops.governance import actions, queries
from commonops.governance.models import (
    ActionStatus,
    AgendaItem,
    ChairTerm,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesStatus,
    Omt,
)

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def omt(viet_nam):
    return Omt.objects.get(country=viet_nam)


@pytest.fixture
def secretary(db):
    return User.objects.get(username="vn-secretary")


def _meeting(omt, by, day=date(2027, 3, 11), **kwargs):
    start = datetime.combine(day, time(10), tzinfo=HANOI)
    return actions.meeting_schedule(omt=omt, by=by, title="Test meeting", starts_at=start,
                                    ends_at=start + timedelta(hours=2), **kwargs)


def _user(name):
    return User.objects.get(username=name)


def _members_and_alternates(omt):
    """The e-mail addresses of the OMT's members and alternates, from its membership rows."""
    seats = Membership.objects.filter(omt=omt).select_related("member", "alternate")
    return sorted({seat.member.email for seat in seats}
                  | {seat.alternate.email for seat in seats if seat.alternate_id})


# --- G1 membership ---------------------------------------------------------------------------


def test_g1_one_member_per_agency(omt, vn_chair):
    undp = Agency.objects.get(acronym="UNDP")
    with pytest.raises(ValidationError, match="already has a member"):
        actions.membership_save(omt=omt, by=vn_chair, data={
            "agency": undp, "member": _user("vn-staff"), "since": date(2026, 1, 1)})


def test_g1_members_without_an_alternate_are_flagged(omt):
    overview = queries.omt_overview(omt, today=date(2026, 11, 1))
    assert sorted(str(m.agency) for m in overview["without_alternate"]) == ["UN-Habitat",
                                                                            "UNIDO"]


def test_g1_membership_gives_the_member_and_alternate_their_roles(omt, vn_chair, viet_nam):
    seat = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    staff = _user("vn-staff")
    assert not access.can(staff, Perm.COMMENT_MINUTES, viet_nam)
    actions.membership_save(omt=omt, by=vn_chair, membership=seat, data={"alternate": staff})
    staff = _user("vn-staff")
    assert access.can(staff, Perm.COMMENT_MINUTES, viet_nam)


def test_g1_an_agency_not_present_in_the_country_cannot_sit(omt, vn_chair):
    with pytest.raises(ValidationError, match="not present"):
        actions.membership_save(omt=omt, by=vn_chair, data={
            "agency": Agency.objects.get(acronym="WFP"), "member": _user("vn-staff"),
            "since": date(2026, 1, 1)})


def test_only_those_who_run_the_omt_change_its_membership(omt, vn_member):
    seat = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    with pytest.raises(PermissionDenied):
        actions.membership_save(omt=omt, by=vn_member, membership=seat,
                                data={"alternate": _user("vn-staff")})


# --- G2 chair ---------------------------------------------------------------------------------


@pytest.fixture
def no_terms(omt):
    """The OMT without the demo's chair terms, so a test's terms are the only ones."""
    ChairTerm.objects.filter(omt=omt).delete()
    return omt


def test_g2_co_chair_from_chairs_agency_is_rejected(no_terms, admin_user):
    undp = Agency.objects.get(acronym="UNDP")
    actions.chair_term_record(omt=no_terms, by=admin_user, role="chair", agency=undp,
                              person=_user("vn-chair"), starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="another agency than the chair"):
        actions.chair_term_record(omt=no_terms, by=admin_user, role="co_chair", agency=undp,
                                  person=_user("vn-alt-undp"),
                                  starts_on=date(2026, 6, 1))
    assert list(ChairTerm.objects.filter(omt=no_terms).values_list("role", flat=True)) == [
        "chair"]


def test_g2_chair_terms_belong_to_an_agency_for_a_year_and_history_is_kept(no_terms,
                                                                           admin_user):
    fao = Agency.objects.get(acronym="FAO")
    who = Agency.objects.get(acronym="WHO")
    for year in (2030, 2031):
        actions.chair_term_record(omt=no_terms, by=admin_user, role="chair", agency=fao,
                                  person=_user("vn-omt-fao"), starts_on=date(year, 1, 1))
        term = actions.chair_term_record(omt=no_terms, by=admin_user, role="co_chair",
                                         agency=who, person=_user("vn-member"),
                                         starts_on=date(year, 1, 1))
        assert term.ends_on == date(year, 12, 31)
    assert ChairTerm.objects.filter(omt=no_terms).count() == 4  # the earlier year is kept


def test_g2_two_chairs_cannot_overlap(no_terms, admin_user):
    actions.chair_term_record(omt=no_terms, by=admin_user, role="chair",
                              agency=Agency.objects.get(acronym="UNDP"),
                              person=_user("vn-chair"), starts_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="already covers"):
        actions.chair_term_record(omt=no_terms, by=admin_user, role="chair",
                                  agency=Agency.objects.get(acronym="FAO"),
                                  person=_user("vn-omt-fao"), starts_on=date(2026, 7, 1))
    assert ChairTerm.objects.filter(omt=no_terms).count() == 1


# --- G3, G4, G8, G9 meetings and agendas -----------------------------------------------------


def test_g3_the_demo_month_without_a_meeting_is_flagged(omt):
    from django.utils import timezone

    today = timezone.localdate()
    year, month = today.year, today.month - 4  # the demo skips the month four months ago
    if month < 1:
        year, month = year - 1, month + 12
    expected = [(year, month)] if year == today.year else []
    assert queries.months_without_meeting(omt, today=today) == expected


def test_g3_a_cancelled_meeting_does_not_count(admin_user):
    # An OMT of its own, so the demo's meetings (made relative to today) play no part.
    omt = Omt.objects.create(country=Country.objects.get(iso_code="JO"))
    january = _meeting(omt, admin_user, day=date(2027, 1, 14))
    february = _meeting(omt, admin_user, day=date(2027, 2, 11))
    actions.meeting_cancel(meeting=february, by=admin_user)
    months = queries.months_without_meeting(omt, today=date(2027, 2, 28))
    assert (2027, 2) in months
    assert january.status != MeetingStatus.CANCELLED


def test_g8_a_new_meeting_starts_with_the_standard_agenda_and_open_actions(omt, secretary):
    meeting = _meeting(omt, secretary)
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Review of the last minutes and follow-up actions",
                      "Review of the work plan and progress",
                      "Recommendations and requests to the UNCT", "Any other business"]
    first = meeting.agenda_items.get(position=1)
    open_action = omt.actions.filter(status=ActionStatus.OPEN).first()
    assert open_action.title in first.notes


def test_g9_a_retreat_prepares_the_annual_report_and_next_work_plan(omt, secretary):
    meeting = _meeting(omt, secretary, kind="retreat")
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert "Annual activity report" in titles and "Next year's work plan" in titles


def test_a_new_agenda_item_goes_before_any_other_business(omt, secretary):
    meeting = _meeting(omt, secretary)
    actions.agenda_item_save(meeting=meeting, by=secretary, data={"title": "Security update"})
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[-2:] == ["Security update", "Any other business"]


def test_agenda_items_can_be_reordered(omt, secretary):
    meeting = _meeting(omt, secretary)
    last = meeting.agenda_items.get(position=4)
    actions.agenda_item_move(item=last, by=secretary, up=True)
    assert AgendaItem.objects.get(pk=last.pk).position == 3


def test_g4_an_agenda_sent_on_time_goes_to_every_member_and_alternate_with_an_ics(
        omt, secretary, django_capture_on_commit_callbacks):
    meeting = _meeting(omt, secretary)  # Thursday 11 March 2027: deadline Monday 8 March
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.agenda_send(meeting=meeting, by=secretary,
                            now=datetime(2027, 3, 8, 16, 0, tzinfo=HANOI))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_SENT and not meeting.agenda_late
    message = mail.outbox[-1]
    assert sorted(message.to) == _members_and_alternates(omt)
    name, content, mimetype = message.attachments[0]
    content = content.decode() if isinstance(content, bytes) else content
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "Test meeting" in content


def test_g4_a_late_agenda_is_sent_and_recorded_as_late(omt, secretary):
    meeting = _meeting(omt, secretary)
    actions.agenda_send(meeting=meeting, by=secretary,
                        now=datetime(2027, 3, 9, 9, 0, tzinfo=HANOI))
    meeting.refresh_from_db()
    assert meeting.agenda_late


def test_g4_sending_an_agenda_twice_is_refused(omt, secretary):
    meeting = _meeting(omt, secretary)
    actions.agenda_send(meeting=meeting, by=secretary,
                        now=datetime(2027, 3, 1, 9, 0, tzinfo=HANOI))
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="already sent"):
        actions.agenda_send(meeting=meeting, by=secretary)
    assert mail.outbox == []


# --- G5 attendance and quorum ----------------------------------------------------------------


def test_g5_an_agency_counts_once_whether_member_or_alternate_attends(omt, secretary):
    meeting = _meeting(omt, secretary)
    seat = Membership.objects.get(omt=omt, agency__acronym="FAO")
    actions.attendance_record(meeting=meeting, by=secretary, capacity="member",
                              person=seat.member)
    actions.attendance_record(meeting=meeting, by=secretary, capacity="alternate",
                              person=seat.alternate)
    state = queries.quorum(meeting)
    assert (state.member_count, state.present, state.required) == (12, 1, 7)
    assert not state.quorate


def test_g5_quorum_needs_more_than_half_of_the_member_agencies(omt, secretary):
    meeting = _meeting(omt, secretary)
    seats = list(Membership.objects.filter(omt=omt).order_by("pk"))
    for seat in seats[:6]:
        actions.attendance_record(meeting=meeting, by=secretary, capacity="member",
                                  person=seat.member)
    assert not queries.quorum(meeting).quorate
    actions.attendance_record(meeting=meeting, by=secretary, capacity="member",
                              person=seats[6].member)
    assert queries.quorum(meeting).quorate


def test_g5_attendance_of_someone_not_member_or_alternate_is_refused(omt, secretary):
    meeting = _meeting(omt, secretary)
    with pytest.raises(ValidationError, match="not a member"):
        actions.attendance_record(meeting=meeting, by=secretary, capacity="member",
                                  person=_user("vn-staff"))
    guest = actions.attendance_record(meeting=meeting, by=secretary, capacity="guest",
                                      person=_user("vn-staff"))
    assert guest.agency.acronym == "UNESCO"
    assert queries.quorum(meeting).present == 0


def test_g5_the_demo_has_a_meeting_without_quorum_whose_decisions_are_marked(viet_nam):
    marked = Minutes.objects.filter(country=viet_nam, items__without_quorum=True).distinct()
    assert marked.count() >= 1
    assert not queries.quorum(marked.first().meeting).quorate


# --- G6, G7 minutes and actions --------------------------------------------------------------


def _held_meeting_with_minutes(omt, by):
    meeting = _meeting(omt, by, day=date(2026, 3, 12))
    for seat in Membership.objects.filter(omt=omt).order_by("pk")[:8]:
        actions.attendance_record(meeting=meeting, by=by, capacity="member",
                                  person=seat.member)
    return actions.minutes_start(meeting=meeting, by=by)


def test_g7_minutes_start_with_one_item_per_agenda_item(omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    assert minutes.items.count() == 4


def test_g7_an_action_without_owner_or_deadline_is_rejected(omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    item = minutes.items.first()
    with pytest.raises(ValidationError) as error:
        actions.action_create(omt=omt, by=secretary, minutes_item=item, title="Do it",
                              due_on=None)
    assert set(error.value.message_dict) == {"owner_person", "due_on"}
    with pytest.raises(ValidationError):
        actions.action_create(omt=omt, by=secretary, minutes_item=item, title="Do it",
                              due_on=date(2026, 4, 1), owner_person=_user("vn-csm"),
                              owner_agency=Agency.objects.get(acronym="FAO"))
    assert not item.actions.exists()


def test_g6_circulation_after_seven_days_is_recorded_as_late(omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 20, 9, tzinfo=HANOI))
    minutes.refresh_from_db()
    assert minutes.circulated_late
    assert minutes.comments_until == date(2026, 3, 27)


def test_g6_comments_are_taken_during_the_comment_period_only(omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=HANOI))
    item = minutes.items.first()
    fao = _user("vn-omt-fao")
    actions.minutes_comment(item=item, by=fao, text="Fine.", today=date(2026, 3, 20))
    with pytest.raises(ValidationError, match="comment period ended"):
        actions.minutes_comment(item=item, by=fao, text="Late.", today=date(2026, 3, 21))
    assert item.comments.count() == 1


def test_g6_finalised_minutes_are_read_only_and_a_correction_is_a_new_version(
        omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=HANOI))
    actions.minutes_finalise(minutes=minutes, by=secretary)
    item = minutes.items.first()
    with pytest.raises(ValidationError, match="read-only"):
        actions.minutes_item_save(item=item, by=secretary, data={"discussion": "x"},
                                  revision=item.revision)
    correction = actions.minutes_correct(minutes=minutes, by=secretary)
    assert (correction.version, correction.corrects_id, correction.status) == (
        2, minutes.pk, MinutesStatus.DRAFT)
    assert correction.items.count() == minutes.items.count()
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.FINALISED


def test_g6_minutes_are_circulated_before_they_are_finalised(omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    with pytest.raises(ValidationError, match="Circulate"):
        actions.minutes_finalise(minutes=minutes, by=secretary)


def test_g6_shared_minutes_reach_the_rc_and_the_unct(omt, secretary,
                                                      django_capture_on_commit_callbacks):
    minutes = _held_meeting_with_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=HANOI))
    actions.minutes_finalise(minutes=minutes, by=secretary)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.minutes_share(minutes=minutes, by=secretary)
    assert set(mail.outbox[-1].to) >= {"vn-rc@commonops.example",
                                      "vn-unct@commonops.example"}


def test_two_people_editing_the_same_item_never_overwrite_each_other(omt, secretary):
    minutes = _held_meeting_with_minutes(omt, secretary)
    item = minutes.items.first()
    opened = item.revision
    actions.minutes_item_save(item=item, by=secretary, revision=opened,
                              data={"discussion": "First version"})
    stale = minutes.items.get(pk=item.pk)
    with pytest.raises(actions.EditConflict) as conflict:
        actions.minutes_item_save(item=stale, by=_user("vn-chair"), revision=opened,
                                  data={"discussion": "Second version"})
    assert conflict.value.current.discussion == "First version"
    assert minutes.items.get(pk=item.pk).discussion == "First version"


def test_g5_decisions_without_quorum_are_marked(omt, secretary):
    meeting = _meeting(omt, secretary, day=date(2026, 3, 12))
    minutes = actions.minutes_start(meeting=meeting, by=secretary)
    item = minutes.items.first()
    saved = actions.minutes_item_save(item=item, by=secretary, revision=item.revision,
                                      data={"decisions": "Approve the budget."})
    assert saved.without_quorum


def test_the_owner_closes_an_action_with_a_note(omt, secretary):
    csm = _user("vn-csm")
    action = actions.action_create(omt=omt, by=secretary, title="Renew the contract",
                                   due_on=date(2026, 12, 1), owner_person=csm)
    with pytest.raises(ValidationError):
        actions.action_complete(action=action, by=csm, note="  ")
    with pytest.raises(PermissionDenied):
        actions.action_complete(action=action, by=_user("vn-staff"), note="Done")
    actions.action_complete(action=action, by=csm, note="Signed on 1 Dec.")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_an_agencys_member_closes_the_agencys_action(omt, secretary):
    action = actions.action_create(omt=omt, by=secretary, title="Share the pipeline",
                                   due_on=date(2026, 12, 1),
                                   owner_agency=Agency.objects.get(acronym="FAO"))
    actions.action_complete(action=action, by=_user("vn-omt-fao"), note="Shared.")
    assert omt.actions.get(pk=action.pk).status == ActionStatus.DONE


def test_actions_appear_for_their_owners(vn_member):
    owned = queries.actions_of(vn_member, today=date(2026, 11, 23))
    assert all(a.owner_person_id == vn_member.pk or a.owner_agency.acronym == "WHO"
               for a in owned)


# --- G10, G11, G12 ---------------------------------------------------------------------------


def test_g10_a_task_forces_coordinating_agency_must_be_an_omt_member(omt, vn_chair):
    with pytest.raises(ValidationError, match="member agency of the OMT"):
        actions.task_force_save(omt=omt, by=vn_chair, data={
            "name": "Fleet", "service_line": "logistics",
            "coordinating_agency": Agency.objects.get(acronym="ITC"),
            "chair": _user("vn-staff"), "mandate": "Share vehicles.",
            "starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31)})


def test_g11_only_the_unct_decides_and_the_decision_is_recorded(omt, vn_chair, vn_rc):
    escalation = actions.escalation_raise(omt=omt, by=_user("vn-omt-fao"), subject="Key",
                                          positions="A or B")
    with pytest.raises(PermissionDenied):
        actions.escalation_decide(escalation=escalation, by=vn_chair,
                                  decided_on=date(2026, 11, 1), text="A")
    decided = actions.escalation_decide(escalation=escalation, by=vn_rc,
                                        decided_on=date(2026, 11, 1), text="A")
    assert decided.decision.text == "A" and decided.status == "decided"
    with pytest.raises(ValidationError, match="already decided"):
        actions.escalation_decide(escalation=decided, by=vn_rc,
                                  decided_on=date(2026, 11, 2), text="B")


def test_g12_the_secretary_runs_meetings_without_being_a_member(omt, secretary, viet_nam):
    assert not Membership.objects.filter(omt=omt, member=secretary).exists()
    assert access.can(secretary, Perm.GOVERN, viet_nam)


def test_every_governance_write_is_in_the_audit_trail(omt, secretary):
    meeting = _meeting(omt, secretary)
    assert AuditEntry.objects.filter(content_type__model="meeting", object_id=str(meeting.pk),
                                     action="create", actor=secretary).exists()
    assert AuditEntry.objects.filter(content_type__model="agendaitem",
                                     object_id__in=[str(pk) for pk in meeting.agenda_items
                                                    .values_list("pk", flat=True)]).count() == 4


def test_an_outsider_cannot_schedule_in_viet_nam(omt, outsider):
    with pytest.raises(PermissionDenied):
        _meeting(omt, outsider)
    assert not Meeting.objects.filter(title="Test meeting").exists()


def test_g1_the_home_page_flags_members_without_alternate_to_the_chair(client, vn_chair):
    client.force_login(vn_chair)
    html = client.get("/").content.decode()
    assert "2 OMT members have no alternate" in html
    assert "UN-Habitat" in html and "UNIDO" in html


def test_a_held_meeting_cannot_be_cancelled(omt, secretary):
    meeting = omt.meetings.filter(status=MeetingStatus.HELD).first()
    with pytest.raises(ValidationError, match="not yet held"):
        actions.meeting_cancel(meeting=meeting, by=secretary)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def test_g6_a_correction_is_finalised_without_a_second_comment_round(omt, secretary):
    shared = Minutes.objects.filter(meeting__omt=omt, status=MinutesStatus.SHARED,
                                    correction__isnull=True).first()
    correction = actions.minutes_correct(minutes=shared, by=secretary)
    with pytest.raises(ValidationError, match="finalised directly"):
        actions.minutes_circulate(minutes=correction, by=secretary)
    actions.minutes_finalise(minutes=correction, by=secretary)
    assert Minutes.objects.get(pk=correction.pk).status == MinutesStatus.FINALISED
