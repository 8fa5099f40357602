"""seed_scale at a small size: the sizes asked for, in every area the pages read, the same
rows from the same seed, and the performance pages still constant in queries."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.db.models import Count, Sum

from commonops.bos.models import AnnualResult, Bos, CbaEntry, Opportunity
from commonops.commonservices.models import CommonService
from commonops.core.models import AgencyPresence, Country, User
from commonops.governance.models import Meeting
from commonops.reports import scale
from commonops.reports.models import AdminBudget
from commonops.servicedesk.models import Rating, Ticket

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def _sizes(**changes):
    sizes = {"countries": Country.objects.count() + 2, "agencies": 8, "people": 0,
             "services": 6, "years": 3, "tickets": 300, "seed": 7}
    return scale.Sizes(**{**sizes, **changes})


def _snapshot(codes):
    new = Country.objects.filter(iso_code__in=codes)
    return {
        "countries": sorted(new.values_list("iso_code", "name", "region__code", "time_zone",
                                            "typology")),
        "people": sorted(User.objects.filter(duty_country__in=new).values_list(
            "username", "agency__acronym")),
        "cba": CbaEntry.objects.filter(country__in=new).aggregate(s=Sum("amount"))["s"],
        "realised": AnnualResult.objects.filter(country__in=new).aggregate(
            s=Sum("realised_cost_avoidance"))["s"],
        "tickets": sorted(Ticket.objects.filter(country__in=new).values_list(
            "number", "priority", "resolution_met")),
        "services": sorted(CommonService.objects.filter(country__in=new).values_list(
            "name", "start_date", "status")),
    }


def test_seed_scale_builds_the_sizes_asked_for_in_every_area():
    out = io.StringIO()
    before = set(Country.objects.values_list("iso_code", flat=True))
    counts = scale.build(_sizes(), out=OutputWrapper(out), now=NOW)
    new = Country.objects.exclude(iso_code__in=before)
    assert new.count() == 2 and counts["countries"] == len(before) + 2
    assert "tickets" in out.getvalue() and "100.0%" in out.getvalue()  # the progress bar
    for country in new:
        presences = AgencyPresence.objects.filter(country=country).count()
        assert 3 <= presences <= 8
        assert Bos.objects.filter(country=country).count() == 2
        assert Opportunity.objects.filter(country=country).count() >= 2
        assert Meeting.objects.filter(country=country, status="held").exists()
        assert AdminBudget.objects.filter(country=country).count() == presences * 3
        assert User.objects.filter(duty_country=country).count() >= presences
    assert Ticket.objects.filter(country__in=new).count() == 300
    resolved = Ticket.objects.filter(country__in=new, resolved_at__isnull=False)
    assert Rating.objects.filter(ticket__in=resolved).count() == sum(
        1 for pk in resolved.values_list("pk", flat=True) if pk % 3 == 0)
    # tickets spread over the last three years (365 days each) up to now, numbers unique
    opened = Ticket.objects.filter(country__in=new).values_list("opened_at", flat=True)
    assert NOW - max(opened) < (NOW - min(opened)) / 100
    assert (NOW - min(opened)).days in (1094, 1095)
    assert not Ticket.objects.values("number").annotate(n=Count("id")).filter(n__gt=1)


def test_the_same_seed_gives_the_same_rows():
    before = set(Country.objects.values_list("iso_code", flat=True))
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            scale.build(_sizes(), out=OutputWrapper(io.StringIO()), now=NOW)
            codes = set(Country.objects.values_list("iso_code", flat=True)) - before
            snapshots.append(_snapshot(codes))
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["tickets"]
    with transaction.atomic():
        scale.build(_sizes(seed=8), out=OutputWrapper(io.StringIO()), now=NOW)
        codes = set(Country.objects.values_list("iso_code", flat=True)) - before
        assert _snapshot(codes) != snapshots[0]
        transaction.set_rollback(True)


def test_the_hq_page_keeps_its_query_count_with_the_scale_data(client):
    from django.urls import reverse

    from commonops.core.testing import count_queries

    client.force_login(User.objects.get(username="hq-analyst"))
    url = reverse("reports:hq") + "?year=2025"
    before = count_queries(client, url)
    scale.build(_sizes(countries=Country.objects.count() + 4), out=OutputWrapper(
        io.StringIO()), now=NOW)
    assert count_queries(client, url) == before
