"""Forms of the survey pages. They validate input; surveys/actions.py changes state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency
from commonops.surveys.models import Question, QuestionKind, Survey

SCORES = [("5", _("5 — very satisfied")), ("4", _("4 — satisfied")),
          ("3", _("3 — neither satisfied nor dissatisfied")), ("2", _("2 — dissatisfied")),
          ("1", _("1 — very dissatisfied")), ("", _("I do not use it / no opinion"))]


class SurveyForm(ScopedModelForm):
    class Meta:
        model = Survey
        fields = ["country", "title", "year", "opens_on", "closes_on", "intro"]
        widgets = {"opens_on": forms.DateInput(), "closes_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_on", "closes_on"):
            self.fields[name].widget.input_type = "date"
        if self.instance.pk:
            self.fields["country"].disabled = True


def _common_services():
    from commonops.commonservices.models import CommonService

    return CommonService.objects.all()


class QuestionForm(ScopedModelForm):
    country_fields = ()

    class Meta:
        model = Question
        fields = ["survey", "position", "service", "kind", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(self.user, Question.manage_permission)
        surveys = Survey.objects.filter(status="draft").select_related("country")
        services = _common_services()
        if not scope.everywhere:
            surveys = surveys.filter(country_id__in=scope.country_ids)
            services = services.filter(country_id__in=scope.country_ids)
        self.fields["survey"].queryset = surveys
        self.fields["service"].queryset = services
        self.fields["position"].required = False
        if self.instance.pk:
            self.fields["survey"].disabled = True


class OpenForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Services to rate"), required=False, queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each chosen service gets a 1–5 question; a comments question is added."))

    def __init__(self, *args, country_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = _common_services().filter(
            country_id=country_id, status="active")


class AddressesField(forms.CharField):
    """E-mail addresses typed one per line (pages) or given as a list (API)."""

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(item) for item in value)
        return super().to_python(value)


class InviteForm(forms.Form):
    include_client_staff = forms.BooleanField(
        label=_("Invite the staff of the surveyed services' client agencies"), required=False,
        initial=True)
    extra_emails = AddressesField(
        label=_("More e-mail addresses"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, or separated by commas."))
    extra_agency = forms.ModelChoiceField(
        label=_("Their agency"), required=False, queryset=Agency.objects.none(),
        help_text=_("Used for the breakdown by agency; leave empty if mixed."))

    def __init__(self, *args, country_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_agency"].queryset = Agency.objects.filter(
            presences__country_id=country_id).order_by("acronym")

    def clean_extra_emails(self):
        raw = self.cleaned_data["extra_emails"].replace(",", "\n").replace(";", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]


class AnswerForm(forms.Form):
    """One field per question: a 1–5 rating (which may be left out) or a comment."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.LIKERT:
                self.fields[name] = forms.ChoiceField(
                    label=question.text, choices=SCORES, required=False,
                    widget=forms.RadioSelect)
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}))

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
