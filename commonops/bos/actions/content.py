"""The content of a draft BOS (B3–B6, the plan): stock-take, opportunities and their CBA,
outcomes, activities, KPIs, grade rates."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.bos import cba
from commonops.bos.actions.common import _check_draft, _require
from commonops.bos.models import (
    BOS_LINE_CHOICES,
    Activity,
    Bos,
    CbaEntry,
    GradeRate,
    Kind,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import validated_save
from commonops.results import actions as results_actions
from commonops.results.models import Indicator

# --- content of a draft BOS (B3–B6, plan) -------------------------------------------------


def _parent(data: dict, name: str, instance=None):
    """The row `data` hangs under (its BOS, opportunity or outcome); the stored one for a
    change, where a row stays under its parent."""
    parent = data.get(name) or (getattr(instance, name) if instance is not None else None)
    if parent is None:
        raise ValidationError({name: _("This field is required.")})
    if instance is not None and getattr(instance, f"{name}_id") != parent.pk:
        raise ValidationError(_("A row stays in its BOS."))
    return parent


def _content_save(instance, *, bos: Bos, by, data: dict):
    """Create or change a row of a draft BOS: the BOS author's right, the draft rule, the
    shared content rules."""
    _require(by, Perm.BOS_EDIT, bos.country_id)
    _check_draft(bos)
    data = _check_content(type(instance), data, bos, instance if instance.pk else None)
    instance.country_id = bos.country_id
    return validated_save(instance, data)


def _content_delete(instance, *, bos: Bos, by) -> None:
    _require(by, Perm.BOS_EDIT, bos.country_id)
    _check_draft(bos)
    instance.delete()


def _check_content(model, data: dict, bos: Bos, instance=None) -> dict:
    """Rules shared by the content of a BOS; returns data ready to save."""
    data = dict(data)
    line = data.get("service_line")
    if line is not None and line not in (bos.service_lines or []):
        raise ValidationError({"service_line": _(
            "This BOS does not cover the %(line)s service line.")
            % {"line": dict(BOS_LINE_CHOICES).get(line, line)}})
    if model is Activity:
        opportunity = data.get("opportunity", getattr(instance, "opportunity", None))
        if opportunity is not None and opportunity.bos_id != bos.pk:
            raise ValidationError({"opportunity": _("That service belongs to another BOS.")})
        for name in ("starts_on", "ends_on"):
            day = data.get(name)
            if day and not (bos.start_year <= day.year <= bos.end_year):
                raise ValidationError({name: _(
                    "The date is outside the BOS cycle %(start)s–%(end)s.")
                    % {"start": bos.start_year, "end": bos.end_year}})
    if model is CbaEntry:
        data = _cba_amount(bos, data, instance)
    return data


def _cba_amount(bos: Bos, data: dict, instance=None) -> dict:
    """B4: the amount of a CBA line: labour from hours × the grade's rate, monetary
    optionally from (old − new unit price) × volume."""
    def value(name):
        return data[name] if name in data else getattr(instance, name, None)

    year = value("year")
    if year is not None and not (1 <= year <= bos.cycle_length):
        raise ValidationError({"year": _(
            "The horizon year must be between 1 and %(last)s, the length of the cycle.")
            % {"last": bos.cycle_length}})
    kind, hours, grade = value("kind"), value("hours"), value("grade")
    if kind == Kind.LABOUR and (hours is not None or grade):
        if hours is None or not grade:
            raise ValidationError({"hours": _("A labour line needs both hours and a grade.")})
        opportunity = value("opportunity")
        start = opportunity.implementation_start or bos.start_year
        rate_year = start + year - 1
        rate = GradeRate.objects.filter(country_id=bos.country_id, year=rate_year,
                                        grade=grade).values_list("hourly_rate", flat=True)
        rate = rate.first()
        if rate is None:
            raise ValidationError({"grade": _(
                "There is no hourly rate for %(grade)s in %(year)s in the rate table.")
                % {"grade": grade, "year": rate_year}})
        data["hourly_rate"] = rate
        data["amount"] = cba.labour_amount(hours, rate)
    elif kind != Kind.LABOUR and (hours is not None or grade):
        raise ValidationError({"hours": _("Hours and grade are for labour lines only.")})
    else:
        data["hourly_rate"] = None
    prices = [value("old_unit_price"), value("new_unit_price"), value("volume")]
    if any(p is not None for p in prices):
        if kind != Kind.MONETARY or any(p is None for p in prices):
            raise ValidationError({"old_unit_price": _(
                "Unit prices need the old price, the new price and the volume, on a "
                "monetary line.")})
        try:
            data["amount"] = cba.unit_price_amount(*prices)
        except ValueError:
            raise ValidationError({"new_unit_price": _(
                "The new unit price is higher than the old one: that is not a saving.")}
            ) from None
    amount = data.get("amount", getattr(instance, "amount", None))
    if amount is None:
        raise ValidationError({"amount": _("Give the amount, or what it is computed from.")})
    if amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    return data


@audited_action
def stocktake_entry_create(*, by, data: dict) -> StocktakeEntry:
    """B3: an existing common service in the stock-take."""
    return _content_save(StocktakeEntry(), bos=_parent(data, "bos"), by=by, data=data)


@audited_action
def stocktake_entry_update(*, stocktake_entry: StocktakeEntry, by,
                           data: dict) -> StocktakeEntry:
    bos = _parent(data, "bos", stocktake_entry)
    return _content_save(stocktake_entry, bos=bos, by=by, data=data)


@audited_action
def stocktake_entry_delete(*, stocktake_entry: StocktakeEntry, by) -> None:
    _content_delete(stocktake_entry, bos=stocktake_entry.bos, by=by)


@audited_action
def opportunity_create(*, by, data: dict) -> Opportunity:
    """B4: an opportunity for a new or better common service."""
    return _content_save(Opportunity(), bos=_parent(data, "bos"), by=by, data=data)


@audited_action
def opportunity_update(*, opportunity: Opportunity, by, data: dict) -> Opportunity:
    bos = _parent(data, "bos", opportunity)
    return _content_save(opportunity, bos=bos, by=by, data=data)


@audited_action
def opportunity_delete(*, opportunity: Opportunity, by) -> None:
    _content_delete(opportunity, bos=opportunity.bos, by=by)


@audited_action
def cba_entry_create(*, by, data: dict) -> CbaEntry:
    """B4: a cost or benefit line of an opportunity's CBA."""
    bos = _parent(data, "opportunity").bos
    return _content_save(CbaEntry(), bos=bos, by=by, data=data)


@audited_action
def cba_entry_update(*, cba_entry: CbaEntry, by, data: dict) -> CbaEntry:
    bos = _parent(data, "opportunity", None).bos if "opportunity" in data else \
        cba_entry.opportunity.bos
    if bos.pk != cba_entry.opportunity.bos_id:
        raise ValidationError(_("A row stays in its BOS."))
    return _content_save(cba_entry, bos=bos, by=by, data=data)


@audited_action
def cba_entry_delete(*, cba_entry: CbaEntry, by) -> None:
    _content_delete(cba_entry, bos=cba_entry.opportunity.bos, by=by)


@audited_action
def cba_entry_create_repeated(*, by, data: dict, until_year: int) -> list[CbaEntry]:
    """B4: a recurring CBA line entered once for each horizon year from its own to
    `until_year` (the rule counts a recurring line per year), in one transaction."""
    first = data.get("year")
    if first is not None and until_year < first:
        raise ValidationError({"repeat_until": _(
            "Repeat until a year after the line's own year.")})
    if until_year != first and data.get("nature") != "recurring":
        raise ValidationError({"repeat_until": _("Only a recurring line repeats.")})
    return [cba_entry_create(by=by, data={**data, "year": year})
            for year in range(first, until_year + 1)]


@audited_action
def outcome_create(*, by, data: dict) -> Outcome:
    """B6: an outcome of the results framework."""
    return _content_save(Outcome(), bos=_parent(data, "bos"), by=by, data=data)


@audited_action
def outcome_update(*, outcome: Outcome, by, data: dict) -> Outcome:
    return _content_save(outcome, bos=_parent(data, "bos", outcome), by=by, data=data)


@audited_action
def outcome_delete(*, outcome: Outcome, by) -> None:
    _content_delete(outcome, bos=outcome.bos, by=by)


@audited_action
def activity_create(*, by, data: dict) -> Activity:
    """The plan: an activity under an outcome, with its owner, dates and budget."""
    bos = _parent(data, "outcome").bos
    return _content_save(Activity(), bos=bos, by=by, data=data)


@audited_action
def activity_update(*, activity: Activity, by, data: dict) -> Activity:
    bos = _parent(data, "outcome", None).bos if "outcome" in data else activity.outcome.bos
    if bos.pk != activity.outcome.bos_id:
        raise ValidationError(_("A row stays in its BOS."))
    return _content_save(activity, bos=bos, by=by, data=data)


@audited_action
def activity_delete(*, activity: Activity, by) -> None:
    _content_delete(activity, bos=activity.outcome.bos, by=by)


@audited_action
def opportunity_select(*, opportunity: Opportunity, selected: bool, by) -> Opportunity:
    """B4: select a prioritised opportunity into the plan (or take it out)."""
    _require(by, Perm.BOS_EDIT, opportunity.country_id)
    _check_draft(opportunity.bos)
    opportunity.selected = bool(selected)
    return validated_save(opportunity)


# --- KPIs of the results framework (B5) -----------------------------------------------------


@audited_action
def kpi_add(*, opportunity: Opportunity, by, name: str, kind: str, unit: str,
            direction: str = "increase", baseline: Decimal | None = None,
            baseline_year: int | None = None, means_of_verification: str = "",
            targets: dict[int, Decimal]) -> Indicator:
    """B5: a KPI of a common service of the BOS, with its yearly targets (at least one)."""
    bos = opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    _check_draft(bos)
    if kind not in ("cost_avoidance", "quality", "other"):
        raise ValidationError({"kind": _("Unknown KPI kind.")})
    if not targets:
        raise ValidationError({"targets": _("A KPI needs at least one yearly target.")})
    for year, value in targets.items():
        if not (bos.start_year <= int(year) <= bos.end_year):
            raise ValidationError({"targets": _(
                "%(year)s is outside the BOS cycle %(start)s–%(end)s.")
                % {"year": year, "start": bos.start_year, "end": bos.end_year}})
        if value is None:
            raise ValidationError({"targets": _("Each target needs a value.")})
    indicator = results_actions.indicator_create(by=by, data={
        "country": bos.country, "name": name, "unit": unit, "direction": direction, "kind": kind,
        "baseline": baseline, "baseline_year": baseline_year,
        "means_of_verification": means_of_verification, "subject": opportunity})
    for year, value in sorted(targets.items()):
        results_actions.target_set(indicator=indicator, year=int(year), value=value, by=by)
    return indicator


# --- grade rates (B4) ---------------------------------------------------------------------


@audited_action
def grade_rate_create(*, by, data: dict) -> GradeRate:
    _require(by, Perm.BOS_EDIT, data.get("country"))
    return validated_save(GradeRate(), data)


@audited_action
def grade_rate_update(*, grade_rate: GradeRate, by, data: dict) -> GradeRate:
    _require(by, Perm.BOS_EDIT, grade_rate.country_id)
    _require(by, Perm.BOS_EDIT, data.get("country", grade_rate.country))
    return validated_save(grade_rate, data)


@audited_action
def grade_rate_delete(*, grade_rate: GradeRate, by) -> None:
    _require(by, Perm.BOS_EDIT, grade_rate.country_id)
    grade_rate.delete()


@audited_action
def grade_rate_set(*, country, year: int, grade: str, hourly_rate: Decimal, by) -> GradeRate:
    """B4: set (create or replace) the hourly cost of a grade for a country and year."""
    _require(by, GradeRate.manage_permission, country)
    rate = GradeRate.objects.filter(country=country, year=year, grade=grade).first() \
        or GradeRate(country=country, year=year, grade=grade)
    rate.hourly_rate = hourly_rate
    return validated_save(rate)
