"""H3: the six common-services regions come from a data migration, so a new database has
them; running it again changes nothing."""

import importlib

import pytest
from django.apps import apps

from commonops.core.models import Region

pytestmark = pytest.mark.django_db

H3 = ["Asia/Pacific", "Eastern/Southern Africa", "West Africa", "Arab States/North Africa",
      "Latin America/Caribbean", "Eastern Europe/CIS"]


def test_the_data_migration_holds_the_six_regions_of_h3():
    migration = importlib.import_module("commonops.core.migrations.0004_the_six_regions")
    assert [name for _code, name in migration.REGIONS] == H3
    assert set(H3) <= set(Region.objects.values_list("name", flat=True))


def test_running_it_again_adds_nothing():
    migration = importlib.import_module("commonops.core.migrations.0004_the_six_regions")
    before = list(Region.objects.order_by("pk").values_list("pk", "code", "name"))
    migration.add_regions(apps, None)
    assert list(Region.objects.order_by("pk").values_list("pk", "code", "name")) == before


def test_it_creates_them_in_an_empty_table():
    from django.db import transaction

    migration = importlib.import_module("commonops.core.migrations.0004_the_six_regions")
    with transaction.atomic():
        Region.objects.filter(countries__isnull=True).delete()
        spare = set(Region.objects.values_list("code", flat=True))
        migration.add_regions(apps, None)
        codes = set(Region.objects.values_list("code", flat=True))
        assert {code for code, _name in migration.REGIONS} <= codes
        assert codes - spare  # what was missing came back
        transaction.set_rollback(True)
