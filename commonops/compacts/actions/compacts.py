"""Offices, compacts (C1) and their objectives, measures (C2) and reviews."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.compacts import rules
from commonops.compacts.actions.common import (
    _check_editable,
    _require,
    _require_draft_right,
    _signed_message,
    may_draft,
)
from commonops.compacts.actions.figures import measures_refresh
from commonops.compacts.models import (
    Compact,
    CompactReview,
    CompactStatus,
    Objective,
    Office,
    PerformanceMeasure,
    Section,
)
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import delete_managed, save_managed, validated_save
from commonops.results import actions as results_actions
from commonops.results.models import Indicator, Measurement, Target

# --- offices ---------------------------------------------------------------------------------


@audited_action
def office_create(*, by, data: dict) -> Office:
    return save_managed(Office(), by=by, data=data)


@audited_action
def office_update(*, office: Office, by, data: dict) -> Office:
    if "country" in data and data["country"].pk != office.country_id:
        raise ValidationError({"country": _("An office stays in its country team.")})
    return save_managed(office, by=by, data=data)


@audited_action
def office_delete(*, office: Office, by) -> None:
    delete_managed(office, by=by)


# --- the compact (C1) and its standard measures (C2) ----------------------------------------


def _check_people(data: dict, country_id) -> None:
    manager, endorser = data.get("manager"), data.get("endorser")
    if manager is not None and not access.holds(manager, Perm.COMPACT_DRAFT, country_id):
        raise ValidationError({"manager": _("%(person)s is not a senior manager of this "
                                            "country team.") % {"person": manager}})
    if endorser is not None:
        if manager is not None and endorser.pk == manager.pk:
            raise ValidationError({"endorser": _("A manager does not endorse their own "
                                                 "compact.")})
        if not access.holds(endorser, Perm.COMPACT_ENDORSE, country_id):
            raise ValidationError({"endorser": _("%(person)s does not endorse compacts in "
                                                 "this country team.") % {"person": endorser}})


@audited_action
def compact_create(*, by, data: dict) -> Compact:
    """C1, C2: a new compact starts from the standard management measures, each with its
    target for the year."""
    data = dict(data)
    office = data.get("office")
    if office is None:
        raise ValidationError({"office": _("This field is required.")})
    _require(by, Perm.COMPACT_DRAFT, office.country_id)
    data.setdefault("manager", by)
    _check_people(data, office.country_id)
    compact = Compact(country_id=office.country_id)
    if not may_draft(by, Compact(country_id=office.country_id,
                                 manager_id=data["manager"].pk)):
        raise PermissionDenied(_("Only the senior manager keeps their compact."))
    validated_save(compact, data)
    for position, (area, objective, accomplishment, keys) in enumerate(
            rules.STANDARD_OBJECTIVES, start=1):
        row = validated_save(Objective(
            country_id=compact.country_id, compact=compact, section=Section.MANAGEMENT,
            area=area, objective=_(objective), expected_accomplishment=_(accomplishment),
            position=position))
        for key in keys:
            standard = rules.STANDARD_MEASURES[key]
            _measure_make(row, by=by, name=_(standard.name), unit=standard.unit,
                          direction=standard.direction, target=standard.target,
                          min_cases=standard.min_cases, standard=key,
                          condition=_(standard.condition) if standard.condition else "",
                          statement=_(standard.statement))
    measures_refresh(office=office, year=compact.year)
    return compact


@audited_action
def compact_update(*, compact: Compact, by, data: dict) -> Compact:
    _require_draft_right(by, compact)
    _check_editable(compact)
    data = dict(data)
    for name in ("office", "manager", "year"):
        value = data.get(name)
        if value is not None and getattr(value, "pk", value) != getattr(
                compact, f"{name}_id" if name != "year" else "year"):
            raise ValidationError({name: _("A compact keeps its manager, office and year.")})
    _check_people({"manager": compact.manager, **data}, compact.country_id)
    return validated_save(compact, data)


@audited_action
def compact_delete(*, compact: Compact, by) -> None:
    _require_draft_right(by, compact)
    _check_editable(compact)
    indicators = list(PerformanceMeasure.objects.filter(
        objective__compact=compact).values_list("indicator_id", flat=True))
    compact.delete()
    Indicator.objects.filter(pk__in=indicators).delete()


def compact_facts(compact: Compact) -> rules.CompactFacts:
    """What the step rules read, computed once per compact object (two queries)."""
    cached = getattr(compact, "_facts", None)
    if cached is None:
        measures = list(PerformanceMeasure.objects.filter(
            objective__compact=compact).values_list("indicator_id", flat=True))
        with_target = set(Target.objects.filter(
            indicator_id__in=measures, year=compact.year, month=0,
            agency__isnull=True).values_list("indicator_id", flat=True))
        cached = rules.CompactFacts(
            status=compact.status,
            superseded=Compact.objects.filter(supersedes=compact).exists(),
            measures=len(measures),
            measures_without_target=sum(1 for m in measures if m not in with_target))
        compact._facts = cached
    return cached


def _locked(compact: Compact) -> Compact:
    return Compact.objects.select_for_update().select_related("country", "office").get(
        pk=compact.pk)


def may_acknowledge_person(user, compact: Compact) -> bool:
    """C1: the manager acknowledges their own compact."""
    return user.pk == compact.manager_id and access.can(user, Perm.COMPACT_DRAFT,
                                                        compact.country_id)


def may_endorse_person(user, compact: Compact) -> bool:
    """C1: the endorser (the one named, or any endorser of the country when none is named)
    endorses; never the manager."""
    if user.pk == compact.manager_id:
        return False
    if compact.endorser_id is not None and user.pk != compact.endorser_id:
        return False
    return access.holds(user, Perm.COMPACT_ENDORSE, compact.country_id)


@audited_action
def compact_acknowledge(*, compact: Compact, by, today: date | None = None) -> Compact:
    """C1: the manager acknowledges the objectives; every measure needs its target."""
    compact = _locked(compact)
    if not may_acknowledge_person(by, compact):
        raise PermissionDenied(_("Only the senior manager acknowledges their compact."))
    facts = compact_facts(compact)
    if not rules.may_acknowledge(facts):
        if compact.status != CompactStatus.DRAFT:
            raise ValidationError(_("Only a draft compact is acknowledged."))
        if facts.measures == 0:
            raise ValidationError(_("A compact needs at least one performance measure."))
        raise ValidationError(_("Every performance measure needs a target for %(year)s: "
                                "%(count)s have none.") % {
            "year": compact.year, "count": facts.measures_without_target})
    compact.status = CompactStatus.ACKNOWLEDGED
    compact.acknowledged_on = today or compact.country.today()
    compact.return_reason = ""
    return validated_save(compact)


@audited_action
def compact_endorse(*, compact: Compact, by, today: date | None = None) -> Compact:
    """C1: the endorser endorses what the manager acknowledged; the compact is signed and
    read-only from now on."""
    compact = _locked(compact)
    if not may_endorse_person(by, compact):
        raise PermissionDenied(_("Only the compact's endorser endorses it."))
    if not rules.may_endorse(compact_facts(compact)):
        raise ValidationError(_("The manager acknowledges the compact before it is "
                                "endorsed."))
    compact.status = CompactStatus.ENDORSED
    compact.endorsed_on = today or compact.country.today()
    compact.endorsed_by = by
    return validated_save(compact)


@audited_action
def compact_return(*, compact: Compact, by, reason: str) -> Compact:
    """C1: the endorser sends an acknowledged compact back to the manager, saying why."""
    compact = _locked(compact)
    if not may_endorse_person(by, compact):
        raise PermissionDenied(_("Only the compact's endorser returns it."))
    if not rules.may_return(compact_facts(compact)):
        raise ValidationError(_("Only an acknowledged compact, not yet signed, goes back."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the compact goes back to the manager.")})
    compact.status = CompactStatus.DRAFT
    compact.acknowledged_on = None
    compact.return_reason = reason.strip()
    return validated_save(compact)


@audited_action
def compact_revise(*, compact: Compact, by) -> Compact:
    """C1: a signed compact is corrected by a new version: a draft copy of its objectives,
    measures and targets, which is acknowledged and endorsed in its turn."""
    compact = _locked(compact)
    _require_draft_right(by, compact)
    if not rules.may_revise(compact_facts(compact)):
        raise ValidationError(_("Only the latest signed version of a compact is corrected "
                                "by a new version."))
    new = validated_save(Compact(
        country_id=compact.country_id, office_id=compact.office_id,
        manager_id=compact.manager_id, endorser_id=compact.endorser_id, year=compact.year,
        budget_reference=compact.budget_reference, version=compact.version + 1,
        supersedes=compact))
    measures = PerformanceMeasure.objects.filter(objective__compact=compact).select_related(
        "indicator")
    by_objective: dict = {}
    for measure in measures:
        by_objective.setdefault(measure.objective_id, []).append(measure)
    targets = {t.indicator_id: t for t in Target.objects.filter(
        indicator__in=[m.indicator_id for m in measures], year=compact.year, month=0,
        agency__isnull=True)}
    actuals = {m.indicator_id: m for m in Measurement.objects.filter(
        indicator__in=[m.indicator_id for m in measures], year=compact.year, month=0,
        agency__isnull=True)}
    for objective in compact.objectives.all():
        copy = validated_save(Objective(
            country_id=compact.country_id, compact=new, section=objective.section,
            area=objective.area, objective=objective.objective,
            expected_accomplishment=objective.expected_accomplishment,
            budget_reference=objective.budget_reference, position=objective.position))
        for measure in by_objective.get(objective.pk, []):
            target = targets.get(measure.indicator_id)
            made = _measure_make(
                copy, by=by, name=measure.indicator.name, unit=measure.indicator.unit,
                direction=measure.indicator.direction,
                target=target.value if target else None,
                min_cases=target.min_cases if target else None, standard=measure.standard,
                description=measure.indicator.description,
                condition=target.condition if target else "", statement=measure.statement,
                require_target=False)
            actual = actuals.get(measure.indicator_id)
            if actual is not None and not measure.standard:
                results_actions.measurement_compute(
                    indicator=made.indicator, year=compact.year, value=actual.value,
                    cases=actual.cases, condition_met=actual.condition_met, note=actual.note)
    measures_refresh(office=compact.office, year=compact.year)
    return new


# --- objectives and measures ----------------------------------------------------------------


def _compact_of(data: dict, instance=None, name="compact") -> Compact:
    compact = data.get(name) or (getattr(instance, name) if instance is not None else None)
    if compact is None:
        raise ValidationError({name: _("This field is required.")})
    if instance is not None and getattr(instance, f"{name}_id") != compact.pk:
        raise ValidationError({name: _("A row stays in its compact.")})
    return compact


@audited_action
def objective_create(*, by, data: dict) -> Objective:
    compact = _compact_of(data)
    _require_draft_right(by, compact)
    _check_editable(compact)
    return validated_save(Objective(country_id=compact.country_id), data)


@audited_action
def objective_update(*, objective: Objective, by, data: dict) -> Objective:
    compact = _compact_of(data, objective)
    _require_draft_right(by, compact)
    _check_editable(compact)
    return validated_save(objective, data)


@audited_action
def objective_delete(*, objective: Objective, by) -> None:
    _require_draft_right(by, objective.compact)
    _check_editable(objective.compact)
    indicators = list(objective.measures.values_list("indicator_id", flat=True))
    objective.delete()
    Indicator.objects.filter(pk__in=indicators).delete()


def _measure_make(objective: Objective, *, by, name: str, unit: str, direction: str,
                  target: Decimal | None, min_cases: int | None = None, standard: str = "",
                  description: str = "", condition: str = "", statement: str = "",
                  require_target: bool = True) -> PerformanceMeasure:
    if target is None and require_target:
        raise ValidationError({"target": _("A performance measure needs a target for "
                                           "%(year)s.") % {"year": objective.compact.year}})
    indicator = results_actions.indicator_create(by=by, data={
        "country": objective.compact.country, "name": name, "unit": unit,
        "direction": direction, "description": description})
    measure = validated_save(PerformanceMeasure(
        country_id=objective.country_id, objective=objective, standard=standard,
        statement=statement or name, indicator=indicator))
    # the indicator measures the measure (its subject), for its page and the target lock
    results_actions.indicator_update(indicator=indicator, by=by, data={
        "subject_type": ContentType.objects.get_for_model(measure), "subject_id": measure.pk})
    if target is not None:
        results_actions.target_set(
            indicator=measure.indicator, year=objective.compact.year, value=target,
            min_cases=min_cases, condition=condition or (
                _("at least %(count)s cases") % {"count": min_cases} if min_cases else ""),
            by=by)
    return measure


MEASURE_FIELDS = ("name", "unit", "direction", "target", "min_cases", "description",
                  "statement")


@audited_action
def performance_measure_create(*, by, data: dict) -> PerformanceMeasure:
    """C1: a measure of an objective, with its target for the compact's year (a measure
    without a target is refused)."""
    objective = data.get("objective")
    if objective is None:
        raise ValidationError({"objective": _("This field is required.")})
    _require_draft_right(by, objective.compact)
    _check_editable(objective.compact)
    return _measure_make(objective, by=by, **{k: data.get(k) for k in MEASURE_FIELDS
                                             if k in data})


@audited_action
def performance_measure_update(*, performance_measure: PerformanceMeasure, by,
                               data: dict) -> PerformanceMeasure:
    measure = performance_measure
    compact = measure.objective.compact
    objective = data.get("objective")
    if objective is not None and objective.pk != measure.objective_id:
        raise ValidationError({"objective": _("A measure stays with its objective.")})
    _require_draft_right(by, compact)
    _check_editable(compact)
    if "target" in data and data["target"] is None:
        raise ValidationError({"target": _("A performance measure needs a target for "
                                           "%(year)s.") % {"year": compact.year}})
    fields = {k: data[k] for k in ("name", "unit", "direction", "description") if k in data}
    if fields:
        results_actions.indicator_update(indicator=measure.indicator, by=by, data=fields)
    if "target" in data or "min_cases" in data:
        current = Target.objects.filter(indicator=measure.indicator, year=compact.year,
                                        month=0, agency__isnull=True).first()
        min_cases = data.get("min_cases", current.min_cases if current else None)
        condition = current.condition if current and current.min_cases == min_cases else (
            _("at least %(count)s cases") % {"count": min_cases} if min_cases else "")
        results_actions.target_set(
            indicator=measure.indicator, year=compact.year,
            value=data.get("target", current.value if current else None), min_cases=min_cases,
            condition=condition, by=by)
    return validated_save(measure, {"statement": data["statement"]} if "statement" in data
                          else None)


@audited_action
def performance_measure_delete(*, performance_measure: PerformanceMeasure, by) -> None:
    compact = performance_measure.objective.compact
    _require_draft_right(by, compact)
    _check_editable(compact)
    indicator_id = performance_measure.indicator_id
    performance_measure.delete()
    Indicator.objects.filter(pk=indicator_id).delete()


def locked_reason(measure_id: int) -> str:
    """results.actions.TARGET_LOCKS: a signed compact's measures keep their targets."""
    status = PerformanceMeasure.objects.filter(pk=measure_id).values_list(
        "objective__compact__status", flat=True).first()
    return _signed_message() if status == CompactStatus.ENDORSED else ""


# --- reviews (C1) ----------------------------------------------------------------------------


def _check_review(compact: Compact, by) -> None:
    _require_draft_right(by, compact)
    status = Compact.objects.filter(pk=compact.pk).values_list("status", flat=True).first()
    if not rules.may_review(status):
        raise ValidationError(_("Reviews are of a signed compact."))


@audited_action
def compact_review_create(*, by, data: dict) -> CompactReview:
    compact = _compact_of(data)
    _check_review(compact, by)
    return validated_save(CompactReview(country_id=compact.country_id), data)


@audited_action
def compact_review_update(*, compact_review: CompactReview, by, data: dict) -> CompactReview:
    compact = _compact_of(data, compact_review)
    _check_review(compact, by)
    return validated_save(compact_review, data)


@audited_action
def compact_review_delete(*, compact_review: CompactReview, by) -> None:
    _check_review(compact_review.compact, by)
    compact_review.delete()
