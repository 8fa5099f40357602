"""What the results engine asks of the user on the home page."""

from django.urls import reverse
from django.utils.translation import ngettext

from commonops.core import access
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm
from commonops.results import queries
from commonops.results.models import Indicator


@attention_provider
def actuals_to_record(request, country):
    # B7: last year's actuals are reported in January–March; a KPI with a target for last
    # year and no actual is what the M&E focal point has to enter.
    if not access.can(request.user, Perm.MEASURE, country):
        return []
    year = country.today().year - 1
    missing = list(queries.indicators_missing_actual(
        Indicator.objects.filter(country=country), year=year)
        .values_list("name", flat=True)[:6])
    if not missing:
        return []
    shown = missing[:5]
    return [Attention(
        title=ngettext("%(count)s indicator has a %(year)d target but no actual",
                       "%(count)s indicators have a %(year)d target but no actual",
                       len(shown)) % {"count": f"{len(shown)}+" if len(missing) > 5
                                      else len(shown), "year": year},
        detail=", ".join(shown),
        url=reverse("results:indicator_list") + f"?country={country.pk}", level="warning")]
