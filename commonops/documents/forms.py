"""Forms of documents and knowledge. They validate input; the actions change state and
check the file itself (documents.files)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Country, Region, ServiceLine
from commonops.core.roles import Role
from commonops.documents import rules
from commonops.documents.models import (
    Area,
    Classification,
    Document,
    Expert,
    FileClassification,
    KnowledgeItem,
    Template,
)

ROLE_CHOICES = [(value, label) for value, label in Role.choices]


class _ClassificationFields(forms.Form):
    allowed_roles = forms.MultipleChoiceField(
        label=_("Roles allowed"), choices=ROLE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a confidential document: the roles that may read it."))


class DocumentForm(ScopedModelForm):
    """D1–D2: a document's description and classification; on upload, its first file."""

    allowed_roles = _ClassificationFields.base_fields["allowed_roles"]
    file = forms.FileField(label=_("File"), required=True)
    note = forms.CharField(label=_("About this version"), required=False, max_length=300)

    class Meta:
        model = Document
        fields = ["country", "title", "area", "classification", "allowed_roles",
                  "allowed_agencies", "dated", "description", "tags", "service_line",
                  "meeting", "minutes", "task_force", "bos", "agreement", "contract", "ticket"]
        widgets = {"dated": forms.DateInput(), "description": forms.Textarea(attrs={"rows": 3}),
                   "allowed_agencies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dated"].required = False
        self.fields["dated"].help_text = _("Today when left empty.")
        if self.instance.pk:
            del self.fields["file"]
            del self.fields["note"]
            self.initial["allowed_roles"] = sorted(self.instance.role_set)
        else:
            self.order_fields(["country", "title", "file", "note"])
        for name in Document.LINKS:
            field = self.fields[name]
            field.queryset = access.scope_queryset(field.queryset, self.user)
        if "ticket" in self.fields:
            from commonops.servicedesk.queries import tickets_visible_to

            self.fields["ticket"].queryset = tickets_visible_to(self.user)

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        for name in Document.LINKS:
            linked = cleaned.get(name)
            if linked is not None and country is not None and linked.country_id != country.pk:
                self.add_error(name, _("Choose one of this country's."))
        return cleaned


class VersionForm(forms.Form):
    """D3: a new version of a document."""

    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)


class RequestForm(forms.Form):
    """D2: ask for a document by the reference quoted to you."""

    reference = forms.CharField(label=_("Reference of the document"), max_length=20,
                                help_text=_("As quoted to you, such as DOC-12."))
    reason = forms.CharField(label=_("Why your agency needs it"), widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_reference(self):
        text = self.cleaned_data["reference"].strip().upper().removeprefix("DOC-")
        document = None
        if text.isdigit():
            document = access.scope_queryset(Document.objects.select_related("country"),
                                             self.user).filter(pk=int(text)).first()
        if document is None:
            raise forms.ValidationError(_("No document of your countries has this "
                                          "reference."))
        self.cleaned_data["document"] = document
        return self.cleaned_data["reference"]


class DecisionForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the requester"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RefusalForm(forms.Form):
    answer = forms.CharField(label=_("Why it is refused"), widget=forms.Textarea(
        attrs={"rows": 2}))


class StoredFileClassificationForm(forms.ModelForm):
    """D1 for a file another area stores."""

    allowed_roles = _ClassificationFields.base_fields["allowed_roles"]

    class Meta:
        model = FileClassification
        fields = ["classification", "allowed_roles", "allowed_agencies"]
        widgets = {"allowed_agencies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["allowed_roles"] = sorted(self.instance.role_set)


class SearchForm(forms.Form):
    """Full-text search with its filters (country, folder, service line, year)."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none(),
                                     required=False)
    area = forms.ChoiceField(label=_("Folder"), choices=[("", "—"), *Area.choices],
                             required=False)
    service_line = forms.ChoiceField(label=_("Service line"),
                                     choices=[("", "—"), *ServiceLine.choices],
                                     required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990,
                              max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = access.visible_countries(user)


class KnowledgeItemForm(ScopedModelForm):
    country_fields = ()

    class Meta:
        model = KnowledgeItem
        fields = ["title", "country", "service_line", "year", "summary", "results",
                  "cost_avoidance", "bos", "lessons", "contacts", "tags", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bos"].queryset = access.scope_queryset(self.fields["bos"].queryset,
                                                            self.user)
        from commonops.documents.queries import documents_for

        self.fields["attachments"].queryset = documents_for(self.user).filter(
            classification=rules.PUBLIC)
        self.fields["attachments"].help_text = _("Public documents of a repository.")


class ExpertForm(ScopedModelForm):
    country_fields = ()
    service_lines = forms.MultipleChoiceField(label=_("Service lines"),
                                              choices=ServiceLine.choices,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Expert
        fields = ["name", "agency", "email", "region", "skills", "service_lines", "languages",
                  "availability", "past_assignments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["service_lines"] = [
                c for c in self.instance.service_lines.split(",") if c]

    def clean_service_lines(self):
        return ",".join(self.cleaned_data["service_lines"])


class ExpertSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    service_line = forms.ChoiceField(label=_("Service line"),
                                     choices=[("", "—"), *ServiceLine.choices],
                                     required=False)
    language = forms.CharField(label=_("Language"), required=False, max_length=2,
                               help_text=_("Such as fr."))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(),
                                    required=False)
    available_only = forms.BooleanField(label=_("Available only"), required=False)


class SupportRequestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What support is needed"),
                                  widget=forms.Textarea(attrs={"rows": 4}))


class TemplateForm(ScopedModelForm):
    country_fields = ()
    file = forms.FileField(label=_("File"), required=False)
    note = forms.CharField(label=_("About this version"), required=False, max_length=300)

    class Meta:
        model = Template
        fields = ["title", "kind", "area", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["file"]
            del self.fields["note"]


class UseTemplateForm(forms.Form):
    """K3: "use this template" in a country's repository."""

    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.none())
    title = forms.CharField(label=_("Title of the new document"), max_length=200)
    classification_level = forms.ChoiceField(label=_("Classification"),
                                             choices=[(c, label) for c, label in
                                                      Classification.choices
                                                      if c != rules.CONFIDENTIAL],
                                             initial=rules.INTERNAL)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from commonops.core.roles import Perm

        scope = access.scope_for(user, Perm.UPLOAD_DOCUMENTS)
        countries = Country.objects.all()
        if not scope.everywhere:
            countries = countries.filter(pk__in=scope.country_ids)
        self.fields["country"].queryset = countries

