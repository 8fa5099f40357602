"""What OMT governance asks of the user on the home page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.core import access, display
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm
from commonops.governance import queries
from commonops.governance.models import Membership, Minutes, MinutesStatus


@attention_provider
def my_actions(request, country):
    today = timezone.localdate()
    items = []
    for action in queries.actions_of(request.user, today=today).filter(country=country)[:10]:
        level = {"overdue": "danger", "due_soon": "warning"}.get(action.state, "info")
        label = {"overdue": _("Overdue"), "due_soon": _("Due soon")}.get(action.state,
                                                                          _("Open"))
        items.append(Attention(
            title=_("Action: %(title)s") % {"title": action.title},
            detail=_("%(state)s — deadline %(due)s") % {"state": label,
                                                      "due": display.day(action.due_on)},
            url=action.get_absolute_url(), level=level))
    return items


@attention_provider
def minutes_to_comment(request, country):
    if not access.can(request.user, Perm.COMMENT_MINUTES, country):
        return []
    today = timezone.localdate()
    return [Attention(
        title=_("Minutes open for your comments: %(meeting)s") % {"meeting": m.meeting},
        detail=_("Comments until %(day)s") % {"day": display.day(m.comments_until)},
        url=m.get_absolute_url(), level="warning")
        for m in Minutes.objects.filter(country=country, status=MinutesStatus.CIRCULATED,
                                        comments_until__gte=today).select_related("meeting")]


@attention_provider
def omt_flags(request, country):
    # G1 and G3, for those who run the OMT.
    if not access.can(request.user, Perm.GOVERN, country):
        return []
    omt = queries.omt_of(country)
    if omt is None:
        return []
    items = []
    missing = list(Membership.objects.filter(omt=omt, alternate__isnull=True)
                   .select_related("agency"))
    if missing:
        items.append(Attention(
            title=ngettext("%(count)d OMT member has no alternate",
                           "%(count)d OMT members have no alternate", len(missing))
            % {"count": len(missing)},
            detail=", ".join(str(m.agency) for m in missing),
            url=omt.get_absolute_url() + "#members", level="warning"))
    months = queries.months_without_meeting(omt, today=timezone.localdate())
    if months:
        items.append(Attention(
            title=ngettext("%(count)d month without an OMT meeting this year",
                           "%(count)d months without an OMT meeting this year", len(months))
            % {"count": len(months)},
            detail=", ".join(f"{year}-{month:02d}" for year, month in months),
            url=omt.get_absolute_url(), level="warning"))
    return items
