import itertools

import pytest

from commonops.core.models import Country, User
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


@pytest.fixture
def agent1(db):
    return user("vn-agent1")


@pytest.fixture
def agent2(db):
    return user("vn-agent2")


@pytest.fixture
def desk_manager(db):
    return user("vn-sdm")


@pytest.fixture
def fresh_team(viet_nam, agent1, agent2, desk_manager):
    """A team of its own (vn-agent1 and vn-agent2, lead vn-sdm) so the assignment tests do
    not depend on the demo tickets."""
    n = next(_seq)
    team = Team.objects.create(country=viet_nam, name=f"Test team {n}", lead=desk_manager)
    Agent.objects.create(country=viet_nam, team=team, user=agent1)
    Agent.objects.create(country=viet_nam, team=team, user=agent2)
    return team


@pytest.fixture
def category(viet_nam, fresh_team):
    return Category.objects.create(country=viet_nam, name=f"Test category {next(_seq)}",
                                   team=fresh_team)
