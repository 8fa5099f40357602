"""Reads for the organisation pages, the home page and the audit trail."""

from datetime import date, timedelta

from django.db.models import Count
from django.urls import reverse

from commonops.core import access
from commonops.core.models import (
    AuditEntry,
    PublicHoliday,
    RoleAssignment,
    User,
)
from commonops.core.roles import COUNTRY_ROLES, REGION_ROLES, Perm

SESSION_COUNTRY_KEY = "commonops_country_id"


def current_country_for(request):
    """The country the user works in now, or None when they may see no country."""
    user = request.user
    if not user.is_authenticated:
        return None
    countries = access.visible_countries(user).select_related("region")
    chosen = request.session.get(SESSION_COUNTRY_KEY)
    for candidate in (chosen, user.duty_country_id):
        if candidate is not None:
            country = countries.filter(pk=candidate).first()
            if country is not None:
                return country
    return countries.order_by("name").first()


def landing_url(request) -> str | None:
    """Where the home page sends someone who follows several countries from a region or
    headquarters (a regional focal point, an HQ analyst, an auditor) and has not picked one
    with the switcher: the list of their countries, not whichever comes first in the
    alphabet. None (their country's home) for anyone with a duty country or a role in a
    country, or whose region holds one country. Apps with a regional or HQ view register it
    (`navigation.register_landing`), and it is preferred to the list."""
    user = request.user
    if request.session.get(SESSION_COUNTRY_KEY) or user.duty_country_id:
        return None
    roles = list(RoleAssignment.objects.filter(user_id=user.pk).values_list("role",
                                                                            "region_id"))
    if not roles or any(role in COUNTRY_ROLES for role, _region in roles):
        return None
    if access.visible_countries(user).count() < 2:
        return None
    from commonops.core.navigation import LANDINGS

    regions = {region for role, region in roles if role in REGION_ROLES}
    only_regional = all(role in REGION_ROLES for role, _region in roles)
    for landing in LANDINGS:
        url = landing(user, regions if only_regional else set())
        if url:
            return url
    url = reverse("core:country_list")
    if len(regions) == 1 and only_regional:
        url += f"?region={regions.pop()}"
    return url


def countries_for_switcher(user):
    return access.visible_countries(user).only("id", "name", "iso_code").order_by("name")



def upcoming_holidays(country, *, today: date, days: int = 30):
    return PublicHoliday.objects.filter(
        country=country, day__gte=today, day__lte=today + timedelta(days=days)
    ).order_by("day")


def holidays_missing_for_year(country, *, year: int) -> bool:
    return not PublicHoliday.objects.filter(country=country, day__year=year).exists()


def people_without_role(country):
    """People on duty in the country who hold no role anywhere (they see nothing)."""
    return (
        User.objects.filter(duty_country=country, is_active=True)
        .annotate(role_count=Count("role_assignments"))
        .filter(role_count=0)
        .select_related("agency")
    )


def audit_entries_visible_to(user):
    """The audit trail rows `user` may search: auditors (everywhere) and RCs (their country).

    Rows filed under no country (agencies, regions, people without a duty country) are
    visible only to those who may search the trail everywhere.
    """
    scope = access.scope_for(user, Perm.VIEW_AUDIT)
    entries = AuditEntry.objects.select_related("content_type")
    if scope.everywhere:
        return entries
    return entries.filter(country_id__in=scope.country_ids)
