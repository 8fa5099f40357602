"""Fixtures of the governance tests (the personas are the project's, in the root conftest)."""

import pytest

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
