"""Forms for the organisation pages. They validate input; the actions change state."""

from django import forms

from commonops.core import access
from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
)
from commonops.core.roles import ROLE_SCOPE, Scope


class ScopedModelForm(forms.ModelForm):
    """A model form that offers only the countries where the user may make this change."""

    country_fields = ("country",)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = access.scope_for(user, self._meta.model.manage_permission)
        for name in self.country_fields:
            if name in self.fields:
                countries = Country.objects.all()
                if not scope.everywhere:
                    countries = countries.filter(pk__in=scope.country_ids)
                self.fields[name].queryset = countries
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
            if isinstance(field.widget, forms.TimeInput):
                field.widget.input_type = "time"


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["code", "name"]


class CountryForm(ScopedModelForm):
    class Meta:
        model = Country
        fields = ["iso_code", "name", "region", "currency", "time_zone", "working_week",
                  "day_start", "day_end", "un_expenditure", "typology"]
        widgets = {"day_start": forms.TimeInput(), "day_end": forms.TimeInput()}


class PublicHolidayForm(ScopedModelForm):
    class Meta:
        model = PublicHoliday
        fields = ["country", "day", "name"]
        widgets = {"day": forms.DateInput()}


class AgencyForm(ScopedModelForm):
    class Meta:
        model = Agency
        fields = ["acronym", "name"]


class AgencyPresenceForm(ScopedModelForm):
    class Meta:
        model = AgencyPresence
        fields = ["country", "agency", "presence", "in_common_premises"]


class PersonForm(ScopedModelForm):
    """A person's details. There is no password here: nobody sets another person's
    password; the person page sends them a link to set it themselves."""

    country_fields = ("duty_country",)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "agency", "duty_country",
                  "job_title", "languages", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


class RoleAssignmentForm(ScopedModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "country", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = access.scope_queryset(
            User.objects.filter(is_active=True), self.user
        ).select_related("agency")
        if not access.scope_for(self.user, self._meta.model.manage_permission).everywhere:
            del self.fields["region"]
            self.fields["role"].choices = [
                (value, label) for value, label in self.fields["role"].choices
                if not value or ROLE_SCOPE[value] == Scope.COUNTRY
            ]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and ROLE_SCOPE[role] != Scope.COUNTRY:
            cleaned["country"] = None
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "job_title", "languages"]
