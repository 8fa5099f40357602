"""Reads of the service desk: who sees which tickets, queues, timelines and KPIs (T1–T6).
Aggregates run in SQL."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Value,
)
from django.http import Http404
from django.utils.translation import gettext as _

from commonops.commonservices.models import UsageSource
from commonops.commonservices.providers import usage_provider
from commonops.core import access
from commonops.core.roles import Perm
from commonops.servicedesk import rules
from commonops.servicedesk.models import Agent, Rating, Ticket


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
        "merged_into")
    try:
        return qs.get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None


def sees_internal_notes(user, ticket) -> bool:
    """Requesters never see internal notes; agents and readers of the country do."""
    everywhere, ids = _reader_scope(user)
    return everywhere or ticket.country_id in ids


def timeline(ticket, user):
    """T4: the ticket's events, oldest first; notes only for those who may see them."""
    events = ticket.events.select_related("author").prefetch_related("attachments")
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

QUEUE_COLUMNS = ("country", "requester", "agency", "category", "team", "assignee")


def queue(user, *, country, team=None, mine=False, include_done=False):
    """Open tickets of a country (a team's queue, or the user's), soonest due first."""
    tickets = tickets_visible_to(user).filter(country=country)
    if not include_done:
        tickets = tickets.filter(status__in=rules.OPEN_STATUSES)
    if team is not None:
        tickets = tickets.filter(team=team)
    if mine:
        tickets = tickets.filter(assignee_id=user.pk)
    return tickets.select_related(*QUEUE_COLUMNS).order_by("resolution_due", "pk")


def my_requests(user):
    return (Ticket.objects.filter(requester_id=user.pk)
            .select_related("country", "category", "assignee").order_by("-opened_at"))


def agents_of(country):
    return Agent.objects.filter(country=country).select_related("user", "team").order_by(
        "team__name", "user__last_name")


# --- KPIs (T6) -------------------------------------------------------------------------------

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


def _resolved_aggregates(median=False):
    """The counts behind compliance and the reopen rate, as conditional aggregates of one
    scan; with `median`, the lower median of the business hours too (PostgreSQL)."""
    # COUNT(resolved_at) (never NULL for resolved tickets) rather than COUNT(id): the index
    # on (country, resolved_at, …) answers without reading the table
    aggregates = dict(
        resolved=Count("resolved_at"),
        first_on_time=Count("resolved_at", filter=Q(first_response_met=True)),
        first_measured=Count("resolved_at", filter=Q(first_response_met__isnull=False)),
        on_time=Count("resolved_at", filter=Q(resolution_met=True)),
        measured=Count("resolved_at", filter=Q(resolution_met__isnull=False)),
        reopened=Count("resolved_at", filter=Q(reopen_count__gt=0)),
        timed=Count("business_hours_to_resolve"),
    )
    if median:
        aggregates["median"] = LowerMedian("business_hours_to_resolve")
    return aggregates


def _resolved_counts(tickets, median=False):
    return tickets.aggregate(**_resolved_aggregates(median))


def median_hours_to_resolve(tickets) -> float | None:
    """T6: the median business hours to resolve, in SQL: a count, then the middle row with
    ORDER BY … LIMIT 1 OFFSET n (works on SQLite and PostgreSQL)."""
    tickets = tickets.filter(business_hours_to_resolve__isnull=False).order_by()
    offset = rules.median_offset(tickets.count())
    if offset is None:
        return None
    return (tickets.order_by("business_hours_to_resolve")
            .values_list("business_hours_to_resolve", flat=True)[offset])


class LowerMedian(Aggregate):
    """PostgreSQL's percentile_disc(0.5): the smallest value with at least half the values
    at or below it, i.e. the lower median, the very row `rules.median_offset` points at
    (not percentile_cont, which averages the two middle values). NULLs are skipped, like
    the `isnull=False` filter of `median_hours_to_resolve`. An aggregate, so every month's
    median comes out of the query that counts the month."""

    function = "PERCENTILE_DISC"
    name = "LowerMedian"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_from_parts(tickets, medians, timed) -> float | None:
    """The lower median of `tickets` given the lower medians of the parts (months) they are
    split into and how many of them have hours (`timed`), exactly and without sorting them
    all: it lies between the smallest and the largest part median, since every part has at
    least half (rounded up) of its values at or below its median and at most half (rounded
    down) strictly below it. So: a count of the values below that band, then the row at the
    remaining offset inside the band (two queries on the index, whatever the volume)."""
    medians = [m for m in medians if m is not None]
    offset = rules.median_offset(timed)
    if offset is None or not medians:
        return None
    low, high = min(medians), max(medians)
    hours = tickets.filter(business_hours_to_resolve__isnull=False).order_by()
    below = hours.filter(business_hours_to_resolve__lt=low).count()
    band = (hours.filter(business_hours_to_resolve__gte=low,
                         business_hours_to_resolve__lte=high)
            .order_by("business_hours_to_resolve")
            .values_list("business_hours_to_resolve", flat=True))
    # the queries run one after the other: should tickets have been resolved or reopened in
    # between so that the row is no longer in the band, count and sort them all instead
    if offset - below >= 0:
        found = band[offset - below:offset - below + 1]
        if found:
            return found[0]
    return median_hours_to_resolve(tickets)


def medians_in_sql() -> bool:
    """Medians as an aggregate where the database has one (PostgreSQL); elsewhere the
    portable count + OFFSET of `median_hours_to_resolve`."""
    return connection.vendor == "postgresql"


def _per_month(queryset, field, *, country, year, by=(), **aggregates):
    """One query for the twelve local months of `year`: a UNION ALL of one aggregate per
    month over the `field` range of that month. Each part reads a slice of the index on
    (country, `field`) with no grouping, sorting or time-zone conversion per row, which on
    PostgreSQL is several times cheaper than grouping a year by an extracted month. Rows
    carry `m` (1–12) and `by`; a month without rows still gives its row of zero counts
    when `by` is empty."""
    parts = []
    for month in range(1, 13):
        start, end = _month_bounds(country, year, month)
        parts.append(queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})
                     .order_by().annotate(m=Value(month, output_field=IntegerField()))
                     .values("m", *by).annotate(**aggregates))
    return parts[0].union(*parts[1:], all=True)


def kpis(*, country, year, month=None, dimension=None, **filters) -> list[KpiRow]:
    """T6 for a period: a total row, or one row per team/agent/category/agency. Opened
    counts by opening time; compliance, median and reopen rate by resolution time;
    satisfaction by rating time. A fixed number of queries whatever the volume."""
    start, end = _month_bounds(country, year, month)
    base = Ticket.objects.filter(country=country, **filters).order_by()
    opened = base.filter(opened_at__gte=start, opened_at__lt=end)
    resolved = base.filter(resolved_at__gte=start, resolved_at__lt=end)
    ratings = Rating.objects.filter(country=country, rated_at__gte=start, rated_at__lt=end,
                                    **{f"ticket__{k}": v for k, v in filters.items()})
    if dimension is None:
        row = KpiRow(label=str(_("All tickets")))
        row.opened = opened.count()
        counts = _resolved_counts(resolved, median=medians_in_sql())
        _fill(row, counts)
        row.scores = dict(ratings.order_by().values_list("score").annotate(n=Count("id")))
        row.median_hours = (counts["median"] if medians_in_sql()
                            else median_hours_to_resolve(resolved))
        return [row]
    key, label = DIMENSIONS[dimension]
    rows: dict = {}

    def row_for(k, name):
        if k not in rows:
            rows[k] = KpiRow(label=name or str(_("(none)")))
        return rows[k]

    for k, name, n in opened.values_list(key, label).annotate(n=Count("id")):
        row_for(k, name).opened = n
    for values in resolved.values(key, label).annotate(**_resolved_aggregates()):
        _fill(row_for(values[key], values[label]), values)
    for k, name, score, n in ratings.order_by().values_list(
            f"ticket__{key}", f"ticket__{label}", "score").annotate(n=Count("id")):
        row_for(k, name).scores[score] = n
    return sorted(rows.values(), key=lambda r: (-r.opened, r.label))


def _fill(row, counts):
    row.resolved = counts["resolved"]
    row.first_response_on_time = counts["first_on_time"]
    row.first_response_measured = counts["first_measured"]
    row.resolution_on_time = counts["on_time"]
    row.resolution_measured = counts["measured"]
    row.reopened = counts["reopened"]


def monthly_resolution_counts(*, country, year, median=False):
    """T6: per month of resolution, the counts behind compliance and the reopen rate, in one
    query (the one `bench_desk` compares with hand-written SQL); with `median`, each
    month's lower median of business hours in the same query (PostgreSQL)."""
    return _per_month(Ticket.objects.filter(country=country), "resolved_at", country=country,
                      year=year, **_resolved_aggregates(median))


def monthly_series(*, country, year) -> tuple[list[dict], KpiRow]:
    """T6 per month of a year, for the charts, and the year's total row built from the same
    figures. On PostgreSQL five queries: opened per month, resolution counts and medians
    per month, ratings per month, and two for the year's median (from the months').
    Elsewhere each month's median takes a count and a row (3 + 12 x 2 + 2 at most).
    Every figure is the one `kpis` gives for that month or year."""
    base = Ticket.objects.filter(country=country).order_by()
    start, end = _month_bounds(country, year)
    in_sql = medians_in_sql()
    total = KpiRow(label=str(_("All tickets")))
    months = {m: {"month": m, "opened": 0, "resolved": 0, "first": None, "resolution": None,
                  "median": None, "reopen": None, "satisfaction": None} for m in range(1, 13)}
    timed = 0  # resolved tickets with their business hours, for the year's median
    opened = _per_month(base, "opened_at", country=country, year=year, n=Count("*"))
    for row in opened:
        months[row["m"]]["opened"] = row["n"]
        total.opened += row["n"]
    for row in monthly_resolution_counts(country=country, year=year, median=in_sql):
        month = months[row["m"]]
        month["resolved"] = row["resolved"]
        month["first"] = rules.share(row["first_on_time"], row["first_measured"])
        month["resolution"] = rules.share(row["on_time"], row["measured"])
        month["reopen"] = rules.share(row["reopened"], row["resolved"])
        if in_sql:
            month["median"] = row["median"]
        total.resolved += row["resolved"]
        total.first_response_on_time += row["first_on_time"]
        total.first_response_measured += row["first_measured"]
        total.resolution_on_time += row["on_time"]
        total.resolution_measured += row["measured"]
        total.reopened += row["reopened"]
        timed += row["timed"]
    scores: dict = {}
    for row in _per_month(Rating.objects.filter(country=country), "rated_at", country=country,
                          year=year, by=("score",), n=Count("*")):
        scores.setdefault(row["m"], {})[row["score"]] = row["n"]
        total.scores[row["score"]] = total.scores.get(row["score"], 0) + row["n"]
    for m, counts in scores.items():
        months[m]["satisfaction"] = rules.satisfaction_of_counts(counts)
    if not in_sql:
        for m in range(1, 13):
            if months[m]["resolved"]:
                s, e = _month_bounds(country, year, m)
                months[m]["median"] = median_hours_to_resolve(
                    base.filter(resolved_at__gte=s, resolved_at__lt=e))
    if total.resolved:
        total.median_hours = median_from_parts(
            base.filter(resolved_at__gte=start, resolved_at__lt=end),
            [months[m]["median"] for m in range(1, 13)], timed)
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
