"""S1: two people allocating the same service and year at once produce one allocation.

On PostgreSQL two threads race for real: the first locks the key row (select_for_update),
the second waits, then finds the allocation and is told so. SQLite has no row locks; there
the unique constraint on (service, year) is what holds (test_allocation.py checks it)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from commonops.commonservices import actions
from commonops.commonservices.models import Allocation, CostSharingKey
from commonops.core.models import Agency, Country, User


@pytest.mark.django_db(transaction=True)
def test_two_people_allocating_at_once_make_one_allocation(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; the unique constraint is tested on SQLite")
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    country = Country.objects.get(iso_code="VN")
    csm = User.objects.get(username="vn-csm")
    service = actions.service_create(by=csm, data={
        "country": country, "name": "Race test service", "service_line": "ict",
        "client_agencies": list(Agency.objects.filter(acronym__in=["UNDP", "WHO"]))})
    actions.budget_line_create(by=csm, data={"service": service, "year": 2030, "line": "Staff",
                                           "amount": Decimal(100)})
    actions.key_create(by=csm, data={"service": service, "year": 2030, "method": "equal"})

    # Both threads pass the lock step together; the slower one must wait for the lock.
    barrier = threading.Barrier(2)
    original = CostSharingKey.objects.select_for_update

    def synchronised(*args, **kwargs):
        barrier.wait(timeout=10)
        return original(*args, **kwargs)

    monkeypatch.setattr(CostSharingKey.objects, "select_for_update", synchronised)
    outcomes = []

    def allocate():
        try:
            actions.allocation_allocate(service=service, year=2030, by=csm)
            outcomes.append("allocated")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("allocated") == 1
    assert len(outcomes) == 2
    assert any("already allocated" in outcome for outcome in outcomes)
    assert Allocation.objects.filter(service=service, year=2030).count() == 1
