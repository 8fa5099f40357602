"""Background work of OMT governance: the reminder e-mails.

`send_reminders(now=...)` is what a scheduler (cron, a task queue) or the `send_reminders`
management command runs, as often as it likes and from as many workers as it likes: each
reminder goes out once. The kinds, each counted in the result:

- `agenda_due`: a meeting's agenda is not sent and its G4 deadline is within two working
  days (rules.agenda_reminder_due), to the OMT secretary, the chair and the co-chair;
- `minutes_circulation_due`: draft minutes whose G6 circulation deadline (seven days after
  the meeting) is within two days or has passed, to the secretary;
- `comment_period_closing`: circulated minutes whose comment period ends today or on the
  next working day, to each member and alternate who has not commented;
- `action_due_soon` / `action_overdue`: an open action due within three days, and one past
  its deadline, to the person responsible or, for an agency, its OMT member.

A reminder is about an object on a date: the meeting's day for an agenda, the deadline
for an action (`meeting:<id>:<day>`, `action:<id>:<deadline>`), so when a meeting or an
action moves, its reminders go out again for the new date.

Dates are read in each country's time zone and working calendar. The database narrows the
candidates by date; the rules of `governance.rules` decide about each one.
"""

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import translation
from django.utils.translation import gettext as _

from commonops.core.audit import audit_context
from commonops.core.models import PublicHoliday, User
from commonops.governance import notifications, queries, rules
from commonops.governance.models import (
    Action,
    ActionStatus,
    ChairRole,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesComment,
    MinutesStatus,
    Omt,
    ReminderSent,
)

logger = logging.getLogger(__name__)

AGENDA_DUE = "agenda_due"
MINUTES_CIRCULATION_DUE = "minutes_circulation_due"
COMMENT_PERIOD_CLOSING = "comment_period_closing"
ACTION_DUE_SOON = "action_due_soon"
ACTION_OVERDUE = "action_overdue"
KINDS = (AGENDA_DUE, MINUTES_CIRCULATION_DUE, COMMENT_PERIOD_CLOSING, ACTION_DUE_SOON,
         ACTION_OVERDUE)

# Draft minutes are recalled to the secretary from two days before the G6 deadline.
MINUTES_REMINDER_DAYS = 2


def send_reminders(*, now: datetime) -> dict[str, int]:
    """Send every reminder due at `now` that has not gone out yet; the count of each kind.

    Run it outside a transaction (as the command and a task worker do): each claim then
    commits before its e-mail leaves, which is what keeps a second worker from sending it.
    """
    counts = dict.fromkeys(KINDS, 0)
    with audit_context(source="task"), translation.override(settings.LANGUAGE_CODE):
        omts = list(Omt.objects.select_related("country", "secretary"))
        holidays = defaultdict(list)
        for country_id, day in PublicHoliday.objects.filter(
                country__in=[omt.country_id for omt in omts]).values_list("country_id", "day"):
            holidays[country_id].append(day)
        for omt in omts:
            reminders = _Reminders(omt=omt, now=now, holidays=holidays[omt.country_id],
                                   counts=counts)
            reminders.agendas_due()
            reminders.minutes_to_circulate()
            reminders.comment_periods_closing()
            reminders.actions_due()
    return counts


def _claim(kind: str, key: str, recipient: User) -> bool:
    """Take the right to send one reminder; False when another run already has it.

    The unique (kind, key, recipient) constraint is the lock. Two workers that reach the same
    reminder at once both insert the row; the database lets exactly one insert succeed (on
    PostgreSQL the second waits for the first to commit, on SQLite the write lock queues
    them) and the other gets IntegrityError and skips it. A read-then-insert check would
    let both through. The savepoint keeps the failed insert from breaking the surrounding
    transaction, if there is one.
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, key=key, recipient=recipient)
    except IntegrityError:
        return False
    return True


def _release(kind: str, key: str, recipient: User) -> None:
    ReminderSent.objects.filter(kind=kind, key=key, recipient=recipient).delete()


def _not_yet_sent(queryset, *, kind, key, recipient):
    """Leave out the rows whose reminder already went out (`kind`, `key` and `recipient` are
    values or expressions of the row). Overdue actions and late minutes stay candidates until they
    are closed; without this each run would try their claims again. Only an optimisation:
    the claim is what makes a reminder go out once."""
    return queryset.annotate(reminder_key=key).filter(~Exists(ReminderSent.objects.filter(
        kind=kind, key=OuterRef("reminder_key"), recipient_id=recipient)))


class _Reminders:
    """The reminders of one OMT on one day, in its country's calendar."""

    def __init__(self, *, omt: Omt, now: datetime, holidays: list[date],
                 counts: dict[str, int]):
        self.omt, self.counts = omt, counts
        self.zone = ZoneInfo(omt.country.time_zone)
        self.calendar = omt.country.calendar(holidays=holidays)
        self.today = omt.country.local_date(now)

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=self.zone)

    def _local_day(self, moment: datetime) -> date:
        return self.omt.country.local_date(moment)

    def _send(self, kind: str, key: str, recipients, *, subject: str, body: str,
              path: str) -> None:
        for recipient in recipients:
            if not (recipient and recipient.is_active and recipient.email):
                continue
            # Claim, then send: a worker that dies in between loses that one reminder.
            # Never twice is the promise; at most once is its price.
            if not _claim(kind, key, recipient):
                continue
            try:
                sent = notifications.send_reminder(recipient, subject, body, path)
            except Exception:  # a bad address or a mail server down must not stop the others
                logger.exception("Reminder %s %s to %s failed", kind, key, recipient.pk)
                sent = 0
            if sent:
                self.counts[kind] += 1
            else:
                # Nothing went out: give the claim back so that the next run tries again.
                _release(kind, key, recipient)

    # -- G4: the agenda ---------------------------------------------------------------

    def agendas_due(self) -> None:
        # A meeting whose G4 deadline is at most two working days ahead is at most five
        # working days ahead; the rule decides about those few.
        last_day = self.calendar.add_working_days(
            self.today, rules.AGENDA_REMINDER_WORKING_DAYS + rules.AGENDA_NOTICE_WORKING_DAYS)
        meetings = Meeting.objects.filter(
            omt=self.omt, status=MeetingStatus.SCHEDULED, agenda_sent_at__isnull=True,
            starts_at__gte=self._start_of(self.today),
            starts_at__lt=self._start_of(last_day + timedelta(days=1)),
        ).order_by("starts_at")
        due = [(meeting, self._local_day(meeting.starts_at)) for meeting in meetings]
        due = [(meeting, day) for meeting, day in due if rules.agenda_reminder_due(
            today=self.today, meeting_day=day, calendar=self.calendar, sent=False)]
        if not due:
            return
        terms = queries.current_terms(self.omt, today=self.today)
        recipients = _distinct([self.omt.secretary]
                               + [terms[role].person for role in ChairRole if role in terms])
        for meeting, day in due:
            deadline = rules.agenda_deadline(day, self.calendar)
            self._send(
                AGENDA_DUE, f"meeting:{meeting.pk}:{day:%Y-%m-%d}", recipients,
                subject=_("Reminder: send the agenda of %(meeting)s by %(deadline)s") % {
                    "meeting": meeting.title, "deadline": f"{deadline:%Y-%m-%d}"},
                body=_("The agenda of %(meeting)s on %(day)s has not been sent yet. It is due "
                       "to every member and alternate three working days before the "
                       "meeting, by %(deadline)s (G4).") % {
                    "meeting": meeting.title, "day": f"{day:%Y-%m-%d}",
                    "deadline": f"{deadline:%Y-%m-%d}"},
                path=meeting.get_absolute_url())

    # -- G6: the minutes --------------------------------------------------------------

    def minutes_to_circulate(self) -> None:
        secretary = self.omt.secretary
        if secretary is None:
            return
        # The deadline (meeting day + 7) is at most MINUTES_REMINDER_DAYS ahead, or past,
        # for a meeting on or before this day.
        latest_meeting_day = self.today + timedelta(
            days=MINUTES_REMINDER_DAYS - rules.MINUTES_CIRCULATION_DAYS)
        drafts = _not_yet_sent(
            Minutes.objects.filter(
                meeting__omt=self.omt, status=MinutesStatus.DRAFT, corrects__isnull=True,
                meeting__starts_at__lt=self._start_of(latest_meeting_day + timedelta(days=1)))
            .exclude(meeting__status=MeetingStatus.CANCELLED),
            kind=MINUTES_CIRCULATION_DUE, recipient=secretary.pk,
            key=Concat(Value("minutes:"), Cast("pk", CharField()), output_field=CharField()),
        ).select_related("meeting").order_by("meeting__starts_at")
        for minutes in drafts:
            day = self._local_day(minutes.meeting.starts_at)
            deadline = rules.minutes_circulation_deadline(day)
            values = {"meeting": minutes.meeting.title, "day": f"{day:%Y-%m-%d}",
                      "deadline": f"{deadline:%Y-%m-%d}"}
            if deadline < self.today:
                subject = _("Overdue: circulate the draft minutes of %(meeting)s (due "
                            "%(deadline)s)") % values
                body = _("The draft minutes of %(meeting)s (%(day)s) were due to members for "
                         "comments by %(deadline)s, seven days after the meeting (G6). "
                         "Please circulate them now; the delay is recorded.") % values
            else:
                subject = _("Reminder: circulate the draft minutes of %(meeting)s by "
                            "%(deadline)s") % values
                body = _("The draft minutes of %(meeting)s (%(day)s) are due to members for "
                         "comments by %(deadline)s, seven days after the meeting (G6).") % values
            self._send(MINUTES_CIRCULATION_DUE, minutes.reminder_key, [secretary],
                       subject=subject, body=body, path=minutes.get_absolute_url())

    def comment_periods_closing(self) -> None:
        closing = list(Minutes.objects.filter(
            meeting__omt=self.omt, status=MinutesStatus.CIRCULATED,
            comments_until__gte=self.today,
            comments_until__lte=self.calendar.add_working_days(self.today, 1),
        ).select_related("meeting").order_by("comments_until", "pk"))
        if not closing:
            return
        members = queries.member_recipients(self.omt)
        commented = set(MinutesComment.objects.filter(item__minutes__in=closing)
                        .values_list("item__minutes_id", "author_id"))
        for minutes in closing:
            values = {"meeting": minutes.meeting.title,
                      "day": f"{minutes.comments_until:%Y-%m-%d}"}
            self._send(
                COMMENT_PERIOD_CLOSING, f"minutes:{minutes.pk}",
                [person for person in members if (minutes.pk, person.pk) not in commented],
                subject=_("Reminder: comments on the minutes of %(meeting)s close on %(day)s")
                % values,
                body=_("The draft minutes of %(meeting)s are open for your comments until "
                       "%(day)s (G6). After that the secretary finalises them.") % values,
                path=minutes.get_absolute_url())

    # -- G7: the actions --------------------------------------------------------------

    def actions_due(self) -> None:
        agency_member = Membership.objects.filter(
            omt_id=OuterRef("omt_id"), agency_id=OuterRef("owner_agency_id")).values("member_id")
        soon = self.today + timedelta(days=rules.ACTION_DUE_SOON_DAYS)
        # `state` is the action tracker's (queries.with_state, as rules.action_state):
        # "due_soon" gives action_due_soon, "overdue" action_overdue.
        actions = queries.with_state(Action.objects.filter(
            omt=self.omt, status=ActionStatus.OPEN, due_on__lte=soon), today=self.today)
        actions = _not_yet_sent(
            actions.filter(state__in=["due_soon", "overdue"]).annotate(
                reminder_kind=Concat(Value("action_"), "state", output_field=CharField()),
                reminded_id=Coalesce("owner_person_id", Subquery(agency_member[:1]),
                                     output_field=BigIntegerField())),
            kind=OuterRef("reminder_kind"), recipient=OuterRef("reminded_id"),
            # the deadline is part of the key: moved, the action is reminded of again
            key=Concat(Value("action:"), Cast("pk", CharField()), Value(":"),
                       Cast("due_on", CharField()), output_field=CharField()),
        ).order_by("due_on", "pk")
        actions = list(actions)
        people = User.objects.in_bulk({action.reminded_id for action in actions})
        for action in actions:
            values = {"title": action.title, "day": f"{action.due_on:%Y-%m-%d}"}
            if action.reminder_kind == ACTION_OVERDUE:
                subject = _("Overdue action (deadline %(day)s): %(title)s") % values
                body = _("The action “%(title)s” was due on %(day)s and is still open. "
                         "Please complete it, or say how it was done.") % values
            else:
                subject = _("Reminder: action due on %(day)s: %(title)s") % values
                body = _("The action “%(title)s” is due on %(day)s.") % values
            self._send(action.reminder_kind, action.reminder_key,
                       [people.get(action.reminded_id)], subject=subject, body=body,
                       path=action.get_absolute_url())


def _distinct(people) -> list[User]:
    seen, result = set(), []
    for person in people:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            result.append(person)
    return result
