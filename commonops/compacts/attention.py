"""What compacts and oversight ask of the user on the home page: a compact waiting for
their acknowledgement or endorsement (C1), their recommendations past target (C3)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.compacts import rules
from commonops.compacts.models import Compact, CompactStatus, OversightRecommendation
from commonops.core import access
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm


@attention_provider
def compacts_waiting(request, country):
    items = []
    user = request.user
    # each query only for those who hold the role (read from the cached roles)
    drafts = Compact.objects.filter(country=country, manager=user, status=CompactStatus.DRAFT) \
        if access.holds(user, Perm.COMPACT_DRAFT, country.pk) else []
    for compact in drafts:
        items.append(Attention(title=_("Your compact waits for your acknowledgement: %(c)s")
                               % {"c": compact}, url=compact.get_absolute_url(),
                               level="warning"))
    if access.holds(user, Perm.COMPACT_ENDORSE, country.pk):
        for compact in Compact.objects.filter(country=country,
                                              status=CompactStatus.ACKNOWLEDGED).exclude(
                manager=user).select_related("manager", "office"):
            if compact.endorser_id in (None, user.pk):
                items.append(Attention(title=_("A compact waits for your endorsement: %(c)s")
                                       % {"c": compact}, url=compact.get_absolute_url(),
                                       level="warning"))
    if not access.holds(user, Perm.OVERSIGHT_MANAGE, country.pk):
        return items
    late = OversightRecommendation.objects.filter(
        country=country, owner=user, status__in=[rules.OPEN, rules.IN_PROGRESS],
        target_date__lt=country.today()).count()
    if late:
        items.append(Attention(
            title=ngettext("%(count)s of your oversight recommendations is past its target "
                           "date", "%(count)s of your oversight recommendations are past "
                           "their target date", late) % {"count": late},
            url=reverse("compacts:oversightrecommendation_list"), level="danger"))
    return items
