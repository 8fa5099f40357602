"""B4: a recurring CBA line is entered once and repeated over the horizon years."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commonops.bos import actions
from commonops.bos.models import Bos, CbaEntry
from commonops.core.models import Agency, Country, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair(db):
    return User.objects.get(username="vn-chair")


@pytest.fixture
def opportunity(chair):
    country = Country.objects.get(iso_code="VN")
    taken = set(Bos.objects.filter(country=country).values_list("start_year", flat=True))
    year = next(y for y in range(2090, 2000, -1) if y not in taken)
    bos = actions.bos_create(by=chair, data={
        "country": country, "title": "Repeat test", "start_year": year, "end_year": year + 4,
        "kickoff_on": date(2026, 3, 2), "service_lines": ["ict", "procurement"],
        "participating_agencies": list(Agency.objects.filter(acronym__in=["UNDP", "WHO"]))})
    return actions.opportunity_create(by=chair, data={
        "bos": bos, "name": "Shared cloud", "service_line": "ict",
        "managing_agencies": [Agency.objects.get(acronym="UNDP")],
        "participating_agencies": [Agency.objects.get(acronym="WHO")],
        "implementation_start": year})


def _post(client, opportunity, **extra):
    return client.post(reverse("bos:cbaentry_add"), {
        "opportunity": opportunity.pk, "year": 2, "side": "benefit", "kind": "monetary",
        "nature": "recurring", "description": "Licences saved", "amount": "1200.00", **extra})


def test_a_recurring_line_is_repeated_over_the_years_at_once(client, chair, opportunity):
    client.force_login(chair)
    response = _post(client, opportunity, repeat_until=5)
    assert response.status_code == 302
    lines = CbaEntry.objects.filter(opportunity=opportunity).order_by("year")
    assert [(line.year, line.amount) for line in lines] == [
        (year, Decimal("1200.00")) for year in (2, 3, 4, 5)]


def test_repeating_a_one_time_line_or_beyond_the_cycle_changes_nothing(client, chair,
                                                                       opportunity):
    client.force_login(chair)
    response = _post(client, opportunity, repeat_until=4, nature="one_time")
    assert response.status_code == 400
    assert "Only a recurring line repeats." in response.content.decode()
    response = _post(client, opportunity, repeat_until=9)  # the cycle has five years
    assert response.status_code == 400
    assert not CbaEntry.objects.filter(opportunity=opportunity).exists()


def test_without_repeat_one_line_is_added(client, chair, opportunity):
    client.force_login(chair)
    assert _post(client, opportunity).status_code == 302
    assert CbaEntry.objects.filter(opportunity=opportunity).count() == 1
