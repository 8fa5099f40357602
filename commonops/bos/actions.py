"""Every change to a Business Operations Strategy. Pages, API, imports and the demo call these.

Each action checks `by` through `core.access`, applies the rules of `bos.rules` and
`bos.cba`, validates and saves in one transaction. A rule broken raises ValidationError with
a sentence for the person; nothing is changed then.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
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
from commonops.core.roles import Perm
from commonops.core.saving import validated_save
from commonops.results import actions as results_actions
from commonops.results.models import Indicator, Target

SERVICE_LINES = {value for value, _label in BOS_LINE_CHOICES}


def _require(by, perm: str, country) -> None:
    access.require(by, perm, country, _("Your roles do not allow this."))


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
    if not may_kick_off(by, data.get("country")):
        raise PermissionDenied(_("Only the OMT chair and the RC edit the kick-off (B1)."))
    data["service_lines"] = _check_lines(data.get("service_lines"))
    return validated_save(bos, data)


@audited_action
def bos_update(*, bos: Bos, by, data: dict) -> Bos:
    """B1: edit the kick-off (title, cycle, scope, lines, agencies) of a draft BOS."""
    instance = bos
    if not may_kick_off(by, instance.country_id):
        raise PermissionDenied(_("Only the OMT chair and the RC edit the kick-off (B1)."))
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
    return validated_save(instance, data)


@audited_action
def bos_delete(*, bos: Bos, by) -> None:
    if not may_kick_off(by, bos.country_id):
        raise PermissionDenied(_("Only the OMT chair and the RC edit the kick-off (B1)."))
    _check_draft(bos)
    bos.delete()


def _locked(bos: Bos) -> Bos:
    """Re-read the BOS under a row lock so two people cannot take the same step at once."""
    return Bos.objects.select_for_update().select_related("country").get(pk=bos.pk)


def _step(bos: Bos, step: str) -> str:
    """B1: the state `step` leads to; the same rule decides whether its button shows."""
    if not rules.step_allowed(bos.status, step):
        raise ValidationError(_("This step is not possible: the BOS is %(status)s.")
                              % {"status": bos.get_status_display().lower()})
    return rules.next_state(bos.status, step)


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
    today = today or bos.country.today()
    bos.submitted_on = today
    bos.qa_due_on = rules.qa_due(today, bos.country.calendar())
    bos.cleared_on = bos.endorsed_on = bos.signed_off_on = None
    bos.version += 1
    return validated_save(bos)


@audited_action
def bos_clear(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: the regional focal point clears the BOS in quality assurance."""
    bos = _locked(bos)
    _require(by, Perm.BOS_QUALITY_ASSURE, bos.country_id)
    bos.status = _step(bos, "clear")
    bos.cleared_on = today or bos.country.today()
    bos.return_reason = ""
    bos.version += 1
    return validated_save(bos)


@audited_action
def bos_return(*, bos: Bos, by, reason: str) -> Bos:
    """B1: return to draft with a reason (QA, the UNCT, or the RC before signing)."""
    bos = _locked(bos)
    if not may_return(by, bos):
        raise PermissionDenied(_("Your roles do not allow this."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the BOS goes back to draft.")})
    bos.status = _step(bos, "return")
    bos.return_reason = reason.strip()
    bos.cleared_on = bos.endorsed_on = None
    bos.version += 1
    return validated_save(bos)


@audited_action
def bos_endorse(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: record the UNCT's endorsement of a cleared BOS."""
    bos = _locked(bos)
    if not may_endorse(by, bos):
        raise PermissionDenied(_("Only the UNCT of the country records its endorsement (B1)."))
    bos.status = _step(bos, "endorse")
    bos.endorsed_on = today or bos.country.today()
    bos.version += 1
    return validated_save(bos)


def may_kick_off(by, country) -> bool:
    """B1: the kick-off belongs to the OMT chair and the RC of the country: held through a
    country role, not through an administrator's global rights or superuser status."""
    return country is not None and access.holds(by, Perm.BOS_KICKOFF, country)


def may_endorse(by, bos: Bos) -> bool:
    """B1: the endorsement is the UNCT's, recorded by its members in the country."""
    return access.holds(by, Perm.BOS_ENDORSE, bos.country_id)


def may_sign_off(by, bos: Bos) -> bool:
    """B1: sign-off belongs to the Resident Coordinator's office in the country: held
    through a country role (the RC's), not through superuser or global rights."""
    return access.holds(by, Perm.BOS_SIGN_OFF, bos.country_id)


def may_return(by, bos: Bos) -> bool:
    """B1: QA, the UNCT or the RC (before signing) may send a BOS back to draft."""
    return any(access.can(by, perm, bos.country_id) for perm in RETURNERS)


RETURNERS = (Perm.BOS_QUALITY_ASSURE, Perm.BOS_ENDORSE, Perm.BOS_SIGN_OFF)


@audited_action
def bos_sign_off(*, bos: Bos, by, today: date | None = None) -> Bos:
    """B1: only the Resident Coordinator signs off; the BOS is read-only afterwards."""
    bos = _locked(bos)
    if not may_sign_off(by, bos):
        raise PermissionDenied(_("Only the Resident Coordinator signs off the BOS."))
    bos.status = _step(bos, "sign_off")
    bos.signed_off_on = today or bos.country.today()
    bos.version += 1
    return validated_save(bos)


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
    indicator = results_actions.indicator_create(
        country=bos.country, name=name, unit=unit, direction=direction, kind=kind,
        baseline=baseline, baseline_year=baseline_year,
        means_of_verification=means_of_verification, subject=opportunity, by=by)
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
    _require(by, Perm.BOS_EDIT, country)
    rate = GradeRate.objects.filter(country=country, year=year, grade=grade).first() \
        or GradeRate(country=country, year=year, grade=grade)
    rate.hourly_rate = hourly_rate
    return validated_save(rate)


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

