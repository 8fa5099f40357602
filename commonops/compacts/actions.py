"""Every change to compacts, their measures and reviews, the figures behind the C2 measures,
and oversight recommendations. Pages, the API, imports, the demo and the tasks call these.

Each checks `by` through `core.access`, applies the rules of `compacts.rules`, validates and
saves in one transaction; a broken rule raises ValidationError with a sentence for the
person and nothing changes. A figure or a recommendation that changes recomputes the
standard measures of its office's compacts for that year (`measures_refresh`), so an
actual is never typed twice.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.compacts import queries, rules
from commonops.compacts.models import (
    AppealResponse,
    Compact,
    CompactReview,
    CompactStatus,
    ComplianceFigure,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    RecommendationEvent,
    RecommendationStatus,
    Section,
    SpendingFigure,
    StaffFigure,
)
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import delete_managed, save_managed, validated_save
from commonops.results import actions as results_actions
from commonops.results.models import Indicator, Measurement, Target


def _require(by, perm: str, country, message: str = "") -> None:
    access.require(by, perm, country, message or _("Your roles do not allow this."))


def _signed_message() -> str:
    return _("This compact is signed and can no longer be changed: correct it with a new "
             "version.")


def _check_editable(compact: Compact) -> None:
    """C1: only a draft changes; an acknowledged one goes back to draft first, a signed one
    is corrected by a new version."""
    status = Compact.objects.filter(pk=compact.pk).values_list("status", flat=True).first()
    if status == CompactStatus.ENDORSED:
        raise ValidationError(_signed_message())
    if status != CompactStatus.DRAFT:
        raise ValidationError(_("This compact has been acknowledged: the endorser returns it "
                                "to draft before it changes."))


def may_draft(by, compact: Compact) -> bool:
    """C1: the senior manager keeps their own compact (administrators anyone's)."""
    if not access.can(by, Perm.COMPACT_DRAFT, compact.country_id):
        return False
    return by.pk == compact.manager_id or access.scope_for(by, Perm.COMPACT_DRAFT).everywhere


def _require_draft_right(by, compact: Compact) -> None:
    if not may_draft(by, compact):
        raise PermissionDenied(_("Only the senior manager keeps their compact."))


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


# --- the figures behind the C2 measures (C2) -------------------------------------------------


def measures_refresh(*, office: Office, year: int, today: date | None = None) -> int:
    """Recompute the standard measures of the office's compacts for `year` from its figures
    (as of the year's end, or today while it runs); how many actuals changed."""
    today = today or office.country.today()
    measures = list(PerformanceMeasure.objects.filter(
        objective__compact__office=office, objective__compact__year=year,
        objective__compact__superseded_by__isnull=True).exclude(standard="")
        .select_related("indicator"))
    if not measures:
        return 0
    figures = queries.office_figures(office, year)
    as_of = rules.as_of_for(year, today)
    changed = 0
    for measure in measures:
        actual = rules.compute_standard(measure.standard, figures, year=year, as_of=as_of)
        before = Measurement.objects.filter(indicator=measure.indicator, year=year, month=0,
                                            agency__isnull=True).values_list(
            "value", "cases", "condition_met").first()
        results_actions.measurement_compute(
            indicator=measure.indicator, year=year, value=actual.value, cases=actual.cases,
            condition_met=actual.condition_met,
            note=_("Computed from the office's figures as of %(day)s.") % {
                "day": as_of.isoformat()})
        after = (None if actual.value is None else
                 (results_actions._cents(actual.value), actual.cases, actual.condition_met))
        changed += before != after
    return changed


def _figure_year(instance) -> int:
    for name in ("year",):
        if getattr(instance, name, None):
            return getattr(instance, name)
    if isinstance(instance, DocumentSubmission):
        return instance.slot_date.year
    return instance.received_on.year


def _figure_save(instance, *, by, data: dict):
    years = {_figure_year(instance)} if instance.pk else set()
    old_office = instance.office if instance.pk else None
    office = data.get("office") or old_office
    if office is not None:
        data = {**data, "country": office.country}
    saved = save_managed(instance, by=by, data=data)
    years.add(_figure_year(saved))
    for year in years:
        measures_refresh(office=saved.office, year=year)
    if old_office is not None and old_office.pk != saved.office_id:
        for year in years:
            measures_refresh(office=old_office, year=year)
    return saved


def _figure_delete(instance, *, by) -> None:
    office, year = instance.office, _figure_year(instance)
    delete_managed(instance, by=by)
    measures_refresh(office=office, year=year)


@audited_action
def staff_figure_create(*, by, data: dict) -> StaffFigure:
    return _figure_save(StaffFigure(), by=by, data=data)


@audited_action
def staff_figure_update(*, staff_figure: StaffFigure, by, data: dict) -> StaffFigure:
    return _figure_save(staff_figure, by=by, data=data)


@audited_action
def staff_figure_delete(*, staff_figure: StaffFigure, by) -> None:
    _figure_delete(staff_figure, by=by)


@audited_action
def compliance_figure_create(*, by, data: dict) -> ComplianceFigure:
    return _figure_save(ComplianceFigure(), by=by, data=data)


@audited_action
def compliance_figure_update(*, compliance_figure: ComplianceFigure, by,
                             data: dict) -> ComplianceFigure:
    return _figure_save(compliance_figure, by=by, data=data)


@audited_action
def compliance_figure_delete(*, compliance_figure: ComplianceFigure, by) -> None:
    _figure_delete(compliance_figure, by=by)


@audited_action
def spending_figure_create(*, by, data: dict) -> SpendingFigure:
    return _figure_save(SpendingFigure(), by=by, data=data)


@audited_action
def spending_figure_update(*, spending_figure: SpendingFigure, by,
                           data: dict) -> SpendingFigure:
    return _figure_save(spending_figure, by=by, data=data)


@audited_action
def spending_figure_delete(*, spending_figure: SpendingFigure, by) -> None:
    _figure_delete(spending_figure, by=by)


@audited_action
def document_submission_create(*, by, data: dict) -> DocumentSubmission:
    return _figure_save(DocumentSubmission(), by=by, data=data)


@audited_action
def document_submission_update(*, document_submission: DocumentSubmission, by,
                               data: dict) -> DocumentSubmission:
    return _figure_save(document_submission, by=by, data=data)


@audited_action
def document_submission_delete(*, document_submission: DocumentSubmission, by) -> None:
    _figure_delete(document_submission, by=by)


@audited_action
def appeal_response_create(*, by, data: dict) -> AppealResponse:
    return _figure_save(AppealResponse(), by=by, data=data)


@audited_action
def appeal_response_update(*, appeal_response: AppealResponse, by,
                           data: dict) -> AppealResponse:
    return _figure_save(appeal_response, by=by, data=data)


@audited_action
def appeal_response_delete(*, appeal_response: AppealResponse, by) -> None:
    _figure_delete(appeal_response, by=by)


# --- oversight recommendations (C3) ----------------------------------------------------------


def _recommendation_refresh(recommendation: OversightRecommendation, *years) -> None:
    for year in {y for y in years if y}:
        measures_refresh(office=recommendation.office, year=year)


def _event(recommendation, *, status, on, by, note="", evidence="") -> RecommendationEvent:
    return validated_save(RecommendationEvent(
        country_id=recommendation.country_id, recommendation=recommendation, status=status,
        on=on, note=note, evidence=evidence, by=by))


@audited_action
def oversight_recommendation_create(*, by, data: dict) -> OversightRecommendation:
    office = data.get("office")
    data = {**data, "country": office.country} if office is not None else data
    recommendation = save_managed(OversightRecommendation(), by=by, data=data)
    _event(recommendation, status=RecommendationStatus.OPEN, on=recommendation.issued_on,
           by=by, note=_("Issued by %(body)s in %(report)s.") % {
               "body": recommendation.get_source_body_display(),
               "report": recommendation.report})
    _recommendation_refresh(recommendation, recommendation.target_date.year)
    return recommendation


@audited_action
def oversight_recommendation_update(*, oversight_recommendation: OversightRecommendation, by,
                                    data: dict) -> OversightRecommendation:
    recommendation = oversight_recommendation
    old_year = recommendation.target_date.year
    office = data.get("office")
    if office is not None and office.pk != recommendation.office_id:
        raise ValidationError({"office": _("A recommendation stays with its office.")})
    saved = save_managed(recommendation, by=by, data=data)  # the constraints check dates
    # A moved target date is a new key for the reminders: they go out again (C3).
    _recommendation_refresh(saved, old_year, saved.target_date.year)
    return saved


@audited_action
def oversight_recommendation_delete(*, oversight_recommendation: OversightRecommendation,
                                    by) -> None:
    recommendation = oversight_recommendation
    office, year = recommendation.office, recommendation.target_date.year
    delete_managed(recommendation, by=by)
    measures_refresh(office=office, year=year)


def _moved(recommendation: OversightRecommendation, *, by, to: str) -> OversightRecommendation:
    locked = OversightRecommendation.objects.select_for_update().select_related(
        "country", "office").get(pk=recommendation.pk)
    _require(by, Perm.OVERSIGHT_MANAGE, locked.country_id)
    if not rules.may_move(locked.status, to):
        raise ValidationError(_("A recommendation that is %(status)s cannot become "
                                "%(to)s.") % {
            "status": locked.get_status_display().lower(),
            "to": RecommendationStatus(to).label.lower()})
    return locked


@audited_action
def recommendation_start(*, oversight_recommendation, by, note: str = "",
                         today: date | None = None):
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.IN_PROGRESS)
    r.status, r.implemented_on = RecommendationStatus.IN_PROGRESS, None
    validated_save(r)
    _event(r, status=r.status, on=today or r.country.today(), by=by, note=note)
    return r


IMPLEMENTATION_MESSAGES = {
    "missing": "Give the day it was implemented.",
    "before_issued": "A recommendation cannot be implemented before it was issued "
                     "(%(issued)s).",
    "in_future": "The day it was implemented cannot be in the future.",
}


@audited_action
def recommendation_implement(*, oversight_recommendation, by, implemented_on: date,
                             evidence: str, note: str = "", today: date | None = None):
    """C3: implemented on a day, with its evidence; the rates and the compact's measures
    follow."""
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.IMPLEMENTED)
    today = today or r.country.today()
    problem = rules.implementation_problem(issued_on=r.issued_on,
                                           implemented_on=implemented_on, today=today)
    if problem:
        raise ValidationError({"implemented_on": _(IMPLEMENTATION_MESSAGES[problem]) % {
            "issued": r.issued_on.isoformat()}})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Say what shows it is implemented.")})
    r.status, r.implemented_on, r.evidence = (RecommendationStatus.IMPLEMENTED,
                                              implemented_on, evidence.strip())
    validated_save(r)
    _event(r, status=r.status, on=implemented_on, by=by, note=note, evidence=r.evidence)
    _recommendation_refresh(r, r.target_date.year)
    return r


@audited_action
def recommendation_close(*, oversight_recommendation, by, note: str,
                         today: date | None = None):
    """C3: closed by the oversight body: verified once implemented, or withdrawn."""
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.CLOSED)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it is closed.")})
    r.status = RecommendationStatus.CLOSED
    validated_save(r)
    _event(r, status=r.status, on=today or r.country.today(), by=by, note=note.strip())
    _recommendation_refresh(r, r.target_date.year)
    return r


@audited_action
def recommendation_reopen(*, oversight_recommendation, by, note: str,
                          today: date | None = None):
    """C3: an implementation the body did not accept: back in progress."""
    r = _moved(oversight_recommendation, by=by, to=RecommendationStatus.IN_PROGRESS)
    if r.status != RecommendationStatus.IMPLEMENTED:
        raise ValidationError(_("Only an implemented recommendation is reopened."))
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why it is reopened.")})
    r.status, r.implemented_on = RecommendationStatus.IN_PROGRESS, None
    validated_save(r)
    _event(r, status=r.status, on=today or r.country.today(), by=by, note=note.strip())
    _recommendation_refresh(r, r.target_date.year)
    return r
