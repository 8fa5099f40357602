import itertools

import pytest

from commonops.core.models import Agency, Country, RoleAssignment, User
from commonops.core.roles import Role
from commonops.servicedesk.models import Agent, Category, Team

_seq = itertools.count(1)


def user(username):
    return User.objects.get(username=username)


@pytest.fixture
def viet_nam(db):
    return Country.objects.get(iso_code="VN")


@pytest.fixture
def staff(db):
    return user("vn-staff")


def new_agent(country, label):
    """A desk agent of `country` made for one test: no ticket is assigned to them yet, so
    the tests that count open tickets (T3) count only what they raise themselves."""
    n = next(_seq)
    person = User.objects.create(username=f"desk-test-{label}-{n}", first_name="Agent",
                                 last_name=f"{label.upper()}{n}", duty_country=country,
                                 email=f"desk-test-{label}-{n}@example.org",
                                 agency=Agency.objects.get(acronym="UNDP"))
    RoleAssignment.objects.create(user=person, role=Role.SD_AGENT, country=country)
    return person


@pytest.fixture
def agent1(viet_nam):
    return new_agent(viet_nam, "a")


@pytest.fixture
def agent2(viet_nam):
    return new_agent(viet_nam, "b")


@pytest.fixture
def demo_agent(db):
    """vn-agent1 of the demo world, for pages that only need a realistic desk."""
    return user("vn-agent1")


@pytest.fixture
def desk_manager(db):
    return user("vn-sdm")


@pytest.fixture
def fresh_team(viet_nam, agent1, agent2, desk_manager):
    """A team of its own: two new agents (agent1, agent2) with no tickets yet and the demo's
    desk manager as lead, so the assignment tests depend on no demo ticket."""
    n = next(_seq)
    team = Team.objects.create(country=viet_nam, name=f"Test team {n}", lead=desk_manager)
    Agent.objects.create(country=viet_nam, team=team, user=agent1)
    Agent.objects.create(country=viet_nam, team=team, user=agent2)
    return team


@pytest.fixture
def category(viet_nam, fresh_team):
    return Category.objects.create(country=viet_nam, name=f"Test category {next(_seq)}",
                                   team=fresh_team)


HISTORY_YEARS = (2019, 2020)  # years the demo world (a year back from today) never reaches


@pytest.fixture
def desk_history(viet_nam, staff, category, agent1, agent2):
    """Tickets of Viet Nam's desk in 2019 and 2020, built by the actions with their own "now":
    raised on working days at varied hours and priorities, most resolved after varied
    business hours, some paused, some reopened, most rated. The KPI tests count these, not
    the demo's tickets."""
    import random
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from commonops.servicedesk import actions
    from commonops.servicedesk.models import Status, Ticket

    zone = ZoneInfo(viet_nam.time_zone)
    rnd = random.Random(20200301)
    tickets = []
    for year in HISTORY_YEARS:
        for month in range(1, 13):
            for _n in range(rnd.randint(1, 2)):
                opened = datetime(year, month, rnd.randint(1, 26), rnd.randint(8, 15),
                                  rnd.choice((0, 20, 40)), tzinfo=zone)
                ticket = actions.ticket_raise(
                    country=viet_nam, requester=staff, category=category, by=staff,
                    subject=f"History {year}-{month:02d}", priority=rnd.choice("1234").join(
                        ("P", "")), now=opened)
                agent = ticket.assignee
                at = opened + timedelta(hours=rnd.randint(1, 6))
                actions.ticket_reply(ticket=ticket, body="Looking into it", by=agent, now=at)
                if rnd.random() < 0.2:
                    actions.ticket_change_status(ticket=ticket, status=Status.WAITING,
                                                 by=agent, now=at + timedelta(minutes=30))
                    at += timedelta(hours=rnd.randint(2, 30))
                    actions.ticket_reply(ticket=ticket, body="Here it is", by=staff, now=at)
                if rnd.random() < 0.85:
                    at += timedelta(hours=rnd.randint(1, 60))
                    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED,
                                                 by=agent, now=at)
                    if rnd.random() < 0.15:
                        at += timedelta(hours=rnd.randint(1, 20))
                        actions.ticket_change_status(ticket=ticket, status=Status.REOPENED,
                                                     by=staff, now=at)
                        at += timedelta(hours=rnd.randint(1, 20))
                        actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED,
                                                     by=agent, now=at)
                    if rnd.random() < 0.7:
                        actions.ticket_rate(ticket=Ticket.objects.get(pk=ticket.pk),
                                            score=rnd.randint(1, 5), by=staff,
                                            now=at + timedelta(hours=2))
                tickets.append(ticket)
    return tickets
