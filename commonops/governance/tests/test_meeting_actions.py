"""Meetings as the actions apply the rules: months without a meeting (G3), the agenda and its
notice (G4, G8, G9), attendance and quorum (G5), cancelling, the audit trail."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.core.models import AuditEntry, Country
from commonops.governance import actions, queries
from commonops.governance.models import (
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    Omt,
)
from commonops.governance.tests.helpers import (
    ZONE,
    in_days,
    meeting_on,
    members_and_alternates,
    user,
)

pytestmark = pytest.mark.django_db


def test_g3_the_demo_month_without_a_meeting_is_flagged(omt):

    today = in_days(0)
    year, month = today.year, today.month - 4  # the demo skips the month four months ago
    if month < 1:
        year, month = year - 1, month + 12
    expected = [(year, month)] if year == today.year else []
    assert queries.months_without_meeting(omt, today=today) == expected


def test_g3_a_cancelled_meeting_does_not_count(admin_user):
    # An OMT of its own, so the demo's meetings (made relative to today) play no part.
    omt = Omt.objects.create(country=Country.objects.get(iso_code="JO"))
    january = meeting_on(omt, admin_user, day=date(2027, 1, 14))
    february = meeting_on(omt, admin_user, day=date(2027, 2, 11))
    actions.meeting_cancel(meeting=february, by=admin_user)
    months = queries.months_without_meeting(omt, today=date(2027, 2, 28))
    assert (2027, 2) in months
    assert january.status != MeetingStatus.CANCELLED


def test_g3_a_past_meeting_still_marked_scheduled_does_not_count(admin_user):
    # An OMT of its own, so the demo's meetings (made relative to today) play no part.
    omt = Omt.objects.create(country=Country.objects.get(iso_code="JO"))
    meeting_on(omt, admin_user, day=date(2027, 1, 14))  # nobody recorded it as held
    february = meeting_on(omt, admin_user, day=date(2027, 2, 11))
    Meeting.objects.filter(pk=february.pk).update(status=MeetingStatus.HELD)  # attended
    meeting_on(omt, admin_user, day=date(2027, 3, 18))  # still ahead: planned, it counts
    assert queries.months_without_meeting(omt, today=date(2027, 3, 10)) == [(2027, 1)]


def test_g8_a_new_meeting_starts_with_the_standard_agenda_and_open_actions(omt, secretary):
    meeting = meeting_on(omt, secretary)
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Review of the last minutes and follow-up actions",
                      "Review of the work plan and progress",
                      "Recommendations and requests to the UNCT", "Any other business"]
    first = meeting.agenda_items.get(position=1)
    open_action = omt.actions.filter(status=ActionStatus.OPEN).first()
    assert open_action.title in first.notes


def test_g9_a_retreat_prepares_the_annual_report_and_next_work_plan(omt, secretary):
    meeting = meeting_on(omt, secretary, kind="retreat")
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert "Annual activity report" in titles and "Next year's work plan" in titles


def test_a_new_agenda_item_goes_before_any_other_business(omt, secretary):
    meeting = meeting_on(omt, secretary)
    actions.agenda_item_create(by=secretary, data={"title": "Security update", "meeting": meeting})
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[-2:] == ["Security update", "Any other business"]


def test_agenda_items_can_be_reordered(omt, secretary):
    meeting = meeting_on(omt, secretary)
    last = meeting.agenda_items.get(position=4)
    actions.agenda_item_move(agenda_item=last, by=secretary, up=True)
    assert AgendaItem.objects.get(pk=last.pk).position == 3


def test_g4_an_agenda_sent_on_time_goes_to_every_member_and_alternate_with_an_ics(
        omt, secretary, django_capture_on_commit_callbacks):
    meeting = meeting_on(omt, secretary)  # Thursday 11 March 2027: deadline Monday 8 March
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.agenda_send(meeting=meeting, by=secretary,
                            now=datetime(2027, 3, 8, 16, 0, tzinfo=ZONE))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_SENT and not meeting.agenda_late
    message = mail.outbox[-1]
    assert sorted(message.to) == members_and_alternates(omt)
    name, content, mimetype = message.attachments[0]
    content = content.decode() if isinstance(content, bytes) else content
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "Test meeting" in content


def test_g4_a_late_agenda_is_sent_and_recorded_as_late(omt, secretary):
    meeting = meeting_on(omt, secretary)
    actions.agenda_send(meeting=meeting, by=secretary,
                        now=datetime(2027, 3, 9, 9, 0, tzinfo=ZONE))
    meeting.refresh_from_db()
    assert meeting.agenda_late


def test_g4_sending_an_agenda_twice_is_refused(omt, secretary):
    meeting = meeting_on(omt, secretary)
    actions.agenda_send(meeting=meeting, by=secretary,
                        now=datetime(2027, 3, 1, 9, 0, tzinfo=ZONE))
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="already sent"):
        actions.agenda_send(meeting=meeting, by=secretary)
    assert mail.outbox == []


def test_a_held_meeting_cannot_be_cancelled(omt, secretary):
    meeting = omt.meetings.filter(status=MeetingStatus.HELD).first()
    with pytest.raises(ValidationError, match="not yet held"):
        actions.meeting_cancel(meeting=meeting, by=secretary)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def test_an_outsider_cannot_schedule_in_viet_nam(omt, outsider):
    with pytest.raises(PermissionDenied):
        meeting_on(omt, outsider)
    assert not Meeting.objects.filter(title="Test meeting").exists()


def test_every_governance_write_is_in_the_audit_trail(omt, secretary):
    meeting = meeting_on(omt, secretary)
    assert AuditEntry.objects.filter(content_type__model="meeting", object_id=str(meeting.pk),
                                     action="create", actor=secretary).exists()
    assert AuditEntry.objects.filter(content_type__model="agendaitem",
                                     object_id__in=[str(pk) for pk in meeting.agenda_items
                                                    .values_list("pk", flat=True)]).count() == 4


def test_g5_an_agency_counts_once_whether_member_or_alternate_attends(omt, secretary):
    meeting = meeting_on(omt, secretary)
    seat = Membership.objects.get(omt=omt, agency__acronym="FAO")
    actions.attendance_create(by=secretary, data={
        "meeting": meeting, "capacity": "member", "person": seat.member})
    actions.attendance_create(by=secretary, data={
        "meeting": meeting, "capacity": "alternate", "person": seat.alternate})
    state = queries.quorum(meeting)
    assert (state.member_count, state.present, state.required) == (12, 1, 7)
    assert not state.quorate


def test_g5_quorum_needs_more_than_half_of_the_member_agencies(omt, secretary):
    meeting = meeting_on(omt, secretary)
    seats = list(Membership.objects.filter(omt=omt).order_by("pk"))
    for seat in seats[:6]:
        actions.attendance_create(by=secretary, data={
            "meeting": meeting, "capacity": "member", "person": seat.member})
    assert not queries.quorum(meeting).quorate
    actions.attendance_create(by=secretary, data={
        "meeting": meeting, "capacity": "member", "person": seats[6].member})
    assert queries.quorum(meeting).quorate


def test_g5_attendance_of_someone_not_member_or_alternate_is_refused(omt, secretary):
    meeting = meeting_on(omt, secretary)
    with pytest.raises(ValidationError, match="not a member"):
        actions.attendance_create(by=secretary, data={
            "meeting": meeting, "capacity": "member", "person": user("vn-staff")})
    guest = actions.attendance_create(by=secretary, data={
        "meeting": meeting, "capacity": "guest", "person": user("vn-staff")})
    assert guest.agency.acronym == "UNESCO"
    assert queries.quorum(meeting).present == 0


def test_g5_the_demo_has_a_meeting_without_quorum_whose_decisions_are_marked(viet_nam):
    marked = Minutes.objects.filter(country=viet_nam, items__without_quorum=True).distinct()
    assert marked.count() >= 1
    assert not queries.quorum(marked.first().meeting).quorate
