from django.urls import reverse

from commonops.core import queries
from commonops.core.navigation import areas_for


def navigation(request):
    """The layout's navigation (one entry per area the user may use) and the country
    switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = []
    for area in areas_for(user):
        url = reverse("area", args=[area.key])
        current = request.path == url or any(
            request.path.startswith(link_url) for _label, link_url in area.links_for(user))
        entries.append((area.label, url, current))
    from commonops.core.admin import is_global_administrator

    return {
        "nav_areas": entries,
        "may_use_admin": is_global_administrator(user),
        "current_country": getattr(request, "country", None),
        "switcher_countries": queries.countries_for_switcher(user),
    }
