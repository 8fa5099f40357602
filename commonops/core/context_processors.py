from django.urls import reverse

from commonops.core import access, queries
from commonops.core.navigation import AREAS


def navigation(request):
    """The layout's navigation (areas the user may use) and the country switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    country = getattr(request, "country", None)
    areas = []
    for area in AREAS:
        links = [(link.label, reverse(link.url_name)) for link in area.links
                 if access.can(user, link.perm)]
        if links:
            areas.append((area.label, links))
    return {
        "nav_areas": areas,
        "current_country": country,
        "switcher_countries": queries.countries_for_switcher(user),
    }
