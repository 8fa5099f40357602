"""Annual work plans (G9) and the end-of-cycle BOS evaluation.

A work plan is the OMT's plan for one calendar year, drafted at the year-end retreat and
approved by the UNCT. Its activities are the year's work: an activity is either the year's
part of an activity of the BOS plan (`bos_activity`: its name and outcome are read from
there, never copied) or an OMT activity of its own (a name, optionally a BOS outcome). Each
has this year's owner (an agency or a task force), dates, budget and funding source, and
its progress as the M&E focal point reports it each quarter. Its indicators are `results`
indicators whose subject is the activity.

Every row is owned by the country of its OMT (`CountryOwnedModel`). Rule ids refer to
DOMAIN.md.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.bos.models import StocktakeAction
from commonops.core.models import CountryOwnedModel
from commonops.core.roles import Perm
from commonops.workplans import rules

MONEY = {"max_digits": 14, "decimal_places": 2}
YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class WorkplanModel(CountryOwnedModel):
    manage_permission = Perm.WORKPLAN_EDIT

    class Meta:
        abstract = True


class PlanStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    SUBMITTED = rules.SUBMITTED, _("Submitted to the UNCT")
    APPROVED = rules.APPROVED, _("Approved by the UNCT")


class WorkPlan(WorkplanModel):
    """G9: the OMT's work plan for one year, linked to the BOS outcomes it advances."""

    omt = models.ForeignKey("governance.Omt", verbose_name=_("OMT"), on_delete=models.PROTECT,
                            related_name="work_plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    title = models.CharField(_("title"), max_length=200)
    bos = models.ForeignKey("bos.Bos", verbose_name=_("BOS"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="work_plans",
                            help_text=_("The Business Operations Strategy this plan carries "
                                        "out."))
    outcomes = models.ManyToManyField("bos.Outcome", verbose_name=_("BOS outcomes it advances"),
                                      blank=True, related_name="work_plans")
    retreat_on = models.DateField(_("year-end retreat"), null=True, blank=True,
                                  help_text=_("The retreat at which the plan was drafted."))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT, editable=False)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    return_reason = models.TextField(_("reason for return to draft"), blank=True,
                                     editable=False)

    class Meta:
        ordering = ["country", "-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [models.UniqueConstraint(
            fields=["omt", "year"], name="one_work_plan_per_omt_year",
            violation_error_message=_("This OMT already has a work plan for that year."))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workplans:workplan_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return rules.may_edit_plan(self.status)


class ActivityStatus(models.TextChoices):
    PLANNED = rules.PLANNED, _("Planned")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    DONE = rules.DONE, _("Done")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class FundingSource(models.TextChoices):
    COMMON_BUDGET = "common_budget", _("Common-services budget")
    COST_SHARING = "cost_sharing", _("Agency cost sharing")
    COORDINATION_FUND = "coordination_fund", _("RC coordination fund")
    DONOR = "donor", _("Donor funding")
    IN_KIND = "in_kind", _("In kind (staff time)")
    NOT_FUNDED = "not_funded", _("Not funded yet")


class PlanActivity(WorkplanModel):
    """An activity of a work plan: the year's part of a BOS plan activity, or an OMT
    activity of its own."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE,
                             related_name="activities")
    bos_activity = models.ForeignKey(
        "bos.Activity", verbose_name=_("BOS plan activity"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="work_plan_activities",
        help_text=_("When this is this year's part of an activity of the BOS plan; its name "
                    "and outcome then come from the BOS."))
    name = models.CharField(_("activity"), max_length=200, blank=True,
                            help_text=_("For an activity that is not in the BOS plan."))
    outcome = models.ForeignKey("bos.Outcome", verbose_name=_("BOS outcome"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    owner_agency = models.ForeignKey("core.Agency", verbose_name=_("owner agency"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    owner_task_force = models.ForeignKey(
        "governance.TaskForce", verbose_name=_("owner task force"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget = models.DecimalField(_("budget (USD)"), **MONEY, default=0,
                                 validators=[MinValueValidator(0)])
    funding_source = models.CharField(_("funding source"), max_length=20,
                                      choices=FundingSource.choices,
                                      default=FundingSource.COMMON_BUDGET)
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices,
                              default=ActivityStatus.PLANNED, editable=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False,
                                                validators=[MaxValueValidator(100)])
    spent = models.DecimalField(_("spent (USD)"), **MONEY, default=0, editable=False)
    carried_from = models.OneToOneField(
        "self", verbose_name=_("carried over from"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="carried_to")

    class Meta:
        ordering = ["plan", "starts_on", "id"]
        verbose_name = _("work-plan activity")
        verbose_name_plural = _("work-plan activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="plan_activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts.")),
            models.CheckConstraint(
                condition=Q(budget__gte=0, spent__gte=0), name="plan_activity_money_positive",
                violation_error_message=_("Budget and spending cannot be negative.")),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="plan_activity_progress_at_most_100",
                violation_error_message=_("Progress cannot be over 100%.")),
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=False, owner_task_force__isnull=True)
                | Q(owner_agency__isnull=True, owner_task_force__isnull=False),
                name="plan_activity_one_owner",
                violation_error_message=_("An activity has one owner: an agency or a task "
                                          "force.")),
            models.CheckConstraint(
                condition=Q(bos_activity__isnull=False) | ~Q(name=""),
                name="plan_activity_named",
                violation_error_message=_("Name the activity, or choose the BOS plan activity "
                                          "it carries out.")),
            models.UniqueConstraint(
                fields=["plan", "bos_activity"], condition=Q(bos_activity__isnull=False),
                name="bos_activity_once_per_plan",
                violation_error_message=_("This BOS plan activity is already in the work "
                                          "plan.")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workplans:planactivity_detail", args=[self.pk])

    @property
    def title(self) -> str:
        if self.bos_activity_id:
            return self.bos_activity.name
        return self.name

    @property
    def the_outcome(self):
        if self.bos_activity_id:
            return self.bos_activity.outcome
        return self.outcome

    @property
    def owner(self):
        return self.owner_agency or self.owner_task_force


class ProgressUpdate(WorkplanModel):
    """A quarterly progress report on an activity, by the M&E focal point."""

    manage_permission = Perm.MEASURE

    activity = models.ForeignKey(PlanActivity, verbose_name=_("activity"),
                                 on_delete=models.CASCADE, related_name="updates")
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"),
                                                validators=[MaxValueValidator(100)])
    spent = models.DecimalField(_("spent to date (USD)"), **MONEY, default=0,
                                validators=[MinValueValidator(0)])
    note = models.TextField(_("what was done, what is in the way"), blank=True)
    reported_on = models.DateField(_("reported on"), editable=False)

    class Meta:
        ordering = ["activity", "quarter"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "quarter"], name="one_progress_report_per_quarter",
                violation_error_message=_("This activity already has a report for that "
                                          "quarter: change that one.")),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="progress_quarter_1_to_4",
                violation_error_message=_("A quarter is 1, 2, 3 or 4.")),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="progress_report_at_most_100",
                violation_error_message=_("Progress cannot be over 100%.")),
        ]

    def __str__(self):
        return f"{self.activity} — Q{self.quarter}: {self.progress}%"

    def get_absolute_url(self):
        return reverse("workplans:progressupdate_detail", args=[self.pk])


class EvaluationStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    HANDED_OVER = rules.HANDED_OVER, _("Handed over to the next BOS")


class BosEvaluation(WorkplanModel):
    """The end-of-cycle evaluation of a BOS: results against its framework over the cycle
    (computed), lessons and recommendations, handed over into the next BOS's stock-take."""

    bos = models.OneToOneField("bos.Bos", verbose_name=_("BOS evaluated"),
                               on_delete=models.CASCADE, related_name="evaluation")
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    summary = models.TextField(_("overall assessment"))
    lessons = models.TextField(_("lessons learned"), blank=True)
    recommendations = models.TextField(_("recommendations for the next BOS"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT, editable=False)
    next_bos = models.ForeignKey("bos.Bos", verbose_name=_("handed over to"), null=True,
                                 blank=True, editable=False, on_delete=models.SET_NULL,
                                 related_name="+")
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True,
                                      editable=False)

    class Meta:
        ordering = ["country", "-bos__start_year"]
        verbose_name = _("BOS evaluation")
        verbose_name_plural = _("BOS evaluations")

    def __str__(self):
        return str(_("Evaluation of %(bos)s") % {"bos": self.bos})

    def get_absolute_url(self):
        return reverse("workplans:bosevaluation_detail", args=[self.pk])


class ServiceVerdict(WorkplanModel):
    """What the evaluation recommends for one common service of the BOS (a selected
    opportunity or a stock-take entry): the action the next BOS's stock-take starts with."""

    evaluation = models.ForeignKey(BosEvaluation, verbose_name=_("evaluation"),
                                   on_delete=models.CASCADE, related_name="verdicts")
    opportunity = models.ForeignKey("bos.Opportunity", verbose_name=_("new common service"),
                                    null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    stocktake_entry = models.ForeignKey(
        "bos.StocktakeEntry", verbose_name=_("existing common service"), null=True,
        blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("recommended action"), max_length=12,
                              choices=StocktakeAction.choices,
                              default=StocktakeAction.CONTINUE)
    comments = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["evaluation", "id"]
        verbose_name = _("service verdict")
        verbose_name_plural = _("service verdicts")
        constraints = [models.CheckConstraint(
            condition=Q(opportunity__isnull=False, stocktake_entry__isnull=True)
            | Q(opportunity__isnull=True, stocktake_entry__isnull=False),
            name="verdict_on_one_service",
            violation_error_message=_("A verdict is about one common service."))]

    def __str__(self):
        return f"{self.service_name}: {self.get_action_display()}"

    def get_absolute_url(self):
        return reverse("workplans:serviceverdict_detail", args=[self.pk])

    @property
    def service(self):
        return self.opportunity or self.stocktake_entry

    @property
    def service_name(self) -> str:
        return self.service.name
