"""What the organisation part asks of the user on the home page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.core import access, queries
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm


@attention_provider
def holidays_not_entered(request, country):
    if not access.can(request.user, Perm.CHANGE_COUNTRY, country):
        return []
    today = country.today()
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    items = []
    for year in years:
        if queries.holidays_missing_for_year(country, year=year):
            items.append(Attention(
                title=_("No public holidays entered for %(year)d") % {"year": year},
                detail=_("Deadlines and service-desk times count every weekday until they are."),
                url=reverse("core:publicholiday_add"),
                level="warning",
            ))
    return items


@attention_provider
def people_without_roles(request, country):
    if not access.can(request.user, Perm.MANAGE_PEOPLE, country):
        return []
    count = queries.people_without_role(country).count()
    if not count:
        return []
    return [Attention(
        title=ngettext("%(count)d person has no role and sees nothing",
                       "%(count)d people have no role and see nothing", count)
        % {"count": count},
        url=reverse("core:person_list") + f"?duty_country={country.pk}",
        level="info",
    )]
