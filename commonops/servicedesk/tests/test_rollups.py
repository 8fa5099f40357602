"""The KPI roll-ups (T6): after any mix of raises, assignments, replies, status changes,
pauses, reopenings, merges, recategorisations, ratings and SLA checks, they hold exactly
the figures computed from the ticket rows; the rebuild command checks and repairs them."""

import statistics
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonops.core.models import RoleAssignment, User
from commonops.core.roles import Role
from commonops.servicedesk import actions, queries, rollups, rules
from commonops.servicedesk.models import Agent, Category, KpiRollup, Rating, Status, Team, Ticket

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# the last week of a month: the mix crosses into the next months
START = datetime(2027, 1, 27, 9, 0, tzinfo=HANOI)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jordan_desk(jordan, jo_staff):
    """A desk of its own in Jordan (which has no demo tickets): two agents in one team with
    a category, and a category of a team without agents."""
    agents = []
    for n in (1, 2):
        agent = User.objects.create(username=f"jo-rollup-agent{n}", agency=jo_staff.agency,
                                    duty_country=jordan, email=f"jo-agent{n}@example.org")
        RoleAssignment.objects.create(user=agent, role=Role.SD_AGENT, country=jordan)
        agents.append(agent)
    team = Team.objects.create(country=jordan, name="Roll-up ICT")
    for agent in agents:
        Agent.objects.create(country=jordan, team=team, user=agent)
    lonely = Team.objects.create(country=jordan, name="Roll-up facilities")
    categories = [Category.objects.create(country=jordan, name="Roll-up laptops", team=team),
                  Category.objects.create(country=jordan, name="Roll-up rooms", team=lonely)]
    return agents, categories


RAISE = st.tuples(st.just("raise"), st.sampled_from(rules.PRIORITIES), st.booleans())
STEP = st.one_of(
    RAISE,
    # a status change the ticket allows: resolve, pause (waiting on the requester), reopen,
    # or any other allowed move
    st.tuples(st.sampled_from(["resolve", "pause", "reopen", "move"]), st.integers(0, 50),
              st.integers(0, 6)),
    st.tuples(st.just("reply"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("take"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("assign"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("recategorise"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("merge"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("rate"), st.integers(0, 50), st.integers(1, 5)),
    st.tuples(st.just("sla"), st.just(0), st.just(0)),
    st.tuples(st.just("wait"), st.integers(1, 24 * 20), st.just(0)),
)
TARGETS = {"resolve": Status.RESOLVED, "pause": Status.WAITING, "reopen": Status.REOPENED}


def _months_of(tickets, tz):
    months = set()
    for ticket in tickets:
        for moment in (ticket.opened_at, ticket.resolved_at):
            if moment is not None:
                local = moment.astimezone(tz)
                months.add((local.year, local.month))
    return months


def _figures_from_rows(country, year, month):
    """The month's total row computed in Python from the ticket and rating rows."""
    start, end = queries._month_bounds(country, year, month)
    tickets = list(Ticket.objects.filter(country=country))
    resolved = [t for t in tickets if t.resolved_at and start <= t.resolved_at < end]
    hours = [t.business_hours_to_resolve for t in resolved
             if t.business_hours_to_resolve is not None]
    scores = [r.score for r in Rating.objects.filter(ticket__country=country)
              if start <= r.rated_at < end]
    return {
        "opened": sum(1 for t in tickets if start <= t.opened_at < end),
        "resolved": len(resolved),
        "first_response": rules.share(
            sum(1 for t in resolved if t.first_response_met),
            sum(1 for t in resolved if t.first_response_met is not None)),
        "resolution": rules.share(sum(1 for t in resolved if t.resolution_met),
                                  sum(1 for t in resolved if t.resolution_met is not None)),
        "reopen": rules.share(sum(1 for t in resolved if t.reopen_count), len(resolved)),
        "median": statistics.median_low(hours) if hours else None,
        "satisfaction": rules.satisfaction_of_counts(
            {s: scores.count(s) for s in set(scores)}),
    }


def _figures_from_rollups(country, year, month):
    row = queries.kpis(country=country, year=year, month=month)[0]
    return {"opened": row.opened, "resolved": row.resolved,
            "first_response": row.first_response_compliance,
            "resolution": row.resolution_compliance, "reopen": row.reopen_rate,
            "median": row.median_hours, "satisfaction": row.satisfaction}


def _play(steps, *, country, staff, agents, categories):
    now, tickets = START, []

    def pick(i):
        return Ticket.objects.get(pk=tickets[i % len(tickets)].pk)

    for kind, a, b in steps:
        now += timedelta(minutes=7)
        if kind == "wait":
            now += timedelta(hours=a)
            continue
        if kind == "raise":
            tickets.append(actions.ticket_raise(
                country=country, requester=staff, category=categories[b], subject="Roll-up",
                priority=a, now=now, by=staff))
            continue
        if kind == "sla":
            actions.sla_check(now=now)
            continue
        if not tickets:
            continue
        ticket = pick(a)
        agent = agents[b] if isinstance(b, bool) else agents[0]
        try:
            if kind in ("resolve", "pause", "reopen", "move"):
                allowed = sorted(rules.TRANSITIONS[ticket.status])
                status = TARGETS.get(kind)
                if status not in allowed:
                    status = allowed[b % len(allowed)]
                actions.ticket_change_status(ticket=ticket, status=status, by=agents[0],
                                             now=now)
            elif kind == "reply":
                actions.ticket_reply(ticket=ticket, body="On it", public=b, by=agents[0],
                                     now=now)
            elif kind == "take":
                actions.ticket_take(ticket=ticket, by=agent, now=now)
            elif kind == "assign":
                actions.ticket_assign(ticket=ticket, assignee=agent, by=agents[0], now=now)
            elif kind == "recategorise":
                actions.ticket_triage(ticket=ticket, category=categories[b], by=agents[0],
                                      now=now)
            elif kind == "merge":
                actions.ticket_merge(ticket=ticket, into=pick(b), by=agents[0], now=now)
            elif kind == "rate":
                actions.ticket_rate(ticket=ticket, score=b, by=staff, now=now)
        except (ValidationError, PermissionDenied):
            pass  # refused: the action changed nothing, roll-ups included
    return tickets


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(raises=st.lists(RAISE, min_size=1, max_size=4),
       steps=st.lists(STEP, min_size=10, max_size=40))
def test_the_roll_ups_hold_the_figures_of_the_tickets_after_any_mix_of_actions(
        raises, steps, jordan, jo_staff, jordan_desk):
    agents, categories = jordan_desk
    with transaction.atomic():
        tickets = _play(raises + steps, country=jordan, staff=jo_staff, agents=agents,
                        categories=categories)
        assert rollups.differences(jordan) == []
        for year, month in sorted(_months_of(Ticket.objects.filter(
                pk__in=[t.pk for t in tickets]), ZoneInfo(jordan.time_zone))):
            assert _figures_from_rollups(jordan, year, month) == \
                _figures_from_rows(jordan, year, month)
        transaction.set_rollback(True)  # the next example starts from the same world


def test_raising_a_ticket_counts_it_in_its_opening_month(viet_nam, staff, category):
    before = queries.kpis(country=viet_nam, year=2027, month=1, dimension="category")
    ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                  subject="Screen", now=START, by=staff)
    after = queries.kpis(country=viet_nam, year=2027, month=1, dimension="category")
    assert [r.label for r in before if r.label == category.name] == []
    row = next(r for r in after if r.label == category.name)
    assert row.opened == 1 and row.resolved == 0
    assert KpiRollup.objects.get(category=category, assignee=ticket.assignee).opened == 1


def test_a_reassignment_moves_the_ticket_to_the_new_agent(viet_nam, staff, category, agent1,
                                                          agent2):
    ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                  subject="Screen", now=START, by=staff)
    first = ticket.assignee
    other = agent2 if first == agent1 else agent1
    actions.ticket_assign(ticket=ticket, assignee=other, by=agent1, now=START)
    counts = dict(KpiRollup.objects.filter(category=category).values_list(
        "assignee_id", "opened"))
    assert counts[other.pk] == 1 and counts.get(first.pk, 0) == 0


def test_the_median_is_the_lower_median_across_hours_and_months(viet_nam, staff, category,
                                                                agent1):
    # resolved after 2, 9 and 30 minutes of business time in January, 3 h in February, with
    # whatever the demo resolved in those months: each month's median and the year's are
    # those of the rows
    resolved = []
    for opened, after in ((START, timedelta(minutes=2)), (START, timedelta(minutes=9)),
                          (START, timedelta(minutes=30)),
                          (START + timedelta(days=6), timedelta(hours=3))):
        ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                      subject="Mouse", now=opened, by=staff)
        actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=agent1,
                                     now=opened + after)
        ticket.refresh_from_db()
        resolved.append(ticket.business_hours_to_resolve)
    assert resolved == [0.03, 0.15, 0.5, 3.0]  # to the hundredth of an hour

    def from_rows(month=None):
        start, end = queries._month_bounds(viet_nam, 2027, month)
        return statistics.median_low(Ticket.objects.filter(
            country=viet_nam, resolved_at__gte=start, resolved_at__lt=end,
            business_hours_to_resolve__isnull=False).values_list(
            "business_hours_to_resolve", flat=True))

    median, months = queries.median_hours(country=viet_nam, year=2027, per_month=True)
    assert median == from_rows()
    assert months[1] == from_rows(1) and months[2] == from_rows(2)
    assert queries.median_hours(country=viet_nam, year=2027, month=2)[0] == from_rows(2)


def test_the_kpis_of_a_month_take_three_queries_whatever_the_volume(viet_nam):
    with CaptureQueriesContext(connection) as ctx:
        queries.kpis(country=viet_nam, year=2026, month=3)
        queries.kpis(country=viet_nam, year=2026, month=3, dimension="agency")
    assert len(ctx.captured_queries) <= 4


def test_the_check_command_finds_a_wrong_roll_up_and_the_rebuild_repairs_it(viet_nam, staff,
                                                                          category):
    actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                         subject="Keyboard", now=START, by=staff)
    call_command("rebuild_desk_rollups", "--country", "VN", "--check", stdout=StringIO())
    KpiRollup.objects.filter(category=category).update(opened=5)
    with pytest.raises(CommandError, match="1 difference"):
        call_command("rebuild_desk_rollups", "--country", "VN", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_desk_rollups", "--country", "VN", stdout=out)
    assert "agree with the tickets" in out.getvalue()
    assert rollups.differences(viet_nam) == []


def test_the_command_refuses_an_unknown_country():
    with pytest.raises(CommandError, match="No country team"):
        call_command("rebuild_desk_rollups", "--country", "XX", stdout=StringIO())


def test_the_admin_neither_changes_nor_deletes_tickets_and_ratings(viet_nam, staff, category,
                                                                  agent1, client,
                                                                  admin_user):
    """Tickets and ratings change only through the desk's actions, which keep the roll-ups
    current; the admin shows them read-only."""
    ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                  subject="Cable", now=START, by=staff)
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=agent1,
                                 now=START + timedelta(hours=1))
    ticket.refresh_from_db()
    rating = actions.ticket_rate(ticket=ticket, score=5, by=staff,
                                 now=START + timedelta(hours=2))
    client.force_login(admin_user)
    for path in (f"/admin/servicedesk/ticket/{ticket.pk}/delete/",
                 f"/admin/servicedesk/rating/{rating.pk}/delete/"):
        client.post(path, {"post": "yes"})  # refused: shown as a message, nothing changes
    client.post(f"/admin/servicedesk/rating/{rating.pk}/change/", {"score": 1})
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert Rating.objects.get(pk=rating.pk).score == 5
    assert rollups.differences(viet_nam) == []
