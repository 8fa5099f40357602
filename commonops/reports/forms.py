"""Forms of the Performance pages. They validate input; the actions change state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.core.forms import ScopedModelForm
from commonops.reports.models import AdminBudget, FileFormat, Frequency, Subscription


class AdminBudgetForm(ScopedModelForm):
    """H2: one agency's administrative budget in a country for a year."""

    class Meta:
        model = AdminBudget
        fields = ["country", "agency", "year", "amount", "source"]
        error_messages = {"amount": {"required": _("Give the agency's administrative budget "
                                                   "for the year.")}}


class SubscriptionForm(forms.ModelForm):
    """A report's kind and subject come from the report page; the person chooses how often
    and in which format."""

    class Meta:
        model = Subscription
        fields = ["kind", "country", "region", "agency", "frequency", "file_format"]
        widgets = {"kind": forms.HiddenInput(), "country": forms.HiddenInput(),
                   "region": forms.HiddenInput(), "agency": forms.HiddenInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["frequency"].choices = Frequency.choices
        self.fields["file_format"].choices = FileFormat.choices


class ImportForm(forms.Form):
    upload = forms.FileField(label=_("CSV or XLSX file"),
                             help_text=_("Columns: Country (ISO code), Agency, Year, "
                                         "Administrative budget; optionally Source."))
