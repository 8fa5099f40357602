"""H3: the six common-services regions come from a data migration, so a new database has
them; running it again changes nothing."""

import importlib

import pytest
from django.apps import apps
from django.db import connection, transaction

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
    """The table is emptied in SQL inside a transaction that is rolled back. Django creates
    foreign keys deferred (checked at commit), so the country teams and experts that point
    at the regions are neither deleted nor changed, and nothing else sees the empty table."""
    migration = importlib.import_module("commonops.core.migrations.0004_the_six_regions")
    table = connection.ops.quote_name(Region._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
        assert not Region.objects.exists()
        migration.add_regions(apps, None)
        assert sorted(Region.objects.values_list("code", "name")) == sorted(
            migration.REGIONS)
        transaction.set_rollback(True)
    assert set(H3) <= set(Region.objects.values_list("name", flat=True))
