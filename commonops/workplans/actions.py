"""Every change to work plans, their activities and progress, and BOS evaluations.

Pages, the API, the demo and the tasks call these. Each checks `by` through `core.access`,
applies the rules of `workplans.rules`, validates and saves in one transaction; a broken
rule raises ValidationError with a sentence for the person, and nothing changes.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.bos import actions as bos_actions
from commonops.bos.models import Bos, BosStatus, Opportunity, StocktakeEntry
from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import validated_save
from commonops.results import actions as results_actions
from commonops.results import queries as results_queries
from commonops.results.models import Indicator, Target
from commonops.workplans import rules
from commonops.workplans.models import (
    ActivityStatus,
    BosEvaluation,
    EvaluationStatus,
    PlanActivity,
    PlanStatus,
    ProgressUpdate,
    ServiceVerdict,
    WorkPlan,
)


def _require(by, perm: str, country) -> None:
    access.require(by, perm, country, _("Your roles do not allow this."))


def _check_draft(plan: WorkPlan) -> None:
    """G9: the plan changes only as a draft; once submitted or approved, it is kept."""
    if not rules.may_edit_plan(plan.status):
        raise ValidationError(_("This work plan is %(status)s: it can no longer be "
                                "changed.") % {"status": plan.get_status_display().lower()})


def _locked(plan: WorkPlan) -> WorkPlan:
    """Re-read the plan under a row lock so two people cannot take the same step at once."""
    return WorkPlan.objects.select_for_update().select_related("country").get(pk=plan.pk)


# --- the work plan (G9) ----------------------------------------------------------------------


def _check_plan(data: dict, instance: WorkPlan | None = None) -> dict:
    data = dict(data)
    omt = data.get("omt") or (instance.omt if instance else None)
    if omt is None:
        raise ValidationError({"omt": _("This field is required.")})
    if instance is not None and omt.pk != instance.omt_id:
        raise ValidationError({"omt": _("A work plan stays with its OMT.")})
    year = data.get("year", instance.year if instance else None)
    bos = data.get("bos", instance.bos if instance else None)
    if bos is not None:
        if bos.country_id != omt.country_id:
            raise ValidationError({"bos": _("That BOS belongs to another country team.")})
        if year is not None and not (bos.start_year <= year <= bos.end_year):
            raise ValidationError({"bos": _(
                "The BOS %(start)s–%(end)s does not cover %(year)s.")
                % {"start": bos.start_year, "end": bos.end_year, "year": year}})
    outcomes = data.get("outcomes")
    if outcomes is not None:
        if any(bos is None or outcome.bos_id != bos.pk for outcome in outcomes):
            raise ValidationError({"outcomes": _(
                "Choose outcomes of the BOS this plan carries out.")})
    data["country"] = omt.country
    return data


@audited_action
def work_plan_create(*, by, data: dict) -> WorkPlan:
    """G9: the work plan of a year, drafted at the year-end retreat."""
    data = _check_plan(data)
    _require(by, Perm.WORKPLAN_EDIT, data["country"].pk)
    return validated_save(WorkPlan(), data)


@audited_action
def work_plan_update(*, work_plan: WorkPlan, by, data: dict) -> WorkPlan:
    _require(by, Perm.WORKPLAN_EDIT, work_plan.country_id)
    _check_draft(work_plan)
    return validated_save(work_plan, _check_plan(data, work_plan))


@audited_action
def work_plan_delete(*, work_plan: WorkPlan, by) -> None:
    _require(by, Perm.WORKPLAN_EDIT, work_plan.country_id)
    _check_draft(work_plan)
    for activity in work_plan.activities.all():
        _indicators_of(activity).delete()
    work_plan.delete()


def plan_facts(plan: WorkPlan) -> rules.PlanFacts:
    activities = getattr(plan, "activity_count", None)
    if activities is None:
        activities = plan.activities.count()
    return rules.PlanFacts(status=plan.status, activities=activities)


@audited_action
def work_plan_submit(*, work_plan: WorkPlan, by, today: date | None = None) -> WorkPlan:
    """G9: the OMT sends its draft plan to the UNCT for approval."""
    plan = _locked(work_plan)
    _require(by, Perm.WORKPLAN_EDIT, plan.country_id)
    if not rules.may_submit(plan_facts(plan)):
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("Only a draft work plan can be submitted."))
        raise ValidationError(_("A work plan needs at least one activity before the UNCT "
                                "can approve it."))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_on = today or plan.country.today()
    plan.return_reason = ""
    return validated_save(plan)


@audited_action
def work_plan_approve(*, work_plan: WorkPlan, by, today: date | None = None) -> WorkPlan:
    """G9: the UNCT approves the submitted plan; progress reporting starts."""
    plan = _locked(work_plan)
    _require(by, Perm.WORKPLAN_APPROVE, plan.country_id)
    if not rules.may_approve(plan_facts(plan)):
        raise ValidationError(_("Only a work plan submitted to the UNCT can be approved."))
    plan.status = PlanStatus.APPROVED
    plan.approved_on = today or plan.country.today()
    return validated_save(plan)


@audited_action
def work_plan_return(*, work_plan: WorkPlan, by, reason: str) -> WorkPlan:
    """The UNCT sends a submitted plan back to the OMT, saying why."""
    plan = _locked(work_plan)
    _require(by, Perm.WORKPLAN_APPROVE, plan.country_id)
    if not rules.may_return(plan_facts(plan)):
        raise ValidationError(_("Only a work plan submitted to the UNCT can be returned."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the work plan goes back to draft.")})
    plan.status = PlanStatus.DRAFT
    plan.return_reason = reason.strip()
    plan.submitted_on = None
    return validated_save(plan)


@audited_action
def work_plan_carry_over(*, work_plan: WorkPlan, by) -> list[PlanActivity]:
    """G9: the unfinished activities of last year's plan come into this draft plan, each
    with the budget it has left, its progress so far, its indicators and their targets."""
    plan = _locked(work_plan)
    _require(by, Perm.WORKPLAN_EDIT, plan.country_id)
    _check_draft(plan)
    previous = WorkPlan.objects.filter(omt_id=plan.omt_id, year=plan.year - 1).first()
    if previous is None:
        raise ValidationError(_("There is no work plan for %(year)s to carry activities "
                                "from.") % {"year": plan.year - 1})
    unfinished = list(previous.activities.filter(
        status__in=rules.UNFINISHED, carried_to__isnull=True).select_related(
        "bos_activity"))
    if not unfinished:
        raise ValidationError(_("Every activity of %(year)s is done, cancelled or already "
                                "carried over.") % {"year": previous.year})
    indicators = {}
    for indicator in Indicator.objects.filter(
            pk__in=_indicators_of_many(unfinished).values("pk")):
        indicators.setdefault(indicator.subject_id, []).append(indicator)
    targets = {(t.indicator_id): t for t in Target.objects.filter(
        indicator__in=[i for group in indicators.values() for i in group],
        year=previous.year, month=0, agency__isnull=True)}
    carried = []
    for old in unfinished:
        if old.bos_activity_id and plan.activities.filter(
                bos_activity_id=old.bos_activity_id).exists():
            continue  # this year's part of that BOS activity is already planned
        starts_on, ends_on = rules.carried_dates(old.ends_on, plan.year)
        new = validated_save(PlanActivity(
            country_id=plan.country_id, plan=plan, bos_activity_id=old.bos_activity_id,
            name=old.name, outcome_id=old.outcome_id, owner_agency_id=old.owner_agency_id,
            owner_task_force_id=old.owner_task_force_id, starts_on=starts_on,
            ends_on=ends_on, budget=rules.remaining_budget(old.budget, old.spent),
            funding_source=old.funding_source, carried_from=old,
            status=ActivityStatus.IN_PROGRESS if old.progress else ActivityStatus.PLANNED,
            progress=old.progress))
        for indicator in indicators.get(old.pk, []):
            copy = results_actions.indicator_create(by=by, data={
                "country": plan.country, "name": indicator.name, "unit": indicator.unit,
                "direction": indicator.direction, "kind": indicator.kind,
                "description": indicator.description, "baseline": indicator.baseline,
                "baseline_year": indicator.baseline_year,
                "means_of_verification": indicator.means_of_verification, "subject": new})
            target = targets.get(indicator.pk)
            if target is not None:
                results_actions.target_set(indicator=copy, year=plan.year, value=target.value,
                                           condition=target.condition,
                                           min_cases=target.min_cases, by=by)
        carried.append(new)
    return carried


# --- activities ------------------------------------------------------------------------------


def _indicators_of(activity: PlanActivity):
    return results_queries.indicators_for(activity)


def _indicators_of_many(activities):
    from django.contrib.contenttypes.models import ContentType

    return Indicator.objects.filter(
        subject_type=ContentType.objects.get_for_model(PlanActivity),
        subject_id__in=[a.pk for a in activities])


DATE_MESSAGES = {
    rules.ENDS_BEFORE_START: ("ends_on", "An activity cannot end before it starts."),
    rules.OUTSIDE_YEAR: ("starts_on", "The activity's dates must fall within %(year)s, the "
                                      "year of its work plan."),
}


def _check_activity(data: dict, instance: PlanActivity | None = None) -> tuple[WorkPlan, dict]:
    data = dict(data)
    plan = data.get("plan") or (instance.plan if instance else None)
    if plan is None:
        raise ValidationError({"plan": _("This field is required.")})
    if instance is not None and plan.pk != instance.plan_id:
        raise ValidationError({"plan": _("An activity stays in its work plan.")})

    def value(name):
        return data[name] if name in data else getattr(instance, name, None)

    starts_on, ends_on = value("starts_on"), value("ends_on")
    if starts_on and ends_on:
        for problem in rules.date_problems(starts_on, ends_on, plan.year):
            field, message = DATE_MESSAGES[problem]
            raise ValidationError({field: _(message) % {"year": plan.year}})
    bos_activity = value("bos_activity")
    if bos_activity is not None:
        if plan.bos_id is None or bos_activity.outcome.bos_id != plan.bos_id:
            raise ValidationError({"bos_activity": _(
                "Choose an activity of the BOS plan this work plan carries out.")})
        # its name and outcome are the BOS activity's: nothing is copied
        data["name"] = ""
        data["outcome"] = None
    else:
        if not (value("name") or "").strip():
            raise ValidationError({"name": _(
                "Name the activity, or choose the BOS plan activity it carries out.")})
        outcome = value("outcome")
        if outcome is not None and outcome.bos_id != plan.bos_id:
            raise ValidationError({"outcome": _("Choose an outcome of the plan's BOS.")})
    agency, task_force = value("owner_agency"), value("owner_task_force")
    if (agency is None) == (task_force is None):
        raise ValidationError({"owner_agency": _(
            "An activity has one owner: an agency or a task force.")})
    if task_force is not None and task_force.country_id != plan.country_id:
        raise ValidationError({"owner_task_force": _("That task force is of another OMT.")})
    data["country"] = plan.country
    return plan, data


@audited_action
def plan_activity_create(*, by, data: dict) -> PlanActivity:
    plan, data = _check_activity(data)
    _require(by, Perm.WORKPLAN_EDIT, plan.country_id)
    _check_draft(plan)
    return validated_save(PlanActivity(), data)


@audited_action
def plan_activity_update(*, plan_activity: PlanActivity, by, data: dict) -> PlanActivity:
    _require(by, Perm.WORKPLAN_EDIT, plan_activity.country_id)
    plan, data = _check_activity(data, plan_activity)
    _check_draft(plan)
    return validated_save(plan_activity, data)


@audited_action
def plan_activity_delete(*, plan_activity: PlanActivity, by) -> None:
    _require(by, Perm.WORKPLAN_EDIT, plan_activity.country_id)
    _check_draft(plan_activity.plan)
    _indicators_of(plan_activity).delete()
    plan_activity.delete()


@audited_action
def activity_indicator_add(*, plan_activity: PlanActivity, by, name: str, unit: str,
                           direction: str, target: Decimal | None,
                           baseline: Decimal | None = None, min_cases: int | None = None,
                           means_of_verification: str = "") -> Indicator:
    """An indicator of the activity in the results engine, with its target for the plan's
    year: an indicator without a target is refused."""
    plan = plan_activity.plan
    _require(by, Perm.WORKPLAN_EDIT, plan.country_id)
    _check_draft(plan)
    if target is None:
        raise ValidationError({"target": _("An indicator needs a target for %(year)s.")
                               % {"year": plan.year}})
    indicator = results_actions.indicator_create(by=by, data={
        "country": plan.country, "name": name, "unit": unit, "direction": direction,
        "baseline": baseline, "means_of_verification": means_of_verification,
        "subject": plan_activity})
    results_actions.target_set(indicator=indicator, year=plan.year, value=target,
                               min_cases=min_cases, by=by)
    return indicator


# --- quarterly progress (the M&E focal point) -----------------------------------------------

PROGRESS_MESSAGES = {
    rules.OUT_OF_RANGE: "Progress is a percentage from 0 to 100.",
    rules.DONE_NEEDS_ALL: "A done activity is at 100%.",
    rules.ALL_IS_DONE: "At 100% the activity is done: choose Done.",
    rules.PLANNED_HAS_PROGRESS: "An activity with progress is in progress, not planned.",
}


def _sync_activity(activity: PlanActivity) -> None:
    """The activity's status, progress and spending are those of its latest report."""
    latest = activity.updates.order_by("-quarter").first()
    if latest is None:
        activity.status, activity.progress, activity.spent = ActivityStatus.PLANNED, 0, 0
    else:
        activity.status, activity.progress, activity.spent = (
            latest.status, latest.progress, latest.spent)
    validated_save(activity)


def _check_report(data: dict, instance: ProgressUpdate | None = None) -> PlanActivity:
    def value(name):
        return data[name] if name in data else getattr(instance, name, None)

    activity = value("activity")
    if activity is None:
        raise ValidationError({"activity": _("This field is required.")})
    if instance is not None and activity.pk != instance.activity_id:
        raise ValidationError({"activity": _("A report stays with its activity.")})
    plan = WorkPlan.objects.get(pk=activity.plan_id)  # as stored now, not as cached
    if not rules.may_report(plan.status):
        raise ValidationError(_("Progress is reported on an approved work plan; this one is "
                                "%(status)s.") % {"status": plan.get_status_display().lower()})
    problem = rules.progress_problem(value("status"), value("progress"))
    if problem:
        raise ValidationError({"progress": _(PROGRESS_MESSAGES[problem])})
    return activity


@audited_action
def progress_update_create(*, by, data: dict) -> ProgressUpdate:
    activity = _check_report(data)
    _require(by, Perm.MEASURE, activity.country_id)
    report = validated_save(ProgressUpdate(country_id=activity.country_id,
                                           reported_on=activity.country.today()), data)
    _sync_activity(activity)
    return report


@audited_action
def progress_update_update(*, progress_update: ProgressUpdate, by,
                           data: dict) -> ProgressUpdate:
    _require(by, Perm.MEASURE, progress_update.country_id)
    activity = _check_report(data, progress_update)
    progress_update.reported_on = activity.country.today()
    report = validated_save(progress_update, data)
    _sync_activity(activity)
    return report


@audited_action
def progress_update_delete(*, progress_update: ProgressUpdate, by) -> None:
    _require(by, Perm.MEASURE, progress_update.country_id)
    activity = progress_update.activity
    if not rules.may_report(WorkPlan.objects.get(pk=activity.plan_id).status):
        raise ValidationError(_("This work plan is no longer open for progress reports."))
    progress_update.delete()
    _sync_activity(activity)


# --- the end-of-cycle BOS evaluation ---------------------------------------------------------


def _check_evaluation_draft(evaluation: BosEvaluation) -> None:
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(_("This evaluation has been handed over and is kept as it "
                                "was."))


@audited_action
def bos_evaluation_create(*, by, data: dict) -> BosEvaluation:
    """Start the evaluation of a signed-off BOS, with a verdict to give on each of its
    common services (the selected opportunities and the stock-take)."""
    bos = data.get("bos")
    if bos is None:
        raise ValidationError({"bos": _("This field is required.")})
    _require(by, Perm.WORKPLAN_EDIT, bos.country_id)
    if bos.status != BosStatus.SIGNED_OFF:
        raise ValidationError({"bos": _("Only a signed-off BOS is evaluated at the end of "
                                        "its cycle.")})
    evaluation = validated_save(BosEvaluation(country_id=bos.country_id), data)
    verdicts = [ServiceVerdict(country_id=bos.country_id, evaluation=evaluation,
                               opportunity=o)
                for o in Opportunity.objects.filter(bos=bos, selected=True)
                .exclude(stocktake_entry__isnull=False)]
    verdicts += [ServiceVerdict(country_id=bos.country_id, evaluation=evaluation,
                                stocktake_entry=e, action=e.action)
                 for e in StocktakeEntry.objects.filter(bos=bos)]
    ServiceVerdict.objects.bulk_create(verdicts)
    return evaluation


@audited_action
def bos_evaluation_update(*, bos_evaluation: BosEvaluation, by, data: dict) -> BosEvaluation:
    _require(by, Perm.WORKPLAN_EDIT, bos_evaluation.country_id)
    _check_evaluation_draft(bos_evaluation)
    data = dict(data)
    bos = data.pop("bos", bos_evaluation.bos)
    if bos.pk != bos_evaluation.bos_id:
        raise ValidationError({"bos": _("An evaluation stays with its BOS.")})
    return validated_save(bos_evaluation, data)


@audited_action
def bos_evaluation_delete(*, bos_evaluation: BosEvaluation, by) -> None:
    _require(by, Perm.WORKPLAN_EDIT, bos_evaluation.country_id)
    _check_evaluation_draft(bos_evaluation)
    bos_evaluation.delete()


def _check_verdict(data: dict, instance: ServiceVerdict | None = None) -> tuple:
    def value(name):
        return data[name] if name in data else getattr(instance, name, None)

    evaluation = value("evaluation")
    if evaluation is None:
        raise ValidationError({"evaluation": _("This field is required.")})
    if instance is not None and evaluation.pk != instance.evaluation_id:
        raise ValidationError({"evaluation": _("A verdict stays with its evaluation.")})
    opportunity, entry = value("opportunity"), value("stocktake_entry")
    if (opportunity is None) == (entry is None):
        raise ValidationError({"opportunity": _(
            "Choose one common service: a new one or one of the stock-take.")})
    if (opportunity or entry).bos_id != evaluation.bos_id:
        raise ValidationError({"opportunity": _("That service belongs to another BOS.")})
    return evaluation, dict(data, country=evaluation.country)


@audited_action
def service_verdict_create(*, by, data: dict) -> ServiceVerdict:
    evaluation, data = _check_verdict(data)
    _require(by, Perm.WORKPLAN_EDIT, evaluation.country_id)
    _check_evaluation_draft(evaluation)
    return validated_save(ServiceVerdict(), data)


@audited_action
def service_verdict_delete(*, service_verdict: ServiceVerdict, by) -> None:
    _require(by, Perm.WORKPLAN_EDIT, service_verdict.country_id)
    _check_evaluation_draft(service_verdict.evaluation)
    service_verdict.delete()


@audited_action
def service_verdict_update(*, service_verdict: ServiceVerdict, by,
                           data: dict) -> ServiceVerdict:
    _require(by, Perm.WORKPLAN_EDIT, service_verdict.country_id)
    _check_evaluation_draft(service_verdict.evaluation)
    _evaluation, data = _check_verdict(data, service_verdict)
    return validated_save(service_verdict, data)


HAND_OVER_MESSAGES = {
    "already": "This evaluation has already been handed over.",
    "not_later": "Hand over to the BOS of a later cycle.",
    "not_draft": "The next BOS must be a draft to take the stock-take.",
}


@audited_action
def bos_evaluation_hand_over(*, bos_evaluation: BosEvaluation, by, next_bos: Bos,
                             today: date | None = None) -> list[StocktakeEntry]:
    """Hand the evaluation over into the next BOS: each common service comes into its
    stock-take with the recommended action and the reasons, and the evaluation is kept."""
    evaluation = BosEvaluation.objects.select_for_update().select_related(
        "bos", "country").get(pk=bos_evaluation.pk)
    _require(by, Perm.WORKPLAN_EDIT, evaluation.country_id)
    _require(by, Perm.BOS_EDIT, next_bos.country_id)
    if next_bos.country_id != evaluation.country_id:
        raise ValidationError({"next_bos": _("Choose a BOS of the same country team.")})
    problem = rules.hand_over_problem(
        evaluation_status=evaluation.status, bos_start_year=evaluation.bos.start_year,
        next_start_year=next_bos.start_year, next_status=next_bos.status)
    if problem:
        raise ValidationError({"next_bos": _(HAND_OVER_MESSAGES[problem])})
    taken = {name.casefold() for name in StocktakeEntry.objects.filter(
        bos=next_bos).values_list("name", flat=True)}
    entries, skipped = [], []
    verdicts = evaluation.verdicts.select_related("opportunity", "stocktake_entry")
    for verdict in verdicts:
        service = verdict.service
        if service.name.casefold() in taken:
            continue  # the next BOS's stock-take already lists it
        if service.service_line not in (next_bos.service_lines or []):
            skipped.append(service.name)
            continue
        since = (service.implementation_start if verdict.opportunity_id
                 else service.implemented_since) or evaluation.bos.start_year
        comments = _("From the evaluation of %(bos)s: %(why)s") % {
            "bos": evaluation.bos, "why": verdict.comments or verdict.get_action_display()}
        entries.append(bos_actions.stocktake_entry_create(by=by, data={
            "bos": next_bos, "name": service.name, "service_line": service.service_line,
            "modality": getattr(service, "modality", "in_house"),
            "implemented_since": since, "action": verdict.action, "comments": comments,
            "managing_agencies": list(service.managing_agencies.all()),
            "participating_agencies": list(service.participating_agencies.all())}))
    if skipped:
        raise ValidationError({"next_bos": _(
            "The next BOS does not cover the service line of: %(services)s. Add the line to "
            "its kick-off first.") % {"services": ", ".join(skipped)}})
    evaluation.status = EvaluationStatus.HANDED_OVER
    evaluation.next_bos = next_bos
    evaluation.handed_over_on = today or evaluation.country.today()
    validated_save(evaluation)
    return entries
