"""Forms of the service desk. They validate input; the actions change state."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.core.forms import ScopedModelForm
from commonops.core.models import User
from commonops.servicedesk import rules
from commonops.servicedesk.models import (
    Agent,
    Category,
    Priority,
    SlaPolicy,
    Status,
    Team,
    Ticket,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (attachments, T1); limits are checked by the action."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class TeamForm(ScopedModelForm):
    class Meta:
        model = Team
        fields = ["country", "name", "lead", "email"]


class AgentForm(ScopedModelForm):
    class Meta:
        model = Agent
        fields = ["country", "team", "user", "available"]


class CategoryForm(ScopedModelForm):
    class Meta:
        model = Category
        fields = ["country", "name", "team", "common_service"]


class SlaPolicyForm(ScopedModelForm):
    class Meta:
        model = SlaPolicy
        fields = ["country", "priority", "first_response_hours", "resolution_hours"]


class TicketForm(forms.Form):
    """T1: the short form any staff member uses to raise a ticket."""

    category = forms.ModelChoiceField(label=_("What is it about?"),
                                      queryset=Category.objects.none())
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.P3)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}),
                                  required=False)
    cc = forms.ModelMultipleChoiceField(label=_("Copy to"), queryset=User.objects.none(),
                                        required=False)
    files = MultipleFileField(label=_("Attachments"),
                              help_text=_("PDF, images, text or office documents, up to 5 MB "
                                          "each."))

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(country=country)
        self.fields["cc"].queryset = User.objects.filter(duty_country=country, is_active=True)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Internal note (the requester does not see it)"),
                                  required=False)
    files = MultipleFileField(
        label=_("Attachments"),
        help_text=_("PDF, images, text or office documents, up to 5 MB each."))

    def __init__(self, *args, agent=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not agent:  # only agents write internal notes
            del self.fields["internal"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current=None, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None:  # T1: offer the moves allowed from where the ticket is (the
            # action refuses any other with its reason)
            self.fields["status"].widget.choices = [
                (status, Status(status).label) for status in rules.next_statuses(current)]
        self.fields["version"].initial = version


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            desk_agents__country=country).distinct().order_by("last_name", "first_name")


class TicketUpdateForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(country=country)


class MergeForm(forms.Form):
    """T1: the ticket a duplicate is merged into, by its number (pages)."""

    into = forms.CharField(label=_("Duplicate of (ticket number)"), max_length=20)

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country

    def clean_into(self):
        number = self.cleaned_data["into"].strip().upper()
        into = Ticket.objects.filter(number=number, country=self.country).first()
        if into is None:
            raise forms.ValidationError(_("There is no ticket %(number)s at this desk.")
                                        % {"number": number})
        return into


class MergeByIdForm(forms.Form):
    """T1: the same, by the ticket's id (API)."""

    into = forms.ModelChoiceField(queryset=Ticket.objects.none())

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Ticket.objects.filter(country=country)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int,
                                   choices=[(n, str(n)) for n in range(5, 0, -1)],
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class MailAcceptForm(forms.Form):
    requester = forms.ModelChoiceField(label=_("Requester"), queryset=User.objects.none())
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = User.objects.filter(duty_country=country,
                                                                agency__isnull=False)
        self.fields["category"].queryset = Category.objects.filter(country=country)
