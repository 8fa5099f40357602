"""Forms of the BOS pages. They validate input; bos/actions.py changes state.

Choices of a BOS, an opportunity or an outcome are narrowed to the rows the person may see,
and agencies to those present in the person's countries.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.bos.models import (
    BOS_LINE_CHOICES,
    Activity,
    AnnualResult,
    Bos,
    CbaEntry,
    GradeRate,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency, AgencyPresence
from commonops.results.models import Direction, Unit


def _agencies_for(user):
    scope = access.scope_for(user)
    presences = AgencyPresence.objects.all()
    if not scope.everywhere:
        presences = presences.filter(country_id__in=scope.country_ids)
    return Agency.objects.filter(pk__in=presences.values("agency_id"))


class BosContentForm(ScopedModelForm):
    """Narrows the parent (BOS, opportunity, outcome) and agency choices to what the person
    may see."""

    parents = {"bos": Bos, "opportunity": Opportunity, "outcome": Outcome}
    agency_fields = ("managing_agencies", "participating_agencies", "owner", "agency")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name, model in self.parents.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.visible_to(user)
        for name in self.agency_fields:
            if name in self.fields:
                self.fields[name].queryset = _agencies_for(user)


class BosForm(BosContentForm):
    """B1, B2: the kick-off of a BOS."""

    service_lines = forms.MultipleChoiceField(
        label=_("Service lines"), choices=BOS_LINE_CHOICES,
        widget=forms.CheckboxSelectMultiple, help_text=_("At least two (B2)."))
    # the version the person opened, so two people editing at once do not overwrite each
    # other silently (bos_update refuses a stale version)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    class Meta:
        model = Bos
        fields = ["country", "title", "start_year", "end_year", "kickoff_on", "scope",
                  "service_lines", "participating_agencies", "discount_rate"]
        widgets = {"kickoff_on": forms.DateInput(),
                   "participating_agencies": forms.CheckboxSelectMultiple}


class StocktakeEntryForm(BosContentForm):
    class Meta:
        model = StocktakeEntry
        fields = ["bos", "name", "service_line", "modality", "managing_agencies",
                  "participating_agencies", "implemented_since", "action", "comments"]
        widgets = {"managing_agencies": forms.CheckboxSelectMultiple,
                   "participating_agencies": forms.CheckboxSelectMultiple}


class OpportunityForm(BosContentForm):
    class Meta:
        model = Opportunity
        fields = ["bos", "name", "description", "service_line", "managing_agencies",
                  "participating_agencies", "approach", "data_sources",
                  "implementation_start"]
        widgets = {"managing_agencies": forms.CheckboxSelectMultiple,
                   "participating_agencies": forms.CheckboxSelectMultiple}


class CbaEntryForm(BosContentForm):
    """B4: a CBA line; labour from hours and grade, monetary optionally from unit prices."""

    class Meta:
        model = CbaEntry
        fields = ["opportunity", "year", "side", "kind", "nature", "description", "amount",
                  "hours", "grade", "old_unit_price", "new_unit_price", "volume"]
        help_texts = {"amount": _("Leave empty when it is computed from hours and grade, or "
                                  "from unit prices and volume.")}

    repeat_until = forms.IntegerField(
        label=_("Repeat each year until horizon year"), required=False, min_value=1,
        help_text=_("For a recurring line: the same line is added for every horizon year "
                    "up to this one."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False
        if self.instance.pk:  # an existing line is one year's
            del self.fields["repeat_until"]


class OutcomeForm(BosContentForm):
    class Meta:
        model = Outcome
        fields = ["bos", "service_line", "statement"]


class ActivityForm(BosContentForm):
    class Meta:
        model = Activity
        fields = ["outcome", "opportunity", "name", "owner", "starts_on", "ends_on", "budget",
                  "funded"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput()}


class GradeRateForm(ScopedModelForm):
    class Meta:
        model = GradeRate
        fields = ["country", "year", "grade", "hourly_rate"]


class AnnualResultForm(BosContentForm):
    class Meta:
        model = AnnualResult
        fields = ["opportunity", "agency", "year", "realised_cost_avoidance", "funds_spent",
                  "feedback"]


class KpiForm(forms.Form):
    """B5: a KPI of a common service, with its yearly targets."""

    name = forms.CharField(label=_("KPI"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        ("cost_avoidance", _("Cost avoidance")), ("quality", _("Quality")),
        ("other", _("Other"))])
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=16,
                                  decimal_places=2)
    means_of_verification = forms.CharField(label=_("Means of verification"), required=False,
                                            max_length=300)

    def __init__(self, *args, bos: Bos, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(range(bos.start_year, bos.end_year + 1))
        for year in self.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target %(year)s") % {"year": year}, required=False, max_digits=16,
                decimal_places=2)

    def targets(self) -> dict:
        return {year: self.cleaned_data[f"target_{year}"] for year in self.years
                if self.cleaned_data.get(f"target_{year}") is not None}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning to draft"), widget=forms.Textarea,
                             max_length=2000)


class ImportForm(forms.Form):
    upload = forms.FileField(label=_("File (XLSX or CSV)"))
    commit = forms.BooleanField(label=_("Save the rows (leave unticked to preview)"),
                                required=False)
