"""Navigation by area, and the home page's "needs your attention" items.

Each app adds its area and its attention providers here from its AppConfig.ready(), so the
layout and the home page never import app code.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from commonops.core.roles import Perm


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    perm: str = Perm.VIEW


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    links: list[Link] = field(default_factory=list)


AREAS: list[Area] = [
    Area("governance", _("OMT governance"), [
        Link(_("OMT"), "governance:omt_home"),
        Link(_("Meetings"), "governance:meeting_list"),
        Link(_("Actions"), "governance:action_list"),
        Link(_("Task forces"), "governance:taskforce_list"),
        Link(_("Escalations"), "governance:escalation_list"),
        Link(_("UNCT decisions"), "governance:unctdecision_list"),
    ]),
    Area("organisation", _("Organisation"), [
        Link(_("Country teams"), "core:country_list"),
        Link(_("Agencies"), "core:agency_list"),
        Link(_("Agency presence"), "core:agencypresence_list"),
        Link(_("People"), "core:person_list"),
        Link(_("Roles"), "core:roleassignment_list"),
        Link(_("Public holidays"), "core:publicholiday_list"),
        Link(_("Regions"), "core:region_list"),
    ]),
    Area("oversight", _("Oversight"), [
        Link(_("Audit trail"), "core:audit_list", Perm.VIEW_AUDIT),
    ]),
]


def register_area(area: Area) -> None:
    """Add an app's area (from its AppConfig.ready()), before Organisation and Oversight."""
    if any(existing.key == area.key for existing in AREAS):
        return
    shared = next(i for i, existing in enumerate(AREAS) if existing.key == "organisation")
    AREAS.insert(shared, area)


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
