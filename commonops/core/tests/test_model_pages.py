"""Every organisation model gets the generic page, API, access, audit and query-count checks."""

import itertools
from datetime import date

from commonops.core import views
from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
)
from commonops.core.roles import Role
from commonops.core.testing import ModelCase, model_case_tests

_seq = itertools.count(1)


def _new_agency(world):
    n = next(_seq)
    return Agency.objects.create(acronym=f"AG{n}", name=f"Agency number {n}")


def _new_holiday(world):
    n = next(_seq)
    return PublicHoliday.objects.create(country=world.country("VN"), day=date(2030, 1, 1 + n % 28)
                                        if False else date(2030 + n // 300, 1 + (n // 28) % 12,
                                                           1 + n % 28),
                                        name=f"Holiday {n}")


def _new_person(world):
    n = next(_seq)
    return User.objects.create(username=f"person{n}", first_name="Test", last_name=f"P{n}",
                               email=f"p{n}@example.org", duty_country=world.country("VN"),
                               agency=world.agency("UNDP"))


def _new_country(world):
    n = next(_seq)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    iso = "Q" + letters[n % 26] if n < 26 else "X" + letters[n % 26]
    country, _ = Country.objects.get_or_create(
        iso_code=iso, defaults={"name": f"Testland {n}", "region": world.region("AP"),
                                "currency": "USD"})
    return country


CASES = [
    ModelCase(
        pages=views.RegionPages,
        make=lambda w: Region.objects.create(code=f"R{next(_seq)}", name=f"Region {next(_seq)}"),
        create_data=lambda w: {"code": "NEW", "name": "A new region"},
        edit_data=lambda obj: {"code": obj.code, "name": obj.name + " (renamed)"},
        api_basename="region", manager="admin", outsider_sees_it=True,
    ),
    ModelCase(
        pages=views.AgencyPages,
        make=_new_agency,
        create_data=lambda w: {"acronym": "NEWAG", "name": "A new agency"},
        edit_data=lambda obj: {"acronym": obj.acronym, "name": obj.name + " (renamed)"},
        api_basename="agency", manager="admin", outsider_sees_it=True,
    ),
    ModelCase(
        pages=views.CountryPages,
        # A new country team in Asia/Pacific: its regional focal point sees it, only an
        # administrator changes it (a country's own chair is tested in test_access).
        make=_new_country,
        create_data=lambda w: {"iso_code": "ZZ", "name": "Zedland", "region": w.region("AP"),
                               "currency": "USD", "time_zone": "Asia/Bangkok",
                               "working_week": "mon_fri", "day_start": "08:00",
                               "day_end": "17:00", "typology": "small"},
        edit_data=lambda obj: {"iso_code": obj.iso_code, "name": obj.name + " (renamed)",
                               "region": obj.region, "currency": obj.currency,
                               "time_zone": obj.time_zone, "working_week": obj.working_week,
                               "day_start": "08:30", "day_end": "17:00",
                               "un_expenditure": obj.un_expenditure, "typology": obj.typology},
        api_basename="country", manager="admin", viewer="ap-focal",
    ),
    ModelCase(
        pages=views.PublicHolidayPages,
        make=_new_holiday,
        create_data=lambda w: {"country": w.country("VN"), "day": "2031-03-08",
                               "name": "Women's Day"},
        edit_data=lambda obj: {"country": obj.country, "day": obj.day.isoformat(),
                               "name": obj.name + " (moved)"},
        api_basename="publicholiday",
    ),
    ModelCase(
        pages=views.AgencyPresencePages,
        make=lambda w: AgencyPresence.objects.create(country=w.country("VN"),
                                                     agency=_new_agency(w)),
        create_data=lambda w: {"country": w.country("VN"), "agency": _new_agency(w),
                               "presence": "resident"},
        edit_data=lambda obj: {"country": obj.country, "agency": obj.agency,
                               "presence": "non_resident", "in_common_premises": False},
        api_basename="agencypresence", changed_field="presence",
    ),
    ModelCase(
        pages=views.PersonPages,
        make=_new_person,
        create_data=lambda w: {"username": f"newperson{next(_seq)}", "first_name": "New",
                               "last_name": "Person", "email": "new@example.org",
                               "agency": w.agency("UNICEF"), "duty_country": w.country("VN"),
                               "languages": "en,vi", "is_active": True},
        edit_data=lambda obj: {"username": obj.username + "-renamed",
                               "first_name": obj.first_name, "last_name": obj.last_name,
                               "email": obj.email, "agency": obj.agency,
                               "duty_country": obj.duty_country, "languages": "en",
                               "is_active": True},
        api_basename="person", changed_field="username",
    ),
    ModelCase(
        pages=views.RoleAssignmentPages,
        make=lambda w: RoleAssignment.objects.create(user=_new_person(w),
                                                     role=Role.STAFF, country=w.country("VN")),
        create_data=lambda w: {"user": _new_person(w), "role": Role.TASK_FORCE_MEMBER,
                               "country": w.country("VN")},
        edit_data=lambda obj: {"user": obj.user, "role": Role.ME_FOCAL_POINT,
                               "country": obj.country},
        api_basename="roleassignment", changed_field="role",
    ),
]


TestOrganisationModels = model_case_tests(CASES)


def test_every_organisation_model_has_generic_tests():
    """A model without a case here would go untested for access and audit."""
    from django.apps import apps

    covered = {case.model for case in CASES}
    models = {m for m in apps.get_app_config("core").get_models()
              if getattr(m, "audited", False)}
    assert models - covered == set()
