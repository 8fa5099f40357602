"""Forms of the compact and oversight pages. They validate input; compacts/actions.py
changes state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.compacts.models import (
    AppealResponse,
    Compact,
    CompactReview,
    ComplianceFigure,
    DocumentSubmission,
    Objective,
    Office,
    OversightRecommendation,
    PerformanceMeasure,
    SpendingFigure,
    StaffFigure,
)
from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency, RoleAssignment, User
from commonops.core.roles import Perm, Role
from commonops.results.models import Direction, Target, Unit


def _in_scope(queryset, user, perm, lookup="country_id__in"):
    scope = access.scope_for(user, perm)
    return queryset if scope.everywhere else queryset.filter(**{lookup: scope.country_ids})


def _people_with(role, user, perm):
    holders = RoleAssignment.objects.filter(role=role)
    scope = access.scope_for(user, perm)
    if not scope.everywhere:
        holders = holders.filter(country_id__in=scope.country_ids)
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True)


class OfficeForm(ScopedModelForm):
    class Meta:
        model = Office
        fields = ["country", "name", "agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("acronym")


class CompactForm(ScopedModelForm):
    class Meta:
        model = Compact
        fields = ["office", "manager", "endorser", "year", "budget_reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perm = Perm.COMPACT_DRAFT
        self.fields["office"].queryset = _in_scope(Office.objects.all(), self.user, perm)
        self.fields["manager"].queryset = _people_with(Role.SENIOR_MANAGER, self.user, perm)
        self.fields["manager"].required = False
        self.fields["manager"].help_text = _("Empty: you.")
        self.fields["endorser"].queryset = _people_with(Role.ENDORSER, self.user, perm)
        if self.instance.pk:
            for name in ("office", "manager", "year"):
                self.fields[name].disabled = True

    def clean_manager(self):
        return self.cleaned_data.get("manager") or self.user


class ObjectiveForm(ScopedModelForm):
    class Meta:
        model = Objective
        fields = ["compact", "section", "area", "objective", "expected_accomplishment",
                  "budget_reference", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compact"].queryset = _in_scope(
            Compact.objects.filter(status="draft").select_related("office", "manager"),
            self.user, Perm.COMPACT_DRAFT)
        if self.instance.pk:
            self.fields["compact"].disabled = True


class PerformanceMeasureForm(ScopedModelForm):
    """A measure: its indicator's name, unit and direction, and its target for the year."""

    name = forms.CharField(label=_("Performance measure"), max_length=200)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial="percent")
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=16,
                                decimal_places=2,
                                help_text=_("What it should reach in the compact's year."))
    min_cases = forms.IntegerField(label=_("Applies from this many cases"), required=False,
                                   min_value=1,
                                   help_text=_("Leave empty when the target always applies."))
    description = forms.CharField(label=_("Definition"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    extra = ("name", "unit", "direction", "target", "min_cases", "description")

    class Meta:
        model = PerformanceMeasure
        fields = ["objective", "statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = _in_scope(
            Objective.objects.filter(compact__status="draft").select_related("compact"),
            self.user, Perm.COMPACT_DRAFT)
        measure = self.instance
        if measure.pk and measure.indicator_id:
            self.fields["objective"].disabled = True
            indicator = measure.indicator
            target = Target.objects.filter(indicator=indicator,
                                           year=measure.objective.compact.year, month=0,
                                           agency__isnull=True).first()
            for name, value in (("name", indicator.name), ("unit", indicator.unit),
                                ("direction", indicator.direction),
                                ("description", indicator.description),
                                ("target", target.value if target else None),
                                ("min_cases", target.min_cases if target else None)):
                self.initial.setdefault(name, value)


class CompactReviewForm(ScopedModelForm):
    class Meta:
        model = CompactReview
        fields = ["compact", "kind", "reviewed_on", "self_evaluation", "challenges",
                  "broader_interests"]
        widgets = {"reviewed_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compact"].queryset = _in_scope(
            Compact.objects.filter(status="endorsed").select_related("office", "manager"),
            self.user, Perm.COMPACT_DRAFT)
        if self.instance.pk:
            self.fields["compact"].disabled = True


class _FigureForm(ScopedModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = _in_scope(Office.objects.all(), self.user,
                                                   Perm.COMPACT_DATA)


class StaffFigureForm(_FigureForm):
    class Meta:
        model = StaffFigure
        fields = ["office", "year", "kind", "level", "gender", "nationality", "count"]


class ComplianceFigureForm(_FigureForm):
    class Meta:
        model = ComplianceFigure
        fields = ["office", "year", "kind", "required", "completed"]


class SpendingFigureForm(_FigureForm):
    class Meta:
        model = SpendingFigure
        fields = ["office", "year", "month", "planned", "actual"]


class DocumentSubmissionForm(_FigureForm):
    class Meta:
        model = DocumentSubmission
        fields = ["office", "reference", "slot_date", "submitted_on"]
        widgets = {"slot_date": forms.DateInput(), "submitted_on": forms.DateInput()}


class AppealResponseForm(_FigureForm):
    class Meta:
        model = AppealResponse
        fields = ["office", "reference", "received_on", "answered_on"]
        widgets = {"received_on": forms.DateInput(), "answered_on": forms.DateInput()}


class OversightRecommendationForm(ScopedModelForm):
    class Meta:
        model = OversightRecommendation
        fields = ["office", "source_body", "report", "text", "risk", "owner", "issued_on",
                  "target_date"]
        widgets = {"issued_on": forms.DateInput(), "target_date": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        perm = Perm.OVERSIGHT_MANAGE
        self.fields["office"].queryset = _in_scope(Office.objects.all(), self.user, perm)
        self.fields["owner"].queryset = access.scope_queryset(
            User.objects.filter(is_active=True), self.user)
        if self.instance.pk:
            self.fields["office"].disabled = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why it goes back to the manager"),
                             widget=forms.Textarea)


class ImplementForm(forms.Form):
    implemented_on = forms.DateField(label=_("Implemented on"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea,
                               help_text=_("What shows it is implemented: a document, a "
                                           "decision, a link."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Why"), widget=forms.Textarea)


class ImportForm(forms.Form):
    upload = forms.FileField(label=_("File (CSV or XLSX)"))
    commit = forms.BooleanField(label=_("Save the rows"), required=False,
                                help_text=_("Leave unticked to see a preview first."))
