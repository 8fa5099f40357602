"""Reads of the service desk: who sees which tickets, queues, timelines and KPIs (T1–T6).
Aggregates run in SQL; the KPIs read the monthly roll-ups (rollups.py)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from commonops.commonservices.models import UsageSource
from commonops.commonservices.providers import usage_provider
from commonops.core import access
from commonops.core.roles import Perm
from commonops.servicedesk import rules
from commonops.servicedesk.models import Agent, HoursHistogram, HoursTally, KpiRollup, Ticket


@usage_provider(UsageSource.SERVICE_DESK)
def desk_usage(*, country, year) -> dict[int, int]:
    """S1: a usage key "from the service desk" shares by ticket volumes."""
    return ticket_volume_by_agency(country=country, year=year)


def ticket_volume_by_agency(*, country, year) -> dict[int, int]:
    """S1/T6: agency id -> number of tickets opened in `year` in `country` (the usage key
    for cost sharing); one SQL aggregate."""
    country_id = getattr(country, "pk", country)
    rows = (Ticket.objects.filter(country_id=country_id, opened_at__year=year)
            .order_by().values_list("agency_id").annotate(n=Count("id")))
    return dict(rows)


# --- who sees which tickets (T1, T4) ---------------------------------------------------------


def _reader_scope(user):
    """Countries whose tickets `user` reads: where they work tickets (agents, desk
    managers) or read the audit trail (RC, auditors); HQ readers everywhere. Other staff,
    OMT members included, see only their own requests: tickets are personal."""
    work = access.scope_for(user, Perm.WORK_TICKETS)
    audit = access.scope_for(user, Perm.VIEW_AUDIT)
    read = access.scope_for(user, Perm.EXPORT)
    everywhere = work.everywhere or audit.everywhere or read.everywhere
    return everywhere, work.country_ids | audit.country_ids


def reads_desk(user, country_id) -> bool:
    """May `user` open the country's queue (and every ticket in it)?"""
    everywhere, ids = _reader_scope(user)
    return everywhere or country_id in ids


def tickets_visible_to(user):
    """Agents and readers see their countries' tickets; anyone else sees the tickets they
    raised or are copied on (T4)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Ticket.objects.none()
    everywhere, ids = _reader_scope(user)
    if everywhere:
        return Ticket.objects.all()
    copied = Ticket.cc.through.objects.filter(ticket_id=OuterRef("pk"), user_id=user.pk)
    return Ticket.objects.filter(Q(country_id__in=ids) | Q(requester_id=user.pk)
                                 | Q(Exists(copied)))


def ticket_or_404(user, pk) -> Ticket:
    qs = tickets_visible_to(user).select_related(
        "country", "requester", "agency", "category", "team", "team__lead", "assignee",
        "merged_into", "rating")
    try:
        return qs.get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def sees_internal_notes(user, ticket) -> bool:
    """Requesters never see internal notes; agents and readers of the country do."""
    everywhere, ids = _reader_scope(user)
    return everywhere or ticket.country_id in ids


def timeline(ticket, user):
    """T4: the ticket's events, oldest first; notes only for those who may see them (the
    ticket's files are listed once, by `attachments_for`)."""
    events = ticket.events.select_related("author")
    if not sees_internal_notes(user, ticket):
        events = events.filter(public=True)
    return events


def attachments_for(ticket, user):
    files = ticket.attachments.all()
    if not sees_internal_notes(user, ticket):
        files = files.filter(public=True)
    return files


# --- a country without a desk ------------------------------------------------------------------


def desk_contacts(country):
    """Whom to ask where a country has no service desk yet (no category to raise a ticket
    in): the people who run its OMT and its common services, and its Resident
    Coordinator, with their e-mail. One query."""
    from commonops.core.models import RoleAssignment
    from commonops.core.roles import Role

    roles = (Role.SD_MANAGER, Role.CS_MANAGER, Role.OMT_CHAIR, Role.RC)
    rows = (RoleAssignment.objects.filter(country=country, role__in=roles)
            .select_related("user").order_by("user__last_name", "user__first_name"))
    contacts = {}
    for row in sorted(rows, key=lambda r: roles.index(r.role)):
        contacts.setdefault(row.user_id, (row.user, row.get_role_display()))
    return list(contacts.values())


# --- queues (T3) -----------------------------------------------------------------------------

# What the queue's rows show (servicedesk/_ticket_rows.html), and nothing more: building
# fifty tickets with four related rows each is most of the page's time. A column added to
# the rows needs its fields here (else one query per row, which the query-count tests see).
QUEUE_COLUMNS = ("requester", "agency", "team", "assignee")
_PERSON = ("username", "first_name", "last_name")  # what str(person) reads
QUEUE_FIELDS = ("country_id", "number", "subject", "status", "priority", "resolution_due",
                *(f"requester__{f}" for f in _PERSON), "agency__acronym", "team__name",
                *(f"assignee__{f}" for f in _PERSON))


def queue(user, *, country, team=None, mine=False, include_done=False):
    """Open tickets of a country (a team's queue, or the user's), soonest due first. Open
    tickets of one agent come in that order from the index of open tickets by agent."""
    if reads_desk(user, country.pk):
        # the whole desk: no per-ticket visibility test, which would keep PostgreSQL from
        # counting the page's tickets from the index alone
        tickets = Ticket.objects.filter(country=country)
    else:
        tickets = tickets_visible_to(user).filter(country=country)
    if not include_done:
        tickets = tickets.filter(status__in=rules.OPEN_STATUSES)
    if team is not None:
        tickets = tickets.filter(team=team)
    if mine:
        tickets = tickets.filter(assignee_id=user.pk)
    return (tickets.select_related(*QUEUE_COLUMNS).only(*QUEUE_FIELDS)
            .order_by("resolution_due", "pk"))


def my_requests(user):
    return (Ticket.objects.filter(requester_id=user.pk)
            .select_related("country", "category", "assignee").order_by("-opened_at"))


def agents_of(country):
    return Agent.objects.filter(country=country).select_related("user", "team").order_by(
        "team__name", "user__last_name")


# --- KPIs (T6) -------------------------------------------------------------------------------
# Read from the monthly roll-ups (see rollups.py), never from the tickets: a month is a few
# hundred roll-up rows whatever the number of tickets.

DIMENSIONS = {
    "team": ("team_id", "team__name"),
    "agent": ("assignee_id", "assignee__username"),
    "category": ("category_id", "category__name"),
    "agency": ("agency_id", "agency__acronym"),
}


@dataclass
class KpiRow:
    label: str
    opened: int = 0
    resolved: int = 0
    first_response_on_time: int = 0
    first_response_measured: int = 0
    resolution_on_time: int = 0
    resolution_measured: int = 0
    reopened: int = 0
    timed: int = 0
    ratings: int = 0
    satisfied: int = 0
    scores: dict = field(default_factory=dict)
    median_hours: float | None = None

    @property
    def first_response_compliance(self):
        return rules.share(self.first_response_on_time, self.first_response_measured)

    @property
    def resolution_compliance(self):
        return rules.share(self.resolution_on_time, self.resolution_measured)

    @property
    def reopen_rate(self):
        return rules.share(self.reopened, self.resolved)

    @property
    def satisfaction(self):
        return rules.satisfaction_of_counts(self.scores)


def _month_bounds(country, year, month=None):
    tz = ZoneInfo(country.time_zone)
    if month:
        start = datetime(year, month, 1, tzinfo=tz)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    else:
        start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    return start, end


ROLLUP_SUMS = {name: Sum(name) for name in rules.ROLLUP_COUNTS}


def _fill(row: KpiRow, sums: dict) -> KpiRow:
    """Put the summed roll-up counts of `sums` into `row`."""
    for name in ("opened", "resolved", "first_response_on_time", "first_response_measured",
                 "resolution_on_time", "resolution_measured", "reopened", "timed"):
        setattr(row, name, getattr(row, name) + (sums[name] or 0))
    for score in rules.RATING_SCORES:
        if sums[f"rated_{score}"]:
            row.scores[score] = row.scores.get(score, 0) + sums[f"rated_{score}"]
    return row


def _is_empty(row: KpiRow) -> bool:
    return not (row.opened or row.resolved or row.scores)


def median_hours(*, country, year, month=None, per_month=False):
    """T6: the exact lower median of the business hours to resolve of the tickets resolved
    in `year` (or in its `month`), and with `per_month` each month's as well: (median, {month:
    median}). Two queries on the histograms whatever the volume: the whole-hour counts of
    the months, which say which hour holds each median and at which rank
    (`rules.locate`), then the exact values of those hours only."""
    hours = HoursHistogram.objects.filter(country=country, year=year, tickets__gt=0)
    if month:
        hours = hours.filter(month=month)
    by_month: dict[int, list] = {}
    for m, hour, n in hours.values_list("month", "hour", "tickets"):
        by_month.setdefault(m, []).append((hour, n))

    def where(counts):
        offset = rules.median_offset(sum(n for _hour, n in counts))
        return None if offset is None else rules.locate(counts, offset)

    overall = where([pair for counts in by_month.values() for pair in counts])
    months = {m: where(counts) for m, counts in by_month.items()} if per_month else {}
    wanted = [(m, found) for m, found in months.items() if found]
    if overall is None:
        return None, {m: None for m in months}
    scope = Q(hours__gte=overall[0], hours__lt=overall[0] + 1)
    for m, (hour, _rank) in wanted:
        scope |= Q(month=m, hours__gte=hour, hours__lt=hour + 1)
    values = HoursTally.objects.filter(scope, country=country, year=year, tickets__gt=0)
    if month:
        values = values.filter(month=month)
    rows = list(values.values_list("month", "hours", "tickets"))

    def value(found, m=None):
        hour, rank = found
        return rules.locate([(v, n) for mm, v, n in rows
                             if hour <= v < hour + 1 and (m is None or mm == m)], rank)[0]

    return value(overall), {m: value(found, m) if found else None
                            for m, found in months.items()}


def kpis(*, country, year, month=None, dimension=None) -> list[KpiRow]:
    """T6 for a period: a total row, or one row per team/agent/category/agency. Opened
    counts by opening time; compliance, median and reopen rate by resolution time;
    satisfaction by rating time. One query on the roll-ups (three with the total's median)."""
    rollups = KpiRollup.objects.filter(country=country, year=year).order_by()
    if month:
        rollups = rollups.filter(month=month)
    if dimension is None:
        row = _fill(KpiRow(label=str(_("All tickets"))), rollups.aggregate(**ROLLUP_SUMS))
        if row.timed:
            row.median_hours = median_hours(country=country, year=year, month=month)[0]
        return [row]
    key, label = DIMENSIONS[dimension]
    rows = [_fill(KpiRow(label=sums[label] or str(_("(none)"))), sums)
            for sums in rollups.values(key, label).annotate(**ROLLUP_SUMS)]
    return sorted((r for r in rows if not _is_empty(r)), key=lambda r: (-r.opened, r.label))


def monthly_counts(*, country, year):
    """T6: the roll-up counts of each month of `year` that has any (one query)."""
    return (KpiRollup.objects.filter(country=country, year=year).order_by()
            .values("month").annotate(**ROLLUP_SUMS))


def monthly_series(*, country, year) -> tuple[list[dict], KpiRow]:
    """T6 per month of a year, for the charts, and the year's total row built from the same
    figures: three queries (the roll-ups by month, then the medians' two). Every figure is
    the one `kpis` gives for that month or year."""
    total = KpiRow(label=str(_("All tickets")))
    months = {m: {"month": m, "opened": 0, "resolved": 0, "first": None, "resolution": None,
                  "median": None, "reopen": None, "satisfaction": None} for m in range(1, 13)}
    for sums in monthly_counts(country=country, year=year):
        row = _fill(KpiRow(label=""), sums)
        _fill(total, sums)
        months[sums["month"]].update(
            opened=row.opened, resolved=row.resolved, first=row.first_response_compliance,
            resolution=row.resolution_compliance, reopen=row.reopen_rate,
            satisfaction=row.satisfaction)
    if total.timed:
        total.median_hours, medians = median_hours(country=country, year=year,
                                                   per_month=True)
        for m, median in medians.items():
            months[m]["median"] = median
    return [months[m] for m in range(1, 13)], total


def backlog(*, country, now, **filters) -> dict:
    """T6: open tickets now, and their age (oldest, average) in calendar days."""
    open_ = Ticket.objects.filter(country=country, status__in=rules.OPEN_STATUSES,
                                  **filters).order_by()
    figures = open_.aggregate(
        n=Count("id"), oldest=Min("opened_at"),
        breached=Count("id", filter=Q(resolution_due__lt=now)),
        under_1=Count("id", filter=Q(opened_at__gte=now - timedelta(days=1))),
        under_7=Count("id", filter=Q(opened_at__lt=now - timedelta(days=1),
                                     opened_at__gte=now - timedelta(days=7))),
        under_30=Count("id", filter=Q(opened_at__lt=now - timedelta(days=7),
                                      opened_at__gte=now - timedelta(days=30))),
        older=Count("id", filter=Q(opened_at__lt=now - timedelta(days=30))))
    figures["oldest_days"] = (now - figures["oldest"]).days if figures["oldest"] else None
    figures["ages"] = {key: figures.pop(key)
                       for key in ("under_1", "under_7", "under_30", "older")}
    return figures


def backlog_at(*, country, moment) -> int:
    """T6: tickets open at `moment`: opened before it and not resolved by then."""
    return (Ticket.objects.filter(country=country, opened_at__lt=moment).order_by()
            .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=moment))
            .exclude(status=rules.CLOSED, resolved_at__isnull=True).count())
