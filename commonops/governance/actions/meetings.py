"""Meetings (G3), their agenda (G4, G8, G9) and attendance (G5)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import apply_fields, validated_save
from commonops.governance import notifications, queries, rules
from commonops.governance.actions.common import require, without_fixed
from commonops.governance.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPaper,
    Attendance,
    AttendanceCapacity,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesItem,
    Omt,
)

# --- meetings --------------------------------------------------------------------------------


def _open_actions_text(omt: Omt, before: datetime) -> str:
    lines = []
    for action in Action.objects.filter(omt=omt, status=ActionStatus.OPEN,
                                        created_at__lt=before).select_related(
            "owner_person", "owner_agency").order_by("due_on"):
        lines.append(f"- {action.title} ({action.owner}, {action.due_on:%Y-%m-%d})")
    return "\n".join(lines)


@audited_action
def meeting_create(*, by, data: dict) -> Meeting:
    """Schedule a meeting with the standard agenda (G8); open actions of earlier meetings are
    listed under the first item. A retreat (G9) adds the annual report and next work plan.
    Without a place, the meeting is at the OMT's usual one."""
    omt = data["omt"]
    require(by, Perm.GOVERN, omt.country_id)
    data = {**data, "location": data.get("location") or omt.default_location}
    meeting = validated_save(Meeting(country_id=omt.country_id), data)
    titles = [_(t) for t in rules.STANDARD_AGENDA]
    if meeting.kind == MeetingKind.RETREAT:
        titles[2:2] = [_(t) for t in rules.RETREAT_AGENDA]
    open_actions = _open_actions_text(omt, timezone.now())
    AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, country_id=omt.country_id, position=index, title=text,
                   standard=True, notes=open_actions if index == 1 else "")
        for index, text in enumerate(titles, start=1)
    ])
    return meeting


@audited_action
def meeting_update(*, meeting: Meeting, by, data: dict) -> Meeting:
    """Title, kind, times and place; a meeting stays its OMT's."""
    require(by, Perm.GOVERN, meeting.country_id)
    return validated_save(meeting, without_fixed(meeting, data, "omt"))


@audited_action
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    require(by, Perm.GOVERN, meeting.country_id)
    if not rules.may_cancel(queries.meeting_state(meeting, now=timezone.now())):
        raise ValidationError(_("Only a meeting not yet held or cancelled can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    return validated_save(meeting)


@audited_action
def agenda_send(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """G4: send the agenda to every member and alternate with an iCalendar invitation.
    A late agenda is sent all the same, and recorded as late. Sending twice is refused."""
    require(by, Perm.GOVERN, meeting.country_id)
    now = now or timezone.now()
    # The row lock: two people pressing "send" at once send one agenda.
    meeting = Meeting.objects.select_for_update().select_related("country", "omt").get(
        pk=meeting.pk)
    if meeting.agenda_sent_at is not None:
        raise ValidationError(_("The agenda was already sent on %(day)s.")
                              % {"day": f"{meeting.agenda_sent_at:%Y-%m-%d}"})
    if not rules.may_send_agenda(queries.meeting_state(meeting, now=now)):
        raise ValidationError(_("The meeting is cancelled."))
    country = meeting.country
    meeting.agenda_late = not rules.agenda_on_time(
        country.local_date(now), country.local_date(meeting.starts_at), country.calendar())
    meeting.agenda_sent_at = now
    meeting.status = MeetingStatus.AGENDA_SENT
    meeting.ics_sequence += 1
    validated_save(meeting)
    recipients = queries.member_recipients(meeting.omt)
    transaction.on_commit(lambda: notifications.send_agenda(meeting, recipients))
    return meeting


@audited_action
def minutes_start(*, meeting: Meeting, by, now: datetime | None = None) -> Minutes:
    """Draft minutes with one item per agenda item (G7: matters by agenda item)."""
    require(by, Perm.GOVERN, meeting.country_id)
    state = queries.meeting_state(meeting, now=now or timezone.now())
    if state.has_minutes:
        raise ValidationError(_("This meeting already has minutes."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if not rules.may_start_minutes(state):
        local = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.country.time_zone))
        raise ValidationError(_("The minutes are started once the meeting has begun "
                                "(%(when)s).") % {"when": f"{local:%Y-%m-%d %H:%M}"})
    minutes = validated_save(Minutes(meeting=meeting, country_id=meeting.country_id))
    MinutesItem.objects.bulk_create([
        MinutesItem(minutes=minutes, country_id=meeting.country_id, position=item.position,
                    title=item.title)
        for item in meeting.agenda_items.order_by("position")
    ])
    return minutes


# --- the agenda ------------------------------------------------------------------------------


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise ValidationError(_("The agenda of a held or cancelled meeting cannot change."))


@audited_action
def agenda_item_create(*, by, data: dict) -> AgendaItem:
    """A new item goes before "Any other business", which stays last (G8)."""
    meeting = data["meeting"]
    require(by, Perm.GOVERN, meeting.country_id)
    _check_agenda_open(meeting)
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True)
    position = last.first() or 0
    AgendaItem.objects.filter(meeting=meeting, position__gte=position).update(
        position=F("position") + 1)
    return validated_save(AgendaItem(country_id=meeting.country_id, position=position), data)


@audited_action
def agenda_item_update(*, agenda_item: AgendaItem, by, data: dict) -> AgendaItem:
    require(by, Perm.GOVERN, agenda_item.country_id)
    _check_agenda_open(agenda_item.meeting)
    return validated_save(agenda_item, without_fixed(agenda_item, data, "meeting"))


@audited_action
def agenda_item_move(*, agenda_item: AgendaItem, by, up: bool) -> None:
    """One place up or down; the positions of the whole agenda are rewritten under a lock,
    so two moves at once cannot leave two items in the same place."""
    require(by, Perm.GOVERN, agenda_item.country_id)
    _check_agenda_open(agenda_item.meeting)
    siblings = list(AgendaItem.objects.select_for_update()
                    .filter(meeting_id=agenda_item.meeting_id).order_by("position"))
    index = next(i for i, s in enumerate(siblings) if s.pk == agenda_item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    AgendaItem.objects.bulk_update(siblings, ["position"])


@audited_action
def agenda_item_delete(*, agenda_item: AgendaItem, by) -> None:
    require(by, Perm.GOVERN, agenda_item.country_id)
    _check_agenda_open(agenda_item.meeting)
    agenda_item.delete()


@audited_action
def agenda_paper_create(*, by, data: dict) -> AgendaPaper:
    """A paper attached to an agenda item, read by those who may see the meeting."""
    item = data["item"]
    require(by, Perm.GOVERN, item.country_id)
    return validated_save(AgendaPaper(country_id=item.country_id), data)


# --- attendance (G5) -------------------------------------------------------------------------


@audited_action
def attendance_create(*, by, data: dict) -> Attendance:
    """G5: members and alternates attend for their agency; anyone else is a guest. The
    first attendance recorded once the meeting has begun marks it held."""
    meeting = data["meeting"]
    require(by, Perm.GOVERN, meeting.country_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    attendance = Attendance(country_id=meeting.country_id)
    apply_fields(attendance, {"status": "present", "guest_name": "", **data})
    person, capacity = attendance.person, attendance.capacity
    if capacity in (AttendanceCapacity.MEMBER, AttendanceCapacity.ALTERNATE):
        field = "member" if capacity == AttendanceCapacity.MEMBER else "alternate"
        seat = Membership.objects.filter(omt_id=meeting.omt_id, **{field: person}).first() \
            if person is not None else None
        if seat is None:
            raise ValidationError({"person": _(
                "%(person)s is not a %(capacity)s of this OMT; record them as a guest.")
                % {"person": person or _("Nobody"),
                   "capacity": AttendanceCapacity(capacity).label.lower()}})
        attendance.agency = seat.agency
    elif person is not None:
        attendance.agency = person.agency
    validated_save(attendance)
    if meeting.status != MeetingStatus.HELD and meeting.starts_at <= timezone.now():
        Meeting.objects.filter(pk=meeting.pk).exclude(
            status=MeetingStatus.CANCELLED).update(status=MeetingStatus.HELD)
    return attendance


@audited_action
def meeting_record_attendance(*, meeting: Meeting, by, rows) -> list[Attendance]:
    """G5: a whole attendance list in one transaction: `rows` holds (capacity, person,
    status) for each member or alternate; all are recorded or none."""
    return [attendance_create(by=by, data={"meeting": meeting, "capacity": capacity,
                                           "status": status, "person": person})
            for capacity, person, status in rows]


@audited_action
def attendance_delete(*, attendance: Attendance, by) -> None:
    require(by, Perm.GOVERN, attendance.country_id)
    attendance.delete()
