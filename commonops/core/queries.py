"""Reads for the organisation pages, the home page and the audit trail."""

from datetime import date, timedelta

from django.db.models import Count

from commonops.core import access
from commonops.core.models import (
    AuditEntry,
    PublicHoliday,
    User,
)
from commonops.core.roles import Perm

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
