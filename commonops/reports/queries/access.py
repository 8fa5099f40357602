"""Who may see which Performance page."""



from django.http import Http404

from commonops.core import access
from commonops.core.models import (
    Country,
    Region,
)
from commonops.core.roles import Perm

# --- who may see which page ------------------------------------------------------------------


def country_or_404(user, pk) -> Country:
    """A country team the user may see (its dashboard and annual report)."""
    return access.get_visible_or_404(Country.objects.select_related("region"), user, pk=pk)


def comparable_countries(user):
    """The country teams the user may compare: their region's, or all for HQ roles."""
    return access.scope_queryset(Country.objects.all(), user, Perm.COMPARE_COUNTRIES)


def regions_for(user):
    """The regions whose page the user may open (404 for any other)."""
    ids = access.region_ids(user, Perm.COMPARE_COUNTRIES)
    regions = Region.objects.all()
    return regions if ids is None else regions.filter(pk__in=ids)


def region_or_404(user, pk) -> Region:
    region = regions_for(user).filter(pk=pk).first()
    if region is None:
        raise Http404
    return region


def sees_everything(user) -> bool:
    """The HQ page and the global report: HQ analysts, auditors and administrators."""
    return access.scope_for(user, Perm.GLOBAL_REPORTS).everywhere


def require_global(user) -> None:
    if not sees_everything(user):
        raise Http404


def agency_countries(user):
    """The countries whose figures the agency view shows to `user`."""
    if not access.can(user, Perm.COMPARE_COUNTRIES):
        raise Http404
    return comparable_countries(user)
