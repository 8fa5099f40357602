"""Reads for OMT governance: the OMT page, quorum, the action tracker, the UNCT update."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from commonops.core.models import User
from commonops.governance import rules
from commonops.governance.models import (
    Action,
    ActionStatus,
    Attendance,
    AttendanceCapacity,
    AttendanceStatus,
    ChairTerm,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesStatus,
    Omt,
)


def today_in(country) -> date:
    """Today in `country` (`Country.today()`). Without a country (a token API caller has
    none chosen) the day is UTC's, never the server's."""
    if country is not None:
        return country.today()
    return timezone.now().date()


def omt_of(country) -> Omt | None:
    return Omt.objects.filter(country=country).select_related("country", "secretary",
                                                              "me_focal_point").first()


def member_recipients(omt: Omt) -> list[User]:
    """Every member and alternate of the OMT (G4: the agenda goes to all of them)."""
    ids = set()
    for member_id, alternate_id in omt.memberships.values_list("member_id", "alternate_id"):
        ids.add(member_id)
        if alternate_id:
            ids.add(alternate_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def meeting_state(meeting: Meeting, *, now: datetime) -> rules.MeetingState:
    """What the meeting steps' rules read. A page that shows the steps annotates
    `has_minutes` so the buttons cost no query each."""
    has_minutes = getattr(meeting, "has_minutes", None)
    if has_minutes is None:
        has_minutes = meeting.minutes.exists()
    return rules.MeetingState(status=meeting.status, starts_at=meeting.starts_at, now=now,
                              agenda_sent=meeting.agenda_sent_at is not None,
                              has_minutes=bool(has_minutes))


def minutes_state(minutes: Minutes, *, today: date) -> rules.MinutesState:
    """What the minutes steps' rules read. A page that shows the steps sets
    `has_correction` from the versions it lists, so the buttons cost no query each."""
    has_correction = getattr(minutes, "has_correction", None)
    if has_correction is None:
        has_correction = Minutes.objects.filter(corrects=minutes).exists()
    return rules.MinutesState(status=minutes.status, today=today,
                              comments_until=minutes.comments_until,
                              is_correction=minutes.corrects_id is not None,
                              has_correction=bool(has_correction))


@dataclass(frozen=True)
class Quorum:
    member_count: int
    present: int  # member agencies present, by member or alternate (counted once)
    required: int
    quorate: bool


def quorum(meeting: Meeting) -> Quorum:
    """G5, computed from the attendance recorded so far (two queries)."""
    members = Membership.objects.filter(omt_id=meeting.omt_id).count()
    present = (Attendance.objects.filter(
        meeting=meeting, status=AttendanceStatus.PRESENT,
        capacity__in=[AttendanceCapacity.MEMBER, AttendanceCapacity.ALTERNATE])
        .values("agency_id").distinct().count())
    return Quorum(members, present, rules.quorum_required(members),
                  rules.has_quorum(members, present))


def months_without_meeting(omt: Omt, *, today: date) -> list[tuple[int, int]]:
    """G3: months of this year so far with no meeting that counts (held, or still ahead),
    counted from the OMT's first meeting (an OMT set up in May owes nothing for January).
    Days are the country's; the rows are a year's meetings at most."""
    country = omt.country
    meetings = Meeting.objects.filter(omt=omt).exclude(status=MeetingStatus.CANCELLED)
    started = meetings.order_by("starts_at").values_list("starts_at", flat=True).first()
    if started is None:
        return []
    since = datetime.combine(date(today.year - 1, 12, 1), datetime.min.time(),
                             tzinfo=timezone.get_current_timezone())
    days = [country.local_date(starts_at) for starts_at, status in meetings.filter(
                starts_at__gte=since, starts_at__lte=since + timedelta(days=400))
            .values_list("starts_at", "status")
            if rules.meeting_counts_for_its_month(
                status=status, day=country.local_date(starts_at), today=today)]
    first = max(date(today.year, 1, 1), country.local_date(started).replace(day=1))
    return rules.months_without_meeting(days, first=first, last=today)


def with_state(actions, *, today: date):
    """Annotate `state` (done, overdue, due_soon, open) in SQL, as rules.action_state does."""
    soon = today + timedelta(days=rules.ACTION_DUE_SOON_DAYS)
    return actions.annotate(state=Case(
        When(status=ActionStatus.DONE, then=Value("done")),
        When(due_on__lt=today, then=Value("overdue")),
        When(due_on__lte=soon, then=Value("due_soon")),
        default=Value("open"), output_field=CharField()))


def action_counts(omt: Omt, *, today: date) -> dict[str, int]:
    soon = today + timedelta(days=rules.ACTION_DUE_SOON_DAYS)
    open_ = Q(status=ActionStatus.OPEN)
    return Action.objects.filter(omt=omt).aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
        due_soon=Count("pk", filter=open_ & Q(due_on__gte=today, due_on__lte=soon)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
    )


def actions_of(user, *, today: date):
    """The open actions a person owns: by name, or through the agency whose member they are."""
    member_agencies = Membership.objects.filter(member=user).values("agency_id")
    return with_state(
        Action.objects.visible_to(user).filter(status=ActionStatus.OPEN).filter(
            Q(owner_person=user) | Q(owner_agency_id__in=member_agencies)),
        today=today,
    ).select_related("owner_person", "owner_agency", "meeting", "country").order_by("due_on")


def current_terms(omt: Omt, *, today: date):
    return {term.role: term for term in ChairTerm.objects.filter(
        omt=omt, starts_on__lte=today, ends_on__gte=today).select_related("agency", "person")}


def omt_overview(omt: Omt, *, today: date) -> dict:
    """Everything the OMT page shows, in a fixed number of queries."""
    memberships = list(omt.memberships.select_related("agency", "member", "alternate"))
    term_history = list(ChairTerm.objects.filter(omt=omt).select_related("agency", "person"))
    return {
        "memberships": memberships,
        "without_alternate": [m for m in memberships if m.alternate_id is None],  # G1
        "terms": current_terms(omt, today=today),
        "term_history": term_history,
        "undecided_terms": [t for t in term_history if t.decision_id is None],  # G2
        "task_forces": omt.task_forces.select_related("coordinating_agency", "chair")
        .annotate(member_count=Count("members")),
        "upcoming": Meeting.objects.filter(omt=omt, starts_at__date__gte=today)
        .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at")[:5],
        "recent": Meeting.objects.filter(omt=omt, starts_at__date__lt=today)
        .order_by("-starts_at")[:6],
        "months_without_meeting": months_without_meeting(omt, today=today),  # G3
        "action_counts": action_counts(omt, today=today),
        "open_escalations": Escalation.objects.filter(omt=omt, status=EscalationStatus.OPEN),
        "late_agendas": Meeting.objects.filter(omt=omt, agenda_late=True,
                                               starts_at__year=today.year).count(),
    }


def standing_update(omt: Omt, *, today: date, since: date) -> dict:
    """The standing OMT item of the UNCT meeting: what the OMT decided and needs since."""
    return {
        "since": since,
        "meetings": Meeting.objects.filter(omt=omt, starts_at__date__gte=since,
                                           starts_at__date__lte=today)
        .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at"),
        "decisions": Minutes.objects.filter(
            meeting__omt=omt, status__in=[MinutesStatus.FINALISED, MinutesStatus.SHARED],
            meeting__starts_at__date__gte=since).prefetch_related("items")
        .select_related("meeting").order_by("meeting__starts_at"),
        "escalations": Escalation.objects.filter(omt=omt, status=EscalationStatus.OPEN)
        .select_related("raised_by"),
        "overdue": with_state(Action.objects.filter(omt=omt, status=ActionStatus.OPEN,
                                                    due_on__lt=today), today=today)
        .select_related("owner_person", "owner_agency"),
        "months_without_meeting": months_without_meeting(omt, today=today),
        "terms": current_terms(omt, today=today),
    }


@dataclass(frozen=True)
class YearInReview:
    """G3–G7 over one calendar year, for the OMT's annual activity report (G9)."""

    year: int
    meetings: list  # the meetings held (not cancelled, started by `today`)
    agendas_on_time: int
    agendas_late: int
    agendas_not_sent: int
    minutes_on_time: int
    minutes_late: int
    minutes_not_circulated: int
    minutes_final: int
    decisions: list  # MinutesItem rows with decisions, of final minutes
    actions_raised: int
    actions_closed: int
    actions_open_overdue: int
    months_without_meeting: list  # (year, month)
    unct_decisions: list


def year_in_review(omt: Omt, *, year: int, today: date) -> YearInReview:
    """The OMT's governance in `year` (up to `today` for the current year), in a fixed
    number of queries: meetings held, agendas and minutes on time, decisions, actions."""
    from commonops.governance.models import MinutesItem, UnctDecision

    last = min(date(year, 12, 31), today)
    meetings = list(Meeting.objects.filter(
        omt=omt, starts_at__year=year, starts_at__date__lte=last)
        .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at"))
    agendas = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).aggregate(
        on_time=Count("pk", filter=Q(agenda_sent_at__isnull=False, agenda_late=False)),
        late=Count("pk", filter=Q(agenda_sent_at__isnull=False, agenda_late=True)),
        not_sent=Count("pk", filter=Q(agenda_sent_at__isnull=True)))
    # the first version of each meeting's minutes says whether they were circulated on time
    minutes = Minutes.objects.filter(meeting__in=meetings, version=1).aggregate(
        on_time=Count("pk", filter=Q(circulated_at__isnull=False, circulated_late=False)),
        late=Count("pk", filter=Q(circulated_at__isnull=False, circulated_late=True)),
        not_circulated=Count("pk", filter=Q(circulated_at__isnull=True)))
    final = Minutes.objects.filter(
        meeting__in=meetings, status__in=[MinutesStatus.FINALISED, MinutesStatus.SHARED],
        correction__isnull=True)
    actions = Action.objects.filter(omt=omt).aggregate(
        raised=Count("pk", filter=Q(meeting__starts_at__year=year) | Q(
            meeting__isnull=True, created_at__year=year)),
        closed=Count("pk", filter=Q(status=ActionStatus.DONE, done_on__year=year)),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_on__lt=last)))
    started = Meeting.objects.filter(omt=omt).exclude(status=MeetingStatus.CANCELLED) \
        .order_by("starts_at").values_list("starts_at__date", flat=True).first()
    gaps = []
    if started is not None and started <= last:
        first = max(date(year, 1, 1), started.replace(day=1))
        gaps = rules.months_without_meeting([m.starts_at.date() for m in meetings],
                                            first=first, last=last)
    return YearInReview(
        year=year, meetings=meetings, agendas_on_time=agendas["on_time"],
        agendas_late=agendas["late"], agendas_not_sent=agendas["not_sent"],
        minutes_on_time=minutes["on_time"], minutes_late=minutes["late"],
        minutes_not_circulated=len(meetings) - minutes["on_time"] - minutes["late"],
        minutes_final=final.count(),
        decisions=list(MinutesItem.objects.filter(minutes__in=final).exclude(decisions="")
                       .select_related("minutes__meeting")
                       .order_by("minutes__meeting__starts_at", "position")),
        actions_raised=actions["raised"], actions_closed=actions["closed"],
        actions_open_overdue=actions["overdue"], months_without_meeting=gaps,
        unct_decisions=list(UnctDecision.objects.filter(country_id=omt.country_id,
                                                        decided_on__year=year)
                            .order_by("decided_on")),
    )
