"""Annual reporting (B7) and the move of a service to the stock-take after four years."""


from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.bos import rules
from commonops.bos.actions.common import _require
from commonops.bos.actions.content import _parent
from commonops.bos.models import (
    AnnualResult,
    Bos,
    Opportunity,
    StocktakeAction,
    StocktakeEntry,
)
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import validated_save

# --- annual reporting (B7) ------------------------------------------------------------------


def _check_reporting(bos: Bos, opportunity: Opportunity, year: int, agency) -> None:
    if not rules.may_report_results(bos.status):
        raise ValidationError(_("Annual results are reported once the BOS is signed off."))
    if not (bos.start_year <= year <= bos.end_year):
        raise ValidationError({"year": _("%(year)s is outside the BOS cycle %(start)s–%(end)s.")
                               % {"year": year, "start": bos.start_year, "end": bos.end_year}})
    if not opportunity.selected:
        raise ValidationError({"opportunity": _("Only services in the plan are reported.")})
    if agency is not None and not opportunity.participating_agencies.filter(
            pk=agency.pk).exists() and not opportunity.managing_agencies.filter(
            pk=agency.pk).exists():
        raise ValidationError({"agency": _("%(agency)s does not take part in this service.")
                               % {"agency": agency}})


@audited_action
def annual_result_create(*, by, data: dict) -> AnnualResult:
    """B7: a year's realised cost avoidance and funds spent of a service, by agency."""
    opportunity = _parent(data, "opportunity")
    bos = opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    _check_reporting(bos, opportunity, data.get("year"), data.get("agency"))
    return validated_save(AnnualResult(country_id=bos.country_id), data)


@audited_action
def annual_result_update(*, annual_result: AnnualResult, by, data: dict) -> AnnualResult:
    instance = annual_result
    bos = instance.opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    opportunity = data.get("opportunity", instance.opportunity)
    if opportunity.bos_id != bos.pk:
        raise ValidationError(_("A row stays in its BOS."))
    _check_reporting(bos, opportunity, data.get("year", instance.year),
                     data.get("agency", instance.agency))
    return validated_save(instance, data)


@audited_action
def annual_result_delete(*, annual_result: AnnualResult, by) -> None:
    _require(by, Perm.BOS_EDIT, annual_result.country_id)
    annual_result.delete()


@audited_action
def opportunity_move_to_stocktake(*, opportunity: Opportunity, by,
                                  current_year: int | None = None) -> StocktakeEntry:
    """B7: after four years of joint implementation a service moves to the stock-take of
    existing common services (kept, with its history, as "continue as is")."""
    bos = opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    current_year = current_year or bos.country.today().year
    if not rules.due_for_stocktake(opportunity.implementation_start, current_year):
        raise ValidationError(_("%(service)s has not had four years of joint implementation "
                                "yet.") % {"service": opportunity})
    if StocktakeEntry.objects.filter(from_opportunity=opportunity).exists():
        raise ValidationError(_("%(service)s is already in the stock-take.")
                              % {"service": opportunity})
    if StocktakeEntry.objects.filter(bos=bos, name=opportunity.name).exists():
        raise ValidationError(_("The stock-take already lists a service named %(name)s.")
                              % {"name": opportunity.name})
    entry = StocktakeEntry(
        country_id=bos.country_id, bos=bos, name=opportunity.name,
        service_line=opportunity.service_line, modality="in_house",
        implemented_since=opportunity.implementation_start,
        action=StocktakeAction.CONTINUE, from_opportunity=opportunity,
        comments=_("Moved from the opportunities after four years of joint implementation "
                   "(B7)."))
    validated_save(entry)
    entry.managing_agencies.set(opportunity.managing_agencies.all())
    entry.participating_agencies.set(opportunity.participating_agencies.all())
    return entry
