"""Navigation by area, and the home page's "needs your attention" items.

The sidebar has one entry per area the person may use; it opens the area's page, which
lists the area's own links. Reference tables (agencies, grade rates, SLA policies, …) are
not daily work: they sit in the Settings area, and each shows only to those who manage it.

Each app adds its area, its settings and its attention providers from its
AppConfig.ready(), so the layout and the home page never import app code:

    register_area(Area("bos", _("Business Operations Strategy"), [
        Link(_("Our BOS"), "bos:home"), …]))
    register_settings(Link(_("Grade rates"), "bos:graderate_list", Perm.BOS_EDIT))
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core import access
from commonops.core.roles import Perm


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    perm: str = Perm.VIEW  # shown to people who hold it somewhere


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    links: list[Link] = field(default_factory=list)
    order: int = 50  # place in the sidebar: daily work first, shared tables last

    def links_for(self, user) -> list[tuple[str, str]]:
        """(label, url) of the links `user` may follow."""
        return [(link.label, reverse(link.url_name)) for link in self.links
                if access.can(user, link.perm)]


SETTINGS = Area("settings", _("Settings"), order=90, links=[
    Link(_("Agencies"), "core:agency_list", Perm.MANAGE_REFERENCE),
    Link(_("Agency presence"), "core:agencypresence_list", Perm.CHANGE_COUNTRY),
    Link(_("Public holidays"), "core:publicholiday_list", Perm.CHANGE_COUNTRY),
    Link(_("Roles"), "core:roleassignment_list", Perm.MANAGE_PEOPLE),
    Link(_("Regions"), "core:region_list", Perm.MANAGE_REFERENCE),
])

AREAS: list[Area] = [
    Area("organisation", _("Organisation"), order=80, links=[
        Link(_("Country teams"), "core:country_list"),
        Link(_("People"), "core:person_list"),
    ]),
    Area("oversight", _("Oversight"), order=85, links=[
        Link(_("Audit trail"), "core:audit_list", Perm.VIEW_AUDIT),
    ]),
    SETTINGS,
]


def register_area(area: Area) -> None:
    """Add an app's area (from its AppConfig.ready()); `Area.order` places it."""
    if any(existing.key == area.key for existing in AREAS):
        return
    AREAS.append(area)
    AREAS.sort(key=lambda existing: existing.order)


def register_settings(*links: Link) -> None:
    """Add an app's reference tables to Settings; give each the permission that manages it."""
    for link in links:
        if link.url_name not in {existing.url_name for existing in SETTINGS.links}:
            SETTINGS.links.append(link)


# Where someone who follows several countries lands (core.queries.landing_url): a later app
# with a view that fits a regional or global scope registers a function
# (user, region_ids) -> url or None; the first that answers wins.
LANDINGS: list = []


def register_landing(landing) -> None:
    if landing not in LANDINGS:
        LANDINGS.append(landing)


def area(key: str) -> Area | None:
    return next((existing for existing in AREAS if existing.key == key), None)


def areas_for(user) -> list[Area]:
    """The areas with at least one link `user` may follow, in the sidebar's order."""
    return [existing for existing in AREAS
            if any(access.can(user, link.perm) for link in existing.links)]


@dataclass(frozen=True)
class Attention:
    """One thing on the home page that needs the user to act or look."""

    title: str
    detail: str = ""
    url: str = ""
    level: str = "info"  # "info", "warning" or "danger"


# Each provider: callable(request, country) -> iterable of Attention
ATTENTION_PROVIDERS: list = []


def attention_provider(func):
    ATTENTION_PROVIDERS.append(func)
    return func
