"""What every app shares from core: the validated save, `require`, money, and a country's
today."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template

from commonops.core import access
from commonops.core.models import Agency, Country, Region
from commonops.core.money import CENT, format_money, to_cent
from commonops.core.roles import Perm
from commonops.core.saving import delete_managed, save_managed, validated_save


def test_amounts_round_to_the_cent_halves_away_from_zero():
    assert to_cent("2.345") == Decimal("2.35")
    assert to_cent(Decimal("-2.345")) == Decimal("-2.35")
    assert to_cent(3) == Decimal("3.00") and CENT == Decimal("0.01")


def test_amounts_read_with_thousands_and_two_decimals():
    assert format_money(Decimal("1234567.8")) == "1,234,567.80"
    assert format_money(None) == "—" and format_money("") == "—"
    assert Template("{% load display %}{{ v|money }}").render(
        Context({"v": Decimal("12.5")})) == "12.50"


def test_a_country_counts_its_days_in_its_own_time_zone(viet_nam):
    # 20:00 UTC on 31 December is already 1 January in Hanoi (UTC+7)
    moment = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)
    assert viet_nam.local_date(moment).isoformat() == "2026-01-01"
    guatemala = Country(time_zone="America/Guatemala")
    assert guatemala.local_date(moment).isoformat() == "2025-12-31"
    assert viet_nam.today() == viet_nam.local_date(datetime.now(UTC))


def test_the_validated_save_checks_the_whole_row_and_changes_nothing_when_it_fails(db):
    region = Region.objects.first()
    with pytest.raises(ValidationError):
        validated_save(Region(), {"code": region.code, "name": "Another"})  # code is unique
    assert not Region.objects.filter(name="Another").exists()


def test_a_managed_row_needs_the_manage_permission(vn_chair, admin_user):
    with pytest.raises(PermissionDenied):
        save_managed(Agency(), by=vn_chair, data={"acronym": "NEW", "name": "New agency"})
    agency = save_managed(Agency(), by=admin_user, data={"acronym": "NEW", "name": "New"})
    with pytest.raises(PermissionDenied):
        delete_managed(agency, by=vn_chair)
    delete_managed(agency, by=admin_user)
    assert not Agency.objects.filter(acronym="NEW").exists()


def test_require_refuses_with_a_sentence_for_the_person(vn_member, viet_nam):
    with pytest.raises(PermissionDenied, match="Only the chair"):
        access.require(vn_member, Perm.CHANGE_COUNTRY, viet_nam, "Only the chair may.")
    access.require(vn_member, Perm.VIEW, viet_nam)


def test_holding_a_permission_through_a_role_in_the_country(vn_rc, admin_user, viet_nam):
    assert access.holds(vn_rc, Perm.BOS_SIGN_OFF, viet_nam)
    assert access.can(admin_user, Perm.CHANGE_COUNTRY, viet_nam)
    assert not access.holds(admin_user, Perm.CHANGE_COUNTRY, viet_nam)  # a global role
