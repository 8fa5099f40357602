"""T6: the monthly roll-ups behind the desk's KPIs, kept current by the ticket actions and
rebuilt (and checked) from the tickets themselves.

Three tables (see models.py): `KpiRollup`, the counts per country × team × agent × category
× agency × local month; `HoursHistogram`, resolved tickets per whole business hour and
month; `HoursTally`, resolved tickets per exact number of business hours and month. The
median stays the exact lower median: the whole-hour histogram says which hour holds it and
at which rank, and the tally of that one hour gives the value. A plain histogram would
have to be as fine as the data to be exact, and read whole (up to 100 buckets per hour of
the range, every month); two levels read about a hundred rows per month.

How they stay current: every action that changes a ticket is decorated with
`keep_current`, which reads what the ticket counts for before the action (locking the
ticket's row, so two actions on one ticket count one after the other), runs it, reads it
again and adds the difference (`rules.rollup_delta`) with one upsert per table, all in the
action's transaction. What a ticket counts for is whatever its row says, so a roll-up equals
the same figures computed from the tickets whichever action ran. The SLA task only marks
breaches of open tickets, which count once the ticket is resolved (its claims check that
the ticket is still open and unanswered), so it changes no roll-up.

`manage.py rebuild_desk_rollups` recomputes them from the tickets (`from_tickets`) and
compares (`differences`) or replaces them (`rebuild`); bulk loads that write tickets
in SQL (the demo, `seed_bulk_tickets`) rebuild their country's roll-ups when done.
"""

import contextvars
import functools
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from commonops.servicedesk import rules
from commonops.servicedesk.models import HoursHistogram, HoursTally, KpiRollup, Rating, Ticket

DIMENSIONS = ("team_id", "assignee_id", "category_id", "agency_id")
_SNAPSHOT = ("country_id", "country__time_zone", *DIMENSIONS, "opened_at", "resolved_at",
             "first_response_met", "resolution_met", "reopen_count",
             "business_hours_to_resolve", "rating__score", "rating__rated_at")

# tickets whose roll-up an outer action is already keeping (an action calling another)
_kept: contextvars.ContextVar[frozenset] = contextvars.ContextVar("desk_rollups_kept",
                                                                  default=frozenset())


def _month(moment: datetime, tz: ZoneInfo) -> tuple[int, int]:
    local = moment.astimezone(tz)
    return local.year, local.month


def facts(values: dict, time_zone: str) -> rules.RollupFacts:
    """The roll-up facts of a ticket given as a dict of its columns (`_SNAPSHOT`)."""
    tz = ZoneInfo(time_zone)
    resolved = values["resolved_at"]
    score = values.get("rating__score")
    return rules.RollupFacts(
        team_id=values["team_id"], assignee_id=values["assignee_id"],
        category_id=values["category_id"], agency_id=values["agency_id"],
        opened=_month(values["opened_at"], tz),
        resolved=None if resolved is None else _month(resolved, tz),
        first_response_met=values["first_response_met"],
        resolution_met=values["resolution_met"], reopened=values["reopen_count"] > 0,
        hours_to_resolve=values["business_hours_to_resolve"],
        rating=None if score is None else (*_month(values["rating__rated_at"], tz), score))


def _facts_of_new(ticket: Ticket) -> rules.RollupFacts:
    values = {name: getattr(ticket, name) for name in _SNAPSHOT if "__" not in name}
    return facts(values, ticket.country.time_zone)


def _snapshot(pk, *, lock: bool):
    rows = Ticket.objects.filter(pk=pk).order_by().values(*_SNAPSHOT)
    if lock:
        rows = rows.select_for_update(of=("self",))
    row = rows.first()
    if row is None:
        return None, None
    return row["country_id"], facts(row, row["country__time_zone"])


@contextmanager
def kept_current(ticket_id):
    """Keep the roll-ups current across any change of one existing ticket or its rating,
    deletion included (inside the transaction that makes it)."""
    kept = _kept.get()
    if ticket_id in kept:  # an outer action or block counts this change already
        yield
        return
    country_id, before = _snapshot(ticket_id, lock=True)
    token = _kept.set(kept | {ticket_id})
    try:
        yield
    finally:
        _kept.reset(token)
    after_country_id, after = _snapshot(ticket_id, lock=False)
    record(country_id=after_country_id or country_id, before=before, after=after)


def keep_current(action):
    """Decorate a ticket action (inside its transaction) so that it keeps the roll-ups
    current: the ticket is the `ticket` argument, or the Ticket the action returns when it
    opens one (counted from memory: nothing to read back)."""

    @functools.wraps(action)
    def wrapper(*args, **kwargs):
        ticket = kwargs.get("ticket")
        if ticket is not None:
            with kept_current(ticket.pk):
                return action(*args, **kwargs)
        opened = action(*args, **kwargs)
        record(country_id=opened.country_id, before=None, after=_facts_of_new(opened))
        return opened

    return wrapper


def record(*, country_id, before, after) -> None:
    """Add to the roll-ups what a ticket's change from `before` to `after` changes."""
    counts, hours = rules.rollup_delta(before, after)
    if counts:
        _add_counts(country_id, counts)
    if hours:
        by_hour: dict = {}
        for (year, month, value), n in hours.items():
            key = (year, month, rules.hour_of(value))
            by_hour[key] = by_hour.get(key, 0) + n
        _upsert(HoursHistogram, ("country_id", "year", "month", "hour"), ("tickets",),
                [(country_id, *key, n) for key, n in by_hour.items() if n])
        _upsert(HoursTally, ("country_id", "year", "month", "hours"), ("tickets",),
                [(country_id, *key, n) for key, n in hours.items()])


def _add_counts(country_id, counts) -> None:
    rows = [(country_id, year, month, team, assignee, category, agency,
             *(row.get(name, 0) for name in rules.ROLLUP_COUNTS))
            for (year, month, team, assignee, category, agency), row in counts.items()]
    key = ("country_id", "year", "month", "team_id", "assignee_id", "category_id",
           "agency_id")
    assigned = [r for r in rows if r[4] is not None]
    unassigned = [r for r in rows if r[4] is None]
    if assigned:
        _upsert(KpiRollup, key, rules.ROLLUP_COUNTS, assigned, where="assignee_id IS NOT NULL")
    if unassigned:
        _upsert(KpiRollup, tuple(k for k in key if k != "assignee_id"), rules.ROLLUP_COUNTS,
                unassigned, where="assignee_id IS NULL", columns=key)


def _upsert(model, key, counted, rows, *, where="", columns=None) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE SET n = n + EXCLUDED.n for each counted column:
    the addition happens in the database, under the row's lock, so concurrent actions
    never lose each other's counts (PostgreSQL and SQLite). Rows go in key order, and every
    action upserts the tables in the same order, so two actions moving counts between the
    same rows in opposite directions lock them in the same order (no deadlock)."""
    if not rows:
        return
    rows = sorted(rows)
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = (*(columns or key), *counted)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "
           f"VALUES {', '.join([row_sql] * len(rows))} "
           f"ON CONFLICT ({', '.join(q(c) for c in key)})"
           f"{' WHERE ' + where if where else ''} DO UPDATE SET "
           + ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in counted))
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


# --- from the tickets: check and rebuild -----------------------------------------------------


@dataclass
class Tallies:
    """Roll-up contents: counts per (year, month, team, agent, category, agency) and
    tickets per (year, month, hours to resolve); zero counts left out."""

    counts: dict = field(default_factory=dict)
    hours: dict = field(default_factory=dict)

    def by_hour(self) -> dict:
        histogram: dict = {}
        for (year, month, value), n in self.hours.items():
            key = (year, month, rules.hour_of(value))
            histogram[key] = histogram.get(key, 0) + n
        return {key: n for key, n in histogram.items() if n}


def _months(field_name, tz):
    return {"y": ExtractYear(field_name, tzinfo=tz), "m": ExtractMonth(field_name, tzinfo=tz)}


def from_tickets(*, country_id, time_zone, tickets=None, ratings=None) -> Tallies:
    """T6 computed from the ticket rows alone, in five SQL aggregates grouped by local
    month (`tickets`/`ratings`: the managers to read, for the data migration)."""
    tickets = (tickets if tickets is not None else Ticket.objects).filter(
        country_id=country_id).order_by()
    ratings = (ratings if ratings is not None else Rating.objects).filter(
        ticket__country_id=country_id).order_by()
    tz = ZoneInfo(time_zone)
    tallies = Tallies()

    def add(rows, names, key_of):
        for row in rows:
            target = tallies.counts.setdefault(key_of(row), {})
            for name in names:
                if row[name]:
                    target[name] = target.get(name, 0) + row[name]

    def key(row, prefix=""):
        return (row["y"], row["m"], *(row[prefix + d] for d in DIMENSIONS))

    add(tickets.annotate(**_months("opened_at", tz)).values("y", "m", *DIMENSIONS)
        .annotate(opened=Count("*")), ("opened",), key)
    resolved = tickets.filter(resolved_at__isnull=False)
    add(resolved.annotate(**_months("resolved_at", tz)).values("y", "m", *DIMENSIONS)
        .annotate(resolved=Count("*"),
                  first_response_on_time=Count("pk", filter=Q(first_response_met=True)),
                  first_response_measured=Count("first_response_met"),
                  resolution_on_time=Count("pk", filter=Q(resolution_met=True)),
                  resolution_measured=Count("resolution_met"),
                  reopened=Count("pk", filter=Q(reopen_count__gt=0)),
                  timed=Count("business_hours_to_resolve")),
        rules.ROLLUP_COUNTS[1:8], key)
    add(ratings.annotate(**_months("rated_at", tz))
        .values("y", "m", *(f"ticket__{d}" for d in DIMENSIONS))
        .annotate(**{f"rated_{s}": Count("pk", filter=Q(score=s)) for s in rules.RATING_SCORES}),
        rules.ROLLUP_COUNTS[8:], lambda row: key(row, "ticket__"))
    for row in (resolved.filter(business_hours_to_resolve__isnull=False)
                .annotate(**_months("resolved_at", tz))
                .values_list("y", "m", "business_hours_to_resolve").annotate(n=Count("*"))):
        tallies.hours[row[:3]] = row[3]
    tallies.counts = {k: v for k, v in tallies.counts.items() if v}
    return tallies


def stored(country_id) -> Tallies:
    """The roll-ups as they are, in the shape of `from_tickets`."""
    tallies = Tallies()
    for row in KpiRollup.objects.filter(country_id=country_id).values(
            "year", "month", *DIMENSIONS, *rules.ROLLUP_COUNTS):
        key = (row["year"], row["month"], *(row[d] for d in DIMENSIONS))
        target = tallies.counts.setdefault(key, {})
        for name in rules.ROLLUP_COUNTS:
            if row[name]:
                target[name] = target.get(name, 0) + row[name]
    tallies.counts = {k: v for k, v in tallies.counts.items() if v}
    for year, month, value, n in HoursTally.objects.filter(country_id=country_id).values_list(
            "year", "month", "hours", "tickets"):
        if n:
            tallies.hours[(year, month, value)] = tallies.hours.get((year, month, value), 0) + n
    return tallies


def _stored_by_hour(country_id) -> dict:
    return {(y, m, h): n for y, m, h, n in HoursHistogram.objects.filter(
        country_id=country_id).values_list("year", "month", "hour", "tickets") if n}


def differences(country, *, limit=20) -> list[str]:
    """What the stored roll-ups of `country` get wrong compared with its tickets (empty
    when they agree), read in one snapshot (PostgreSQL: repeatable read)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        expected = from_tickets(country_id=country.pk, time_zone=country.time_zone)
        actual = stored(country.pk)
        histogram = _stored_by_hour(country.pk)
    problems = []
    for key in sorted(set(expected.counts) | set(actual.counts), key=repr):
        if expected.counts.get(key, {}) != actual.counts.get(key, {}):
            problems.append(f"counts {key}: tickets say {expected.counts.get(key, {})}, "
                            f"roll-up says {actual.counts.get(key, {})}")
    for key in sorted(set(expected.hours) | set(actual.hours)):
        if expected.hours.get(key, 0) != actual.hours.get(key, 0):
            problems.append(f"hours {key}: tickets say {expected.hours.get(key, 0)}, "
                            f"roll-up says {actual.hours.get(key, 0)}")
    by_hour = expected.by_hour()
    for key in sorted(set(by_hour) | set(histogram)):
        if by_hour.get(key, 0) != histogram.get(key, 0):
            problems.append(f"hour {key}: tickets say {by_hour.get(key, 0)}, "
                            f"roll-up says {histogram.get(key, 0)}")
    return problems[:limit] if limit else problems


def write(country_id, tallies: Tallies, *, rollup=KpiRollup, histogram=HoursHistogram,
          tally=HoursTally) -> None:
    """Replace the country's roll-ups with `tallies` (models passed for the migration)."""
    for model in (rollup, histogram, tally):
        model.objects.filter(country_id=country_id).delete()
    rollup.objects.bulk_create([
        rollup(country_id=country_id, year=y, month=m, team_id=team, assignee_id=agent,
               category_id=category, agency_id=agency, **row)
        for (y, m, team, agent, category, agency), row in tallies.counts.items()],
        batch_size=2000)
    histogram.objects.bulk_create([
        histogram(country_id=country_id, year=y, month=m, hour=h, tickets=n)
        for (y, m, h), n in tallies.by_hour().items()], batch_size=5000)
    tally.objects.bulk_create([
        tally(country_id=country_id, year=y, month=m, hours=value, tickets=n)
        for (y, m, value), n in tallies.hours.items()], batch_size=5000)


def rebuild(country) -> int:
    """Recompute the country's roll-ups from its tickets and replace them; returns the
    number of roll-up rows. On PostgreSQL the roll-up tables are locked against writes
    meanwhile: actions that finish during the rebuild wait, then add their change to the
    rebuilt rows (their tickets' changes were not committed when the tickets were read)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE {} IN EXCLUSIVE MODE".format(", ".join(
                    connection.ops.quote_name(m._meta.db_table)
                    for m in (KpiRollup, HoursHistogram, HoursTally))))
        tallies = from_tickets(country_id=country.pk, time_zone=country.time_zone)
        write(country.pk, tallies)
    return len(tallies.counts)
