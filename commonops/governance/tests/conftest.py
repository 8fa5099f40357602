"""Fixtures of the governance tests (the personas are the project's, in the root conftest)."""

import pytest
from django.utils import timezone

from commonops.core.models import User
from commonops.governance.models import Omt


@pytest.fixture
def omt(viet_nam):
    """Viet Nam's OMT, from the demo world."""
    return Omt.objects.get(country=viet_nam)


@pytest.fixture
def secretary(db):
    """The OMT's secretary: runs the OMT without being a member (G12)."""
    return User.objects.get(username="vn-secretary")


@pytest.fixture
def fao(db):
    """FAO's member of the OMT: comments and raises escalations, does not run the OMT."""
    return User.objects.get(username="vn-omt-fao")


@pytest.fixture
def clock(monkeypatch):
    """`clock.move_to(moment)`: the code under test reads `moment` as now, as if the days
    up to it had passed (a comment period closing, a meeting taking place);
    `clock.restore()` brings today back. A client logged in before a move of days logs in
    again after it: its session has expired meanwhile."""

    real_now = timezone.now

    class Clock:
        def move_to(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

        def restore(self):
            monkeypatch.setattr(timezone, "now", real_now)

    return Clock()
