"""Every change to a Business Operations Strategy. Pages, API, imports and the demo call these.

Each action checks `by` through `core.access`, applies the rules of `bos.rules` and
`bos.cba`, validates and saves in one transaction. A rule broken raises ValidationError with
a sentence for the person; nothing is changed then.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.bos import cba, rules
from commonops.bos.models import (
    BOS_LINE_CHOICES,
    Activity,
    AnnualResult,
    Bos,
    BosStatus,
    CbaEntry,
    GradeRate,
    Kind,
    Opportunity,
    Outcome,
    StocktakeAction,
    StocktakeEntry,
)
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import ROLE_PERMISSIONS, Perm
from commonops.results import actions as results_actions
from commonops.results.models import Indicator, Target

SERVICE_LINES = {value for value, _label in BOS_LINE_CHOICES}


def _require(by, perm: str, country) -> None:
    if not access.can(by, perm, country):
        raise PermissionDenied(_("Your roles do not allow this."))


def country_today(bos: Bos) -> date:
    """Today in the BOS's country (its time zone)."""
    from zoneinfo import ZoneInfo

    return timezone.localtime(timezone.now(), ZoneInfo(bos.country.time_zone)).date()


_today = country_today


def _save(instance, data: dict | None = None):
    """Apply `data` (many-to-many values after the row is saved), validate, save."""
    m2m = {}
    for name, value in (data or {}).items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
        else:
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    return instance


def _check_draft(bos: Bos) -> None:
    """B1: content changes only while the BOS is a draft; a signed-off BOS is read-only."""
    if bos.status == BosStatus.SIGNED_OFF:
        raise ValidationError(_("This BOS is signed off and can no longer be changed."))
    if bos.status != BosStatus.DRAFT:
        raise ValidationError(_("This BOS is %(status)s: return it to draft to change it.")
                              % {"status": bos.get_status_display().lower()})


def _check_lines(lines) -> list[str]:
    lines = list(lines or [])
    unknown = [line for line in lines if line not in SERVICE_LINES]
    if unknown:
        raise ValidationError({"service_lines": _("Unknown service line: %(lines)s.")
                               % {"lines": ", ".join(map(str, unknown))}})
    if len(set(lines)) < rules.MIN_SERVICE_LINES:  # B2
        raise ValidationError({"service_lines": _(
            "A BOS covers at least two service lines.")})
    return [value for value, _label in BOS_LINE_CHOICES if value in set(lines)]


# --- the BOS and its kick-off (B1, B2) ----------------------------------------------------


@audited_action
def bos_create(*, by, data: dict) -> Bos:
    """B1: start a BOS for a cycle; the kick-off belongs to the OMT chair and the RC."""
    bos = Bos()
    data = dict(data)
    data.pop("expected_version", None)
    country = data.get("country")
    _require(by, Perm.BOS_KICKOFF, country)
    data["service_lines"] = _check_lines(data.get("service_lines"))
    return _save(bos, data)


@audited_action
def bos_update(*, instance: Bos, by, data: dict) -> Bos:
    """B1: edit the kick-off (title, cycle, scope, lines, agencies) of a draft BOS."""
    _require(by, Perm.BOS_KICKOFF, instance.country_id)
    _check_draft(instance)
    data = dict(data)
    expected = data.pop("expected_version", None)
    if expected is not None and expected != instance.version:
        raise ValidationError(_("Someone else changed this BOS since you opened it: reload "
                                "the page and make your change again."))
    if "country" in data and data["country"] != instance.country:
        raise ValidationError({"country": _("A BOS stays in its country.")})
    if "service_lines" in data:
        data["service_lines"] = _check_lines(data["service_lines"])
    if ("start_year" in data or "end_year" in data):
        last_year = data.get("end_year", instance.end_year) - data.get(
            "start_year", instance.start_year) + 1
        longest = CbaEntry.objects.filter(opportunity__bos=instance).order_by("-year") \
            .values_list("year", flat=True).first()
        if longest and longest > last_year:
            raise ValidationError({"end_year": _(
                "Some CBA lines reach horizon year %(year)s: the cycle cannot be shorter.")
                % {"year": longest}})
    instance.version += 1
    return _save(instance, data)


@audited_action
def bos_delete(*, instance: Bos, by) -> None:
    _require(by, Perm.BOS_KICKOFF, instance.country_id)
    _check_draft(instance)
    instance.delete()


def _locked(bos: Bos) -> Bos:
    """Re-read the BOS under a row lock so two people cannot take the same step at once."""
    return Bos.objects.select_for_update().select_related("country").get(pk=bos.pk)


def _step(bos: Bos, step: str) -> str:
    try:
        return rules.next_state(bos.status, step)
    except ValueError:
        raise ValidationError(_("This step is not possible: the BOS is %(status)s.")
                              % {"status": bos.get_status_display().lower()}) from None


def submission_problems(bos: Bos) -> list[str]:
    """B2, B5: what stands in the way of submitting a BOS for quality assurance."""
    problems = []
    if len(bos.service_lines or []) < rules.MIN_SERVICE_LINES:
        problems.append(_("The BOS covers fewer than two service lines."))
    if not bos.kickoff_on:
        problems.append(_("The kick-off date is missing."))
    if not bos.participating_agencies.exists():
        problems.append(_("No participating agencies are named."))
    services = list(Opportunity.objects.filter(bos=bos, selected=True).order_by("name"))
    if not services:
        problems.append(_("No opportunity is selected into the plan."))
    kinds: dict[int, set[str]] = {}
    opportunity_type = ContentType.objects.get_for_model(Opportunity)
    indicators = Indicator.objects.filter(subject_type=opportunity_type,
                                          subject_id__in=[s.pk for s in services])
    for subject_id, kind in indicators.values_list("subject_id", "kind"):
        kinds.setdefault(subject_id, set()).add(kind)
    lacking = [s.name for s in services if rules.missing_kpi_kinds(kinds.get(s.pk, ()))]
    if lacking:  # B5
        problems.append(_("These services lack a cost-avoidance KPI and a quality KPI: "
                          "%(services)s.") % {"services": ", ".join(lacking)})
    without_target = list(indicators.exclude(
        pk__in=Target.objects.values("indicator_id")).values_list("name", flat=True))
    if without_target:
        problems.append(_("These KPIs have no target: %(kpis)s.")
                        % {"kpis": ", ".join(without_target)})
    return problems


@audited_action
def bos_submit(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: send a draft for quality assurance; the ten-working-day QA clock starts."""
    bos = _locked(bos)
    _require(by, Perm.BOS_EDIT, bos.country_id)
    bos.status = _step(bos, "submit")
    problems = submission_problems(bos)
    if problems:
        raise ValidationError(problems)
    today = today or _today(bos)
    bos.submitted_on = today
    bos.qa_due_on = rules.qa_due(today, bos.country.calendar())
    bos.cleared_on = bos.endorsed_on = bos.signed_off_on = None
    bos.version += 1
    return _save(bos)


@audited_action
def bos_clear(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: the regional focal point clears the BOS in quality assurance."""
    bos = _locked(bos)
    _require(by, Perm.BOS_QUALITY_ASSURE, bos.country_id)
    bos.status = _step(bos, "clear")
    bos.cleared_on = today or _today(bos)
    bos.return_reason = ""
    bos.version += 1
    return _save(bos)


@audited_action
def bos_return(*, bos: Bos, by, reason: str) -> Bos:
    """B1: return to draft with a reason (QA, the UNCT, or the RC before signing)."""
    bos = _locked(bos)
    if not any(access.can(by, perm, bos.country_id) for perm in (
            Perm.BOS_QUALITY_ASSURE, Perm.BOS_ENDORSE, Perm.BOS_SIGN_OFF)):
        raise PermissionDenied(_("Your roles do not allow this."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the BOS goes back to draft.")})
    bos.status = _step(bos, "return")
    bos.return_reason = reason.strip()
    bos.cleared_on = bos.endorsed_on = None
    bos.version += 1
    return _save(bos)


@audited_action
def bos_endorse(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: record the UNCT's endorsement of a cleared BOS."""
    bos = _locked(bos)
    _require(by, Perm.BOS_ENDORSE, bos.country_id)
    bos.status = _step(bos, "endorse")
    bos.endorsed_on = today or _today(bos)
    bos.version += 1
    return _save(bos)


@audited_action
def bos_sign_off(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: only the Resident Coordinator signs off; the BOS is read-only afterwards."""
    bos = _locked(bos)
    # B1: held through a country role (the RC's), not through superuser rights
    if not any(Perm.BOS_SIGN_OFF in ROLE_PERMISSIONS[role]
               for role in access.roles_in(by, bos.country_id)):
        raise PermissionDenied(_("Only the Resident Coordinator signs off the BOS."))
    bos.status = _step(bos, "sign_off")
    bos.signed_off_on = today or _today(bos)
    bos.version += 1
    return _save(bos)


# --- content of a draft BOS (B3–B6, plan) -------------------------------------------------


def _parent_bos(model, data: dict, instance=None) -> Bos:
    if model in (StocktakeEntry, Opportunity, Outcome):
        return data.get("bos") or instance.bos
    if model is CbaEntry:
        return (data.get("opportunity") or instance.opportunity).bos
    if model is Activity:
        return (data.get("outcome") or instance.outcome).bos
    if model is AnnualResult:
        return (data.get("opportunity") or instance.opportunity).bos
    raise TypeError(model)


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


def content_create(model):
    """The create action of a BOS content model (stock-take, opportunity, CBA line,
    outcome, activity)."""

    @audited_action
    def create(*, by, data: dict):
        bos = _parent_bos(model, data)
        _require(by, model.manage_permission, bos.country_id)
        _check_draft(bos)
        data = _check_content(model, data, bos)
        return _save(model(country_id=bos.country_id), data)

    create.__name__ = f"{model._meta.model_name}_create"
    return create


def content_update(model):
    @audited_action
    def update(*, instance, by, data: dict):
        bos = _parent_bos(model, {}, instance)
        _require(by, model.manage_permission, bos.country_id)
        _check_draft(bos)
        new_bos = _parent_bos(model, data, instance)
        if new_bos.pk != bos.pk:
            raise ValidationError(_("A row stays in its BOS."))
        data = _check_content(model, data, bos, instance)
        return _save(instance, data)

    update.__name__ = f"{model._meta.model_name}_update"
    return update


def content_delete(model):
    @audited_action
    def delete(*, instance, by) -> None:
        bos = _parent_bos(model, {}, instance)
        _require(by, model.manage_permission, bos.country_id)
        _check_draft(bos)
        instance.delete()

    delete.__name__ = f"{model._meta.model_name}_delete"
    return delete


stocktakeentry_create = content_create(StocktakeEntry)
stocktakeentry_update = content_update(StocktakeEntry)
stocktakeentry_delete = content_delete(StocktakeEntry)
opportunity_create = content_create(Opportunity)
opportunity_update = content_update(Opportunity)
opportunity_delete = content_delete(Opportunity)
cbaentry_create = content_create(CbaEntry)
cbaentry_update = content_update(CbaEntry)
cbaentry_delete = content_delete(CbaEntry)


@audited_action
def cbaentry_create_repeated(*, by, data: dict, until_year: int) -> list[CbaEntry]:
    """B4: a recurring CBA line entered once for each horizon year from its own to
    `until_year` (the rule counts a recurring line per year), in one transaction."""
    first = data.get("year")
    if first is not None and until_year < first:
        raise ValidationError({"repeat_until": _(
            "Repeat until a year after the line's own year.")})
    if until_year != first and data.get("nature") != "recurring":
        raise ValidationError({"repeat_until": _("Only a recurring line repeats.")})
    return [cbaentry_create(by=by, data={**data, "year": year})
            for year in range(first, until_year + 1)]


outcome_create = content_create(Outcome)
outcome_update = content_update(Outcome)
outcome_delete = content_delete(Outcome)
activity_create = content_create(Activity)
activity_update = content_update(Activity)
activity_delete = content_delete(Activity)


@audited_action
def opportunity_select(*, opportunity: Opportunity, selected: bool, by) -> Opportunity:
    """B4: select a prioritised opportunity into the plan (or take it out)."""
    _require(by, Perm.BOS_EDIT, opportunity.country_id)
    _check_draft(opportunity.bos)
    opportunity.selected = bool(selected)
    return _save(opportunity)


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
    indicator = results_actions.indicator_create(
        country=bos.country, name=name, unit=unit, direction=direction, kind=kind,
        baseline=baseline, baseline_year=baseline_year,
        means_of_verification=means_of_verification, subject=opportunity, by=by)
    for year, value in sorted(targets.items()):
        results_actions.target_set(indicator=indicator, year=int(year), value=value, by=by)
    return indicator


# --- grade rates (B4) ---------------------------------------------------------------------


@audited_action
def graderate_set(*, country, year: int, grade: str, hourly_rate: Decimal, by) -> GradeRate:
    """B4: set (create or replace) the hourly cost of a grade for a country and year."""
    _require(by, Perm.BOS_EDIT, country)
    rate = GradeRate.objects.filter(country=country, year=year, grade=grade).first() \
        or GradeRate(country=country, year=year, grade=grade)
    rate.hourly_rate = hourly_rate
    return _save(rate)


# --- annual reporting (B7) ------------------------------------------------------------------


def _check_reporting(bos: Bos, opportunity: Opportunity, year: int, agency) -> None:
    if bos.status != BosStatus.SIGNED_OFF:
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
def annualresult_create(*, by, data: dict) -> AnnualResult:
    opportunity = data["opportunity"]
    bos = opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    _check_reporting(bos, opportunity, data.get("year"), data.get("agency"))
    return _save(AnnualResult(country_id=bos.country_id), data)


@audited_action
def annualresult_update(*, instance: AnnualResult, by, data: dict) -> AnnualResult:
    bos = instance.opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    opportunity = data.get("opportunity", instance.opportunity)
    if opportunity.bos_id != bos.pk:
        raise ValidationError(_("A row stays in its BOS."))
    _check_reporting(bos, opportunity, data.get("year", instance.year),
                     data.get("agency", instance.agency))
    return _save(instance, data)


@audited_action
def annualresult_delete(*, instance: AnnualResult, by) -> None:
    _require(by, Perm.BOS_EDIT, instance.country_id)
    instance.delete()


@audited_action
def opportunity_move_to_stocktake(*, opportunity: Opportunity, by,
                                  current_year: int | None = None) -> StocktakeEntry:
    """B7: after four years of joint implementation a service moves to the stock-take of
    existing common services (kept, with its history, as "continue as is")."""
    bos = opportunity.bos
    _require(by, Perm.BOS_EDIT, bos.country_id)
    current_year = current_year or _today(bos).year
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
    _save(entry)
    entry.managing_agencies.set(opportunity.managing_agencies.all())
    entry.participating_agencies.set(opportunity.participating_agencies.all())
    return entry

