"""What common services ask of the user on the home page: agreements and contracts ending
within 90 days (S2) and large contracts without an MOU. Two queries."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.commonservices import rules
from commonops.commonservices.actions import mou_threshold_usd
from commonops.commonservices.models import Agreement, Contract
from commonops.core import access, display
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm


def _expiry_item(row, label, today):
    state = rules.expiry_state(row.ends_on, today)
    return Attention(
        title=_("%(kind)s ends on %(day)s: %(name)s") % {
            "kind": label, "day": display.day(row.ends_on), "name": row},
        detail=_(rules.EXPIRY_LABELS[state]), url=row.get_absolute_url(),
        level="danger" if state == rules.EXPIRES_WITHIN_30 else "warning")


@attention_provider
def common_services_flags(request, country):
    if not access.can(request.user, Perm.MANAGE_COMMON_SERVICES, country):
        return []
    today = country.today()
    window = Q(ends_on__gte=today,
               ends_on__lte=today + timedelta(days=rules.EXPIRY_WARNING_DAYS[0]))
    threshold = mou_threshold_usd()
    items = [_expiry_item(a, _("Agreement"), today)
             for a in Agreement.objects.filter(window, country=country).order_by("ends_on")[:10]]
    # one query for both contract warnings: ending soon, or large and without an MOU
    contracts = list(Contract.objects.filter(
        window | Q(value_usd__gte=threshold, agreement__isnull=True), country=country)
        .order_by("ends_on")[:50])
    items += [_expiry_item(c, _("Contract"), today) for c in contracts
              if today <= c.ends_on <= today + timedelta(days=rules.EXPIRY_WARNING_DAYS[0])]
    uncovered = [c for c in contracts if rules.is_uncovered(c.value_usd,
                                                            c.agreement_id is not None,
                                                            threshold)]
    if uncovered:
        items.append(Attention(
            title=ngettext("%(count)d large contract is not covered by an MOU",
                           "%(count)d large contracts are not covered by an MOU",
                           len(uncovered)) % {"count": len(uncovered)},
            detail=", ".join(str(c) for c in uncovered[:5]),
            url=reverse("commonservices:contract_list") + "?uncovered=true", level="danger"))
    return items
