"""Every change to OMT governance. Pages, API, tasks and the demo call these.

Each action checks `by` through `core.access`, applies the rules of `governance.rules`,
validates and saves in one transaction; e-mails go out after the commit. A rule broken
raises ValidationError with a sentence for the person; nothing is changed then.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.models import Agency, Country, RoleAssignment, User
from commonops.core.roles import Perm, Role
from commonops.governance import notifications, rules
from commonops.governance.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPaper,
    Attendance,
    AttendanceCapacity,
    ChairRole,
    ChairTerm,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesStatus,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
    UnctDecisionKind,
)


class EditConflict(Exception):
    """Someone else saved the same text since it was opened (optimistic locking)."""

    def __init__(self, current):
        super().__init__(_("Someone else saved this in the meantime."))
        self.current = current


def _require(by, perm: str, country) -> None:
    if not access.can(by, perm, country):
        raise PermissionDenied(_("Your roles do not allow this."))


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _meeting_day(meeting: Meeting) -> date:
    from zoneinfo import ZoneInfo

    return timezone.localtime(meeting.starts_at, ZoneInfo(meeting.country.time_zone)).date()


def _today_in(country: Country, now: datetime) -> date:
    from zoneinfo import ZoneInfo

    return timezone.localtime(now, ZoneInfo(country.time_zone)).date()


# --- the OMT, its members and chairs ---------------------------------------------------------


@audited_action
def omt_create(*, country: Country, by, data: dict | None = None) -> Omt:
    _require(by, Perm.GOVERN, country)
    omt = Omt(country=country, **(data or {}))
    return _save(omt)


@audited_action
def omt_update(*, omt: Omt, by, data: dict) -> Omt:
    _require(by, Perm.GOVERN, omt.country_id)
    for name, value in data.items():
        setattr(omt, name, value)
    return _save(omt)


def _sync_roles(omt: Omt, today: date) -> None:
    """Membership and current chair terms give the roles that carry their rights."""
    wanted: set[tuple[int, str]] = set()
    for member_id, alternate_id in omt.memberships.values_list("member_id", "alternate_id"):
        wanted.add((member_id, Role.OMT_MEMBER))
        if alternate_id:
            wanted.add((alternate_id, Role.OMT_ALTERNATE))
    for person_id, role in omt.chair_terms.filter(starts_on__lte=today, ends_on__gte=today) \
            .values_list("person_id", "role"):
        wanted.add((person_id, Role.OMT_CHAIR if role == ChairRole.CHAIR else Role.OMT_CO_CHAIR))
    roles = (Role.OMT_MEMBER, Role.OMT_ALTERNATE, Role.OMT_CHAIR, Role.OMT_CO_CHAIR)
    have = {(a.user_id, a.role): a for a in RoleAssignment.objects.filter(
        country_id=omt.country_id, role__in=roles)}
    for key, assignment in have.items():
        if key not in wanted:
            assignment.delete()
    for user_id, role in wanted - set(have):
        RoleAssignment.objects.create(user_id=user_id, role=role, country_id=omt.country_id)
    for user in User.objects.filter(pk__in={u for u, _r in wanted | set(have)}):
        access.forget(user)


def _present_agency_ids(country_id) -> set[int]:
    from commonops.core.models import AgencyPresence

    return set(AgencyPresence.objects.filter(country_id=country_id)
               .values_list("agency_id", flat=True))


@audited_action
def membership_save(*, omt: Omt, by, data: dict, membership: Membership | None = None,
                    today: date | None = None) -> Membership:
    """G1: one member per agency, with a designated alternate (flagged when missing)."""
    _require(by, Perm.GOVERN, omt.country_id)
    membership = membership or Membership(omt=omt, country_id=omt.country_id)
    for name, value in data.items():
        setattr(membership, name, value)
    if membership.agency_id not in _present_agency_ids(omt.country_id):
        raise ValidationError({"agency": _("This agency is not present in the country.")})
    _save(membership)
    _sync_roles(omt, today or timezone.localdate())
    return membership


@audited_action
def membership_end(*, membership: Membership, by, today: date | None = None) -> None:
    _require(by, Perm.GOVERN, membership.country_id)
    omt = membership.omt
    membership.delete()
    _sync_roles(omt, today or timezone.localdate())


@audited_action
def chair_term_record(*, omt: Omt, by, role: str, agency: Agency, person: User,
                      starts_on: date, ends_on: date | None = None,
                      decision: UnctDecision | None = None,
                      term: ChairTerm | None = None, today: date | None = None) -> ChairTerm:
    """G2: record a term decided by the UNCT. The co-chair's agency differs from the chair's
    in every overlapping term; one chair and one co-chair at a time."""
    _require(by, Perm.GOVERN, omt.country_id)
    if decision is not None and decision.country_id != omt.country_id:
        raise ValidationError({"decision": _("The decision must be this country's UNCT's.")})
    ends_on = ends_on or rules.default_term_end(starts_on)
    term = term or ChairTerm(omt=omt, country_id=omt.country_id)
    term.role, term.agency, term.person = role, agency, person
    term.starts_on, term.ends_on, term.decision = starts_on, ends_on, decision
    others = ChairTerm.objects.filter(omt=omt).exclude(pk=term.pk)
    for other in others:
        if not rules.terms_overlap(starts_on, ends_on, other.starts_on, other.ends_on):
            continue
        if other.role == role:
            raise ValidationError(_("%(term)s already covers part of this period.")
                                  % {"term": other})
        chair_agency, co_agency = ((agency.pk, other.agency_id) if role == ChairRole.CHAIR
                                   else (other.agency_id, agency.pk))
        if not rules.co_chair_allowed(chair_agency, co_agency):
            raise ValidationError({"agency": _(
                "The co-chair must come from another agency than the chair (G2).")})
    if not Membership.objects.filter(omt=omt, agency=agency).exists():
        raise ValidationError({"agency": _("The agency must be a member of the OMT.")})
    _save(term)
    _sync_roles(omt, today or timezone.localdate())
    return term


# --- task forces ----------------------------------------------------------------------------


def _check_task_force(task_force: TaskForce) -> None:
    # G10: the coordinating agency must be an OMT member agency.
    if not Membership.objects.filter(omt_id=task_force.omt_id,
                                     agency_id=task_force.coordinating_agency_id).exists():
        raise ValidationError({"coordinating_agency": _(
            "The coordinating agency must be a member agency of the OMT (G10).")})


@audited_action
def task_force_save(*, omt: Omt, by, data: dict,
                    task_force: TaskForce | None = None) -> TaskForce:
    _require(by, Perm.GOVERN, omt.country_id)
    task_force = task_force or TaskForce(omt=omt, country_id=omt.country_id)
    for name, value in data.items():
        setattr(task_force, name, value)
    task_force.full_clean()
    _check_task_force(task_force)
    task_force.save()
    return task_force


@audited_action
def task_force_member_add(*, task_force: TaskForce, by, person: User,
                          expertise: str = "") -> TaskForceMember:
    _require(by, Perm.GOVERN, task_force.country_id)
    member = TaskForceMember(task_force=task_force, country_id=task_force.country_id,
                             person=person, expertise=expertise)
    _save(member)
    RoleAssignment.objects.get_or_create(user=person, role=Role.TASK_FORCE_MEMBER,
                                         country_id=task_force.country_id)
    access.forget(person)
    return member


@audited_action
def task_force_member_remove(*, member: TaskForceMember, by) -> None:
    _require(by, Perm.GOVERN, member.country_id)
    member.delete()


# --- meetings and agendas -------------------------------------------------------------------


def _open_actions_text(omt: Omt, before: datetime) -> str:
    lines = []
    for action in Action.objects.filter(omt=omt, status=ActionStatus.OPEN,
                                        created_at__lt=before).select_related(
            "owner_person", "owner_agency").order_by("due_on"):
        lines.append(f"- {action.title} ({action.owner}, {action.due_on:%Y-%m-%d})")
    return "\n".join(lines)


@audited_action
def meeting_schedule(*, omt: Omt, by, title: str, starts_at: datetime, ends_at: datetime,
                     kind: str = "regular", location: str = "") -> Meeting:
    """Schedule a meeting with the standard agenda (G8); open actions of earlier meetings are
    listed under the first item. A retreat (G9) adds the annual report and next work plan."""
    _require(by, Perm.GOVERN, omt.country_id)
    meeting = _save(Meeting(omt=omt, country_id=omt.country_id, title=title,
                            starts_at=starts_at, ends_at=ends_at, kind=kind,
                            location=location or omt.default_location))
    titles = [_(t) for t in rules.STANDARD_AGENDA]
    if kind == "retreat":
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
    _require(by, Perm.GOVERN, meeting.country_id)
    for name, value in data.items():
        setattr(meeting, name, value)
    return _save(meeting)


def meeting_may_cancel(meeting: Meeting) -> bool:
    """Only a meeting still ahead of its holding can be cancelled."""
    return meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_SENT)


@audited_action
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    _require(by, Perm.GOVERN, meeting.country_id)
    if not meeting_may_cancel(meeting):
        raise ValidationError(_("Only a meeting not yet held or cancelled can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    return _save(meeting)


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise ValidationError(_("The agenda of a held or cancelled meeting cannot change."))


@audited_action
def agenda_item_save(*, meeting: Meeting, by, data: dict,
                     item: AgendaItem | None = None) -> AgendaItem:
    _require(by, Perm.GOVERN, meeting.country_id)
    _check_agenda_open(meeting)
    if item is None:
        last = meeting.agenda_items.order_by("-position").values_list("position", flat=True)
        # "Any other business" stays last: a new item goes before it.
        position = (last.first() or 0)
        item = AgendaItem(meeting=meeting, country_id=meeting.country_id, position=position)
        AgendaItem.objects.filter(meeting=meeting, position__gte=position).update(
            position=F("position") + 1)
    for name, value in data.items():
        setattr(item, name, value)
    return _save(item)


@audited_action
def agenda_item_move(*, item: AgendaItem, by, up: bool) -> None:
    _require(by, Perm.GOVERN, item.country_id)
    _check_agenda_open(item.meeting)
    siblings = list(AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id)
                    .order_by("position"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    AgendaItem.objects.bulk_update(siblings, ["position"])


@audited_action
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    _require(by, Perm.GOVERN, item.country_id)
    _check_agenda_open(item.meeting)
    item.delete()


@audited_action
def agenda_paper_add(*, item: AgendaItem, by, title: str, file) -> AgendaPaper:
    _require(by, Perm.GOVERN, item.country_id)
    return _save(AgendaPaper(item=item, country_id=item.country_id, title=title, file=file))


def member_recipients(omt: Omt) -> list[User]:
    """Every member and alternate of the OMT (G4: the agenda goes to all of them)."""
    ids = set()
    for member_id, alternate_id in omt.memberships.values_list("member_id", "alternate_id"):
        ids.add(member_id)
        if alternate_id:
            ids.add(alternate_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@audited_action
def agenda_send(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """G4: send the agenda to every member and alternate with an iCalendar invitation.
    A late agenda is sent all the same, and recorded as late. Sending twice is refused."""
    _require(by, Perm.GOVERN, meeting.country_id)
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().select_related("country", "omt").get(
        pk=meeting.pk)
    if meeting.agenda_sent_at is not None:
        raise ValidationError(_("The agenda was already sent on %(day)s.")
                              % {"day": f"{meeting.agenda_sent_at:%Y-%m-%d}"})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    calendar = meeting.country.calendar()
    meeting.agenda_late = not rules.agenda_on_time(_today_in(meeting.country, now),
                                                  _meeting_day(meeting), calendar)
    meeting.agenda_sent_at = now
    meeting.status = MeetingStatus.AGENDA_SENT
    meeting.ics_sequence += 1
    _save(meeting)
    recipients = member_recipients(meeting.omt)
    transaction.on_commit(lambda: notifications.send_agenda(meeting, recipients))
    return meeting


# --- attendance and quorum ------------------------------------------------------------------


@audited_action
def attendance_record(*, meeting: Meeting, by, capacity: str, status: str = "present",
                      person: User | None = None, guest_name: str = "") -> Attendance:
    """G5: members and alternates attend for their agency; anyone else is a guest."""
    _require(by, Perm.GOVERN, meeting.country_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    agency = None
    if capacity in (AttendanceCapacity.MEMBER, AttendanceCapacity.ALTERNATE):
        field = "member" if capacity == AttendanceCapacity.MEMBER else "alternate"
        seat = Membership.objects.filter(omt_id=meeting.omt_id, **{field: person}).first() \
            if person is not None else None
        if seat is None:
            raise ValidationError({"person": _(
                "%(person)s is not a %(capacity)s of this OMT; record them as a guest.")
                % {"person": person or _("Nobody"),
                   "capacity": AttendanceCapacity(capacity).label.lower()}})
        agency = seat.agency
    elif person is not None:
        agency = person.agency
    attendance = Attendance(meeting=meeting, country_id=meeting.country_id,
                            capacity=capacity, status=status, person=person, agency=agency,
                            guest_name=guest_name)
    _save(attendance)
    if meeting.status != MeetingStatus.HELD and meeting.starts_at <= timezone.now():
        Meeting.objects.filter(pk=meeting.pk).exclude(
            status=MeetingStatus.CANCELLED).update(status=MeetingStatus.HELD)
    return attendance


@audited_action
def attendance_record_list(*, meeting: Meeting, by, rows) -> list[Attendance]:
    """G5: a whole attendance list in one transaction: `rows` holds (capacity, person,
    status) for each member or alternate; all are recorded or none."""
    return [attendance_record(meeting=meeting, by=by, capacity=capacity, status=status,
                              person=person) for capacity, person, status in rows]


@audited_action
def attendance_remove(*, attendance: Attendance, by) -> None:
    _require(by, Perm.GOVERN, attendance.country_id)
    attendance.delete()


# --- minutes --------------------------------------------------------------------------------


def minutes_may_circulate(minutes: Minutes) -> bool:
    """G6: a first draft is circulated; a correction goes straight to finalisation."""
    return minutes.status == MinutesStatus.DRAFT and minutes.corrects_id is None


def minutes_may_finalise(minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.CIRCULATED or (
        minutes.status == MinutesStatus.DRAFT and minutes.corrects_id is not None)


def minutes_may_share(minutes: Minutes) -> bool:
    return minutes.status == MinutesStatus.FINALISED


def _check_editable(minutes: Minutes) -> None:
    # Read the state from the database: the caller's object may predate a status change.
    minutes = Minutes.objects.only("status").get(pk=minutes.pk)
    if minutes.is_read_only:
        raise ValidationError(_("Finalised minutes are read-only; make a correction instead "
                                "(G6)."))


@audited_action
def minutes_start(*, meeting: Meeting, by) -> Minutes:
    """Draft minutes with one item per agenda item (G7: matters by agenda item)."""
    _require(by, Perm.GOVERN, meeting.country_id)
    if meeting.minutes.exists():
        raise ValidationError(_("This meeting already has minutes."))
    minutes = _save(Minutes(meeting=meeting, country_id=meeting.country_id))
    MinutesItem.objects.bulk_create([
        MinutesItem(minutes=minutes, country_id=meeting.country_id, position=item.position,
                    title=item.title)
        for item in meeting.agenda_items.order_by("position")
    ])
    return minutes


@audited_action
def minutes_item_save(*, item: MinutesItem, by, data: dict, revision: int) -> MinutesItem:
    """Save an item's discussion and decisions. Refused with EditConflict when someone else
    saved the item since `revision` was read: nobody's text is overwritten unseen."""
    _require(by, Perm.GOVERN, item.country_id)
    _check_editable(item.minutes)
    # A conditional update claims the revision: of two saves from the same revision, only
    # the first matches the row.
    claimed = MinutesItem.objects.filter(pk=item.pk, revision=revision).update(
        revision=F("revision") + 1)
    if not claimed:
        raise EditConflict(MinutesItem.objects.get(pk=item.pk))
    item.refresh_from_db(fields=["revision"])
    for name, value in data.items():
        setattr(item, name, value)
    # G5: decisions recorded for a meeting without quorum are marked, from the attendance.
    from commonops.governance.queries import quorum

    quorate = quorum(Minutes.objects.get(pk=item.minutes_id).meeting).quorate
    item.without_quorum = bool(item.decisions.strip()) and not quorate
    return _save(item)


@audited_action
def minutes_item_add(*, minutes: Minutes, by, title: str) -> MinutesItem:
    _require(by, Perm.GOVERN, minutes.country_id)
    _check_editable(minutes)
    last = minutes.items.order_by("-position").values_list("position", flat=True).first() or 0
    return _save(MinutesItem(minutes=minutes, country_id=minutes.country_id,
                             position=last + 1, title=title))


@audited_action
def action_create(*, omt: Omt, by, title: str, due_on: date | None,
                  owner_person: User | None = None, owner_agency: Agency | None = None,
                  minutes_item: MinutesItem | None = None, meeting: Meeting | None = None,
                  task_force: TaskForce | None = None) -> Action:
    """G7: one responsible (a person or an agency) and a deadline, or it is rejected."""
    _require(by, Perm.GOVERN, omt.country_id)
    problems = rules.action_problems(owner_person_id=getattr(owner_person, "pk", None),
                                     owner_agency_id=getattr(owner_agency, "pk", None),
                                     due=due_on)
    errors = {}
    if "owner" in problems:
        errors["owner_person"] = _("Name the person or the agency responsible (G7).")
    if "one_owner" in problems:
        errors["owner_agency"] = _("Name one responsible: a person or an agency, not both.")
    if "due" in problems:
        errors["due_on"] = _("Give the deadline (G7).")
    if errors:
        raise ValidationError(errors)
    for source in (minutes_item, meeting, task_force):
        if source is not None and _omt_id_of(source) != omt.pk:
            raise ValidationError(_("The action must come from this OMT's own meetings and "
                                    "task forces."))
    if minutes_item is not None:
        _check_editable(minutes_item.minutes)
        meeting = minutes_item.minutes.meeting
    return _save(Action(omt=omt, country_id=omt.country_id, title=title, due_on=due_on,
                        owner_person=owner_person, owner_agency=owner_agency,
                        minutes_item=minutes_item, meeting=meeting, task_force=task_force))


def _omt_id_of(source) -> int:
    if isinstance(source, MinutesItem):
        return source.minutes.meeting.omt_id
    return source.omt_id


@audited_action
def action_update(*, action: Action, by, data: dict) -> Action:
    """Change an open action's text, responsible or deadline (still G7)."""
    _require(by, Perm.GOVERN, action.country_id)
    if action.status == ActionStatus.DONE:
        raise ValidationError(_("A done action is not changed."))
    for name, value in data.items():
        setattr(action, name, value)
    problems = rules.action_problems(owner_person_id=action.owner_person_id,
                                     owner_agency_id=action.owner_agency_id,
                                     due=action.due_on)
    if problems:
        raise ValidationError(_("An action has one responsible (a person or an agency) and "
                                "a deadline (G7)."))
    return _save(action)


@audited_action
def minutes_update(*, minutes: Minutes, by, data: dict) -> Minutes:
    """Change the summary of minutes that are not final."""
    _require(by, Perm.GOVERN, minutes.country_id)
    _check_editable(minutes)
    minutes.summary = data.get("summary", minutes.summary)
    return _save(minutes)


def action_may_complete(by, action: Action) -> bool:
    if access.can(by, Perm.GOVERN, action.country_id):
        return True
    if action.owner_person_id == by.pk:
        return True
    return action.owner_agency_id is not None and Membership.objects.filter(
        omt_id=action.omt_id, agency_id=action.owner_agency_id, member=by).exists()


@audited_action
def action_complete(*, action: Action, by, note: str, today: date | None = None) -> Action:
    """Done, with a note on how. The owner (or the OMT's chair or secretary) closes it."""
    if not action_may_complete(by, action):
        raise PermissionDenied(_("Only the person responsible or the OMT's chair or secretary "
                                 "may close this action."))
    if action.status == ActionStatus.DONE:
        raise ValidationError(_("This action is already done."))
    if not note.strip():
        raise ValidationError({"done_note": _("Say how it was done.")})
    action.status = ActionStatus.DONE
    action.done_on = today or timezone.localdate()
    action.done_note = note
    return _save(action)


@audited_action
def minutes_circulate(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """G6: circulate the draft to members for comments; late circulation is recorded."""
    _require(by, Perm.GOVERN, minutes.country_id)
    now = now or timezone.now()
    minutes = Minutes.objects.select_for_update().select_related(
        "meeting", "country", "meeting__omt").get(pk=minutes.pk)
    if not minutes_may_circulate(minutes):
        raise ValidationError(_("Only a first draft is circulated; a correction is "
                                "finalised directly."))
    today = _today_in(minutes.country, now)
    calendar = minutes.country.calendar()
    minutes.circulated_late = not rules.minutes_circulated_on_time(
        today, _meeting_day(minutes.meeting))
    minutes.comments_until = rules.comment_deadline(today, calendar,
                                                    minutes.meeting.omt.comment_period_days)
    minutes.circulated_at = now
    minutes.status = MinutesStatus.CIRCULATED
    _save(minutes)
    recipients = member_recipients(minutes.meeting.omt)
    transaction.on_commit(lambda: notifications.send_minutes_circulated(minutes, recipients))
    return minutes


@audited_action
def minutes_comment(*, item: MinutesItem, by, text: str,
                    reply_to: MinutesComment | None = None,
                    today: date | None = None) -> MinutesComment:
    """G6: members and alternates comment on circulated minutes during the comment period."""
    _require(by, Perm.COMMENT_MINUTES, item.country_id)
    minutes = Minutes.objects.select_related("country").get(pk=item.minutes_id)
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Comments are taken only while the minutes are circulated."))
    today = today or _today_in(minutes.country, timezone.now())
    if not rules.may_comment(today, minutes.comments_until):
        raise ValidationError(_("The comment period ended on %(day)s.")
                              % {"day": f"{minutes.comments_until:%Y-%m-%d}"})
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    if reply_to is not None and reply_to.item_id != item.pk:
        raise ValidationError({"reply_to": _("Reply within the same item.")})
    return _save(MinutesComment(item=item, country_id=item.country_id, author=by, text=text,
                                reply_to=reply_to))


@audited_action
def minutes_finalise(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """G6: the secretary finalises the minutes; from then on they are read-only."""
    _require(by, Perm.GOVERN, minutes.country_id)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status not in (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED):
        raise ValidationError(_("These minutes are already finalised."))
    if not minutes_may_finalise(minutes):
        raise ValidationError(_("Circulate the minutes for comments before finalising (G6)."))
    minutes.status = MinutesStatus.FINALISED
    minutes.finalised_at = now or timezone.now()
    minutes.finalised_by = by
    return _save(minutes)


@audited_action
def minutes_share(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """G6: share finalised minutes with the UNCT (the RC and the heads of agency)."""
    _require(by, Perm.GOVERN, minutes.country_id)
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if not minutes_may_share(minutes):
        raise ValidationError(_("Only finalised minutes not yet shared can be shared."))
    minutes.status = MinutesStatus.SHARED
    minutes.shared_at = now or timezone.now()
    _save(minutes)
    recipients = list(User.objects.filter(
        role_assignments__country_id=minutes.country_id,
        role_assignments__role__in=[Role.RC, Role.UNCT_MEMBER], is_active=True).distinct())
    transaction.on_commit(lambda: notifications.send_minutes_shared(minutes, recipients))
    return minutes


@audited_action
def minutes_correct(*, minutes: Minutes, by) -> Minutes:
    """G6: a correction to finalised minutes is a new version; the old one stays as it was."""
    _require(by, Perm.GOVERN, minutes.country_id)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_read_only:
        raise ValidationError(_("Only finalised minutes are corrected; edit the draft."))
    if Minutes.objects.filter(corrects=minutes).exists():
        raise ValidationError(_("A correction of this version already exists."))
    new = _save(Minutes(meeting_id=minutes.meeting_id, country_id=minutes.country_id,
                        version=minutes.version + 1, corrects=minutes,
                        summary=minutes.summary))
    MinutesItem.objects.bulk_create([
        MinutesItem(minutes=new, country_id=item.country_id, position=item.position,
                    title=item.title, discussion=item.discussion, decisions=item.decisions,
                    without_quorum=item.without_quorum)
        for item in minutes.items.order_by("position")
    ])
    return new


# --- escalations and UNCT decisions ---------------------------------------------------------


@audited_action
def escalation_raise(*, omt: Omt, by, subject: str, positions: str,
                     minutes_item: MinutesItem | None = None) -> Escalation:
    """G11: any OMT member may take a disagreement to the UNCT."""
    _require(by, Perm.COMMENT_MINUTES, omt.country_id)
    if minutes_item is not None and minutes_item.minutes.meeting.omt_id != omt.pk:
        raise ValidationError({"minutes_item": _("The item must be from this OMT's minutes.")})
    return _save(Escalation(omt=omt, country_id=omt.country_id, subject=subject,
                            positions=positions, raised_by=by, minutes_item=minutes_item))


@audited_action
def unct_decision_record(*, country: Country, by, kind: str, decided_on: date, subject: str,
                         text: str) -> UnctDecision:
    _require(by, Perm.UNCT_DECIDE, country)
    return _save(UnctDecision(country=country, kind=kind, decided_on=decided_on,
                              subject=subject, text=text))


@audited_action
def escalation_decide(*, escalation: Escalation, by, decided_on: date,
                      text: str) -> Escalation:
    """G11: the UNCT decides; the decision is recorded and closes the escalation."""
    _require(by, Perm.UNCT_DECIDE, escalation.country_id)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status == EscalationStatus.DECIDED:
        raise ValidationError(_("The UNCT has already decided this escalation."))
    escalation.decision = unct_decision_record(
        country=escalation.country, by=by, kind=UnctDecisionKind.ESCALATION,
        decided_on=decided_on, subject=escalation.subject, text=text)
    escalation.status = EscalationStatus.DECIDED
    return _save(escalation)

