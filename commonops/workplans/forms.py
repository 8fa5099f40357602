"""Forms of the work-plan pages. They validate input; workplans/actions.py changes state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.bos.models import Activity as BosActivity
from commonops.bos.models import Bos, Opportunity, Outcome, StocktakeAction, StocktakeEntry
from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency
from commonops.core.roles import Perm
from commonops.governance.models import Omt, TaskForce
from commonops.results.models import Direction, Unit
from commonops.workplans.models import (
    BosEvaluation,
    PlanActivity,
    ProgressUpdate,
    ServiceVerdict,
    WorkPlan,
)


def _row_id(value) -> int | None:
    """A row id given in a page's address or form, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2 ** 63 else None


def _in_scope(queryset, user, perm, lookup="country_id__in"):
    scope = access.scope_for(user, perm)
    return queryset if scope.everywhere else queryset.filter(**{lookup: scope.country_ids})


class WorkPlanForm(ScopedModelForm):
    class Meta:
        model = WorkPlan
        fields = ["omt", "year", "title", "bos", "outcomes", "retreat_on"]
        widgets = {"retreat_on": forms.DateInput(),
                   "outcomes": forms.CheckboxSelectMultiple()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perm = Perm.WORKPLAN_EDIT
        self.fields["omt"].queryset = _in_scope(Omt.objects.select_related("country"),
                                                self.user, perm)
        self.fields["bos"].queryset = _in_scope(Bos.objects.select_related("country"),
                                                self.user, perm)
        self.fields["outcomes"].queryset = _in_scope(
            Outcome.objects.select_related("bos"), self.user, perm)
        if self.instance.pk:
            self.fields["omt"].disabled = True
            self.fields["outcomes"].queryset = Outcome.objects.filter(
                bos_id=self.instance.bos_id)


class PlanActivityForm(ScopedModelForm):
    class Meta:
        model = PlanActivity
        fields = ["plan", "bos_activity", "name", "outcome", "owner_agency",
                  "owner_task_force", "starts_on", "ends_on", "budget", "funding_source"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perm = Perm.WORKPLAN_EDIT
        plans = _in_scope(WorkPlan.objects.filter(status="draft"), self.user, perm)
        self.fields["plan"].queryset = plans
        plan_id = _row_id(self.initial.get("plan") or self.data.get("plan")
                          or self.instance.plan_id)
        bos_filter = {"outcome__bos__work_plans": plan_id} if plan_id else {}
        self.fields["bos_activity"].queryset = _in_scope(
            BosActivity.objects.filter(**bos_filter).select_related("outcome"), self.user,
            perm)
        outcome_filter = {"bos__work_plans": plan_id} if plan_id else {}
        self.fields["outcome"].queryset = _in_scope(
            Outcome.objects.filter(**outcome_filter), self.user, perm)
        self.fields["owner_agency"].queryset = Agency.objects.order_by("acronym")
        self.fields["owner_task_force"].queryset = _in_scope(TaskForce.objects.all(),
                                                             self.user, perm)
        if self.instance.pk:
            self.fields["plan"].disabled = True


class ProgressUpdateForm(ScopedModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["activity", "quarter", "status", "progress", "spent", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = _in_scope(
            PlanActivity.objects.filter(plan__status="approved").select_related(
                "bos_activity", "plan"), self.user, Perm.MEASURE)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        self.fields["quarter"].widget.attrs.update({"min": 1, "max": 4})
        if self.instance.pk:
            self.fields["activity"].disabled = True


class ActivityIndicatorForm(forms.Form):
    """An indicator of a work-plan activity, with its target for the plan's year."""

    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=16,
                                  decimal_places=2)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=16,
                                decimal_places=2,
                                help_text=_("What the indicator should reach this year."))
    min_cases = forms.IntegerField(
        label=_("Applies from this many cases"), required=False, min_value=1,
        help_text=_("Leave empty when the target always applies."))
    means_of_verification = forms.CharField(label=_("Means of verification"), required=False,
                                            max_length=300)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it goes back to the OMT"), widget=forms.Textarea)


class BosEvaluationForm(ScopedModelForm):
    class Meta:
        model = BosEvaluation
        fields = ["bos", "evaluated_on", "summary", "lessons", "recommendations"]
        widgets = {"evaluated_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bos"].queryset = _in_scope(
            Bos.objects.filter(status="signed_off").select_related("country"), self.user,
            Perm.WORKPLAN_EDIT)
        if self.instance.pk:
            self.fields["bos"].disabled = True


class ServiceVerdictForm(ScopedModelForm):
    class Meta:
        model = ServiceVerdict
        fields = ["evaluation", "opportunity", "stocktake_entry", "action", "comments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perm = Perm.WORKPLAN_EDIT
        self.fields["action"].choices = StocktakeAction.choices
        self.fields["evaluation"].queryset = _in_scope(
            BosEvaluation.objects.filter(status="draft").select_related("bos"), self.user,
            perm)
        evaluation = _row_id(self.initial.get("evaluation") or self.data.get("evaluation")
                             or self.instance.evaluation_id)
        narrow = {"bos__evaluation": evaluation} if evaluation else {}
        self.fields["opportunity"].queryset = _in_scope(
            Opportunity.objects.filter(selected=True, **narrow), self.user, perm)
        self.fields["stocktake_entry"].queryset = _in_scope(
            StocktakeEntry.objects.filter(**narrow), self.user, perm)
        if self.instance.pk:
            for name in ("evaluation", "opportunity", "stocktake_entry"):
                self.fields[name].disabled = True


class HandOverForm(forms.Form):
    next_bos = forms.ModelChoiceField(label=_("Next BOS"), queryset=Bos.objects.none())

    def __init__(self, *args, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if evaluation is not None:
            self.fields["next_bos"].queryset = Bos.objects.filter(
                country_id=evaluation.country_id,
                start_year__gt=evaluation.bos.start_year).order_by("start_year")
