"""Access in one place: who sees which country's rows, and what each role may do."""

import pytest
from django.urls import reverse

from commonops.core import access, actions
from commonops.core.models import Country, PublicHoliday, RoleAssignment, User
from commonops.core.roles import ROLE_PERMISSIONS, Perm, Role

pytestmark = pytest.mark.django_db


def _isos(user):
    return set(access.visible_countries(user).values_list("iso_code", flat=True))


def test_a_country_role_sees_only_its_country(vn_member, jo_staff, outsider):
    assert _isos(vn_member) == {"VN"}
    assert _isos(jo_staff) == {"JO"}
    assert _isos(outsider) == {"SN"}


def test_a_regional_focal_point_sees_the_countries_of_its_region():
    focal = User.objects.get(username="ap-focal")
    assert _isos(focal) == set(
        Country.objects.filter(region__code="AP").values_list("iso_code", flat=True))


def test_hq_analysts_and_auditors_see_every_country(hq_analyst, auditor):
    everything = set(Country.objects.values_list("iso_code", flat=True))
    assert _isos(hq_analyst) == everything
    assert _isos(auditor) == everything


def test_anonymous_and_inactive_people_see_nothing(vn_member):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_countries(AnonymousUser()).exists()
    vn_member.is_active = False
    assert not access.visible_countries(vn_member).exists()


def test_every_role_has_permissions_and_every_permission_a_role():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert all(Perm.VIEW in perms for perms in ROLE_PERMISSIONS.values())


def test_a_role_counts_only_in_its_own_country(vn_chair, viet_nam, jordan):
    assert access.can(vn_chair, Perm.CHANGE_COUNTRY, viet_nam)
    assert not access.can(vn_chair, Perm.CHANGE_COUNTRY, jordan)
    assert not access.can(vn_chair, Perm.VIEW, jordan)


def test_an_auditor_reads_everywhere_but_changes_nothing(auditor, viet_nam, client):
    assert access.can(auditor, Perm.VIEW, viet_nam)
    assert not access.can(auditor, Perm.CHANGE_COUNTRY, viet_nam)
    client.force_login(auditor)
    url = reverse("core:country_edit", args=[viet_nam.pk])
    assert client.get(url).status_code == 403


def test_outsider_gets_404_not_403_for_another_countrys_object(client, outsider, viet_nam):
    holiday = PublicHoliday.objects.filter(country=viet_nam).first()
    client.force_login(outsider)
    for url in (viet_nam.get_absolute_url(), holiday.get_absolute_url(),
                reverse("core:country_edit", args=[viet_nam.pk]),
                reverse("core:publicholiday_delete", args=[holiday.pk])):
        assert client.get(url).status_code == 404, url


def test_the_countrys_chair_changes_its_calendar_but_cannot_move_it(client, vn_chair,
                                                                     viet_nam):
    from commonops.core.models import Region

    client.force_login(vn_chair)
    url = reverse("core:country_edit", args=[viet_nam.pk])
    data = {"iso_code": "VN", "name": "Viet Nam", "region": viet_nam.region_id,
            "currency": "VND", "time_zone": "Asia/Ho_Chi_Minh", "working_week": "mon_fri",
            "day_start": "07:30", "day_end": "16:30", "typology": viet_nam.typology,
            "un_expenditure": viet_nam.un_expenditure}
    assert client.post(url, data).status_code == 302
    viet_nam.refresh_from_db()
    assert str(viet_nam.day_start) == "07:30:00"

    data["region"] = Region.objects.get(code="WA").pk
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Only administrators may move a country" in response.content.decode()
    viet_nam.refresh_from_db()
    assert viet_nam.region.code == "AP"


def test_business_hours_must_start_before_they_end(client, vn_chair, viet_nam):
    client.force_login(vn_chair)
    url = reverse("core:country_edit", args=[viet_nam.pk])
    data = {"iso_code": "VN", "name": "Viet Nam", "region": viet_nam.region_id,
            "currency": "VND", "time_zone": "Asia/Ho_Chi_Minh", "working_week": "mon_fri",
            "day_start": "17:00", "day_end": "08:00", "typology": viet_nam.typology}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Business hours must start before they end." in response.content.decode()


def test_a_chair_cannot_give_a_role_with_more_rights_than_their_own(vn_chair, viet_nam):
    from django.core.exceptions import PermissionDenied

    staff = User.objects.get(username="vn-staff")
    with pytest.raises(PermissionDenied):
        actions.role_assignment_create(
            by=vn_chair, data={"user": staff, "role": Role.RC, "country": viet_nam})
    with pytest.raises(PermissionDenied):
        actions.role_assignment_create(by=vn_chair, data={"user": staff, "role": Role.AUDITOR})
    assert not RoleAssignment.objects.filter(user=staff, role__in=[Role.RC, Role.AUDITOR])


def test_a_new_role_takes_effect_at_once(vn_chair, viet_nam):
    staff = User.objects.get(username="vn-staff")
    assert not access.can(staff, Perm.EXPORT, viet_nam)
    actions.role_assignment_create(
        by=vn_chair, data={"user": staff, "role": Role.TASK_FORCE_MEMBER, "country": viet_nam})
    assert access.can(staff, Perm.EXPORT, viet_nam)


def test_a_role_needs_the_scope_it_is_held_at(admin_user, viet_nam):
    from django.core.exceptions import ValidationError

    staff = User.objects.get(username="vn-staff")
    with pytest.raises(ValidationError, match="exactly the scope"):
        actions.role_assignment_create(  # no country
            by=admin_user, data={"user": staff, "role": Role.STAFF})
    with pytest.raises(ValidationError):
        actions.role_assignment_create(
            by=admin_user, data={"user": staff, "role": Role.AUDITOR, "country": viet_nam})


def test_the_country_switcher_offers_only_visible_countries(client, hq_analyst, outsider,
                                                            jordan):
    client.force_login(hq_analyst)
    response = client.post(reverse("switch_country"), {"country": jordan.pk, "next": "/"})
    assert response.status_code == 302
    assert client.get("/").context["current_country"] == jordan

    client.force_login(outsider)
    response = client.post(reverse("switch_country"), {"country": jordan.pk})
    assert response.status_code == 404
    assert client.get("/").context["current_country"].iso_code == "SN"


def test_the_switcher_does_not_redirect_off_site(client, hq_analyst, jordan):
    client.force_login(hq_analyst)
    response = client.post(reverse("switch_country"),
                           {"country": jordan.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_only_staff_reach_the_admin(client, vn_chair):
    client.force_login(vn_chair)
    assert client.get(reverse("admin:core_country_changelist")).status_code == 302


def test_the_admin_is_for_global_administrators_only(client, vn_chair):
    from django.contrib.auth.models import Permission

    permissions = Permission.objects.filter(codename__in=["view_country", "change_country"])
    vn_chair.is_staff = True
    vn_chair.save()
    vn_chair.user_permissions.add(*permissions)
    client.force_login(vn_chair)
    assert client.get(reverse("admin:core_country_changelist")).status_code == 302

    administrator = User.objects.create(username="hq-admin", is_staff=True)
    RoleAssignment.objects.create(user=administrator, role=Role.ADMINISTRATOR)
    administrator.user_permissions.add(*permissions)
    client.force_login(administrator)
    response = client.get(reverse("admin:core_country_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == Country.objects.count()


def test_admin_saves_are_audited_with_the_admin_source(client, admin_user, viet_nam):
    from commonops.core.models import AuditEntry

    holiday = PublicHoliday.objects.filter(country=viet_nam).first()
    client.force_login(admin_user)
    url = reverse("admin:core_publicholiday_change", args=[holiday.pk])
    response = client.post(url, {"country": viet_nam.pk, "day": holiday.day.isoformat(),
                                 "name": "Renamed in admin"})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(holiday.pk), action="update").latest("at")
    assert entry.source == "admin"
    assert entry.changes["name"][1] == "Renamed in admin"


def test_the_typology_follows_the_expenditure_b8(vn_chair, viet_nam):
    from decimal import Decimal

    actions.country_update(country=viet_nam, by=vn_chair,
                           data={"un_expenditure": Decimal("120000000")})
    viet_nam.refresh_from_db()
    assert viet_nam.typology == "large"
