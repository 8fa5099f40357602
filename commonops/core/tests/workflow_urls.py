"""A small workflow over country teams, for the tests of `core.workflow`: the site's URLs
plus its steps under /wf/."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import include, path

from commonops.core import access
from commonops.core.models import Country
from commonops.core.roles import Perm
from commonops.core.saving import validated_save
from commonops.core.workflow import WORKFLOWS, Step, Workflow


def country_close_day(*, country: Country, by) -> Country:
    """Move the end of business hours to 16:00; refused for a country already closing then."""
    access.require(by, Perm.CHANGE_COUNTRY, country, "Not yours.")
    if country.day_end.hour == 16:
        raise ValidationError("The day already ends at 16:00.")
    return validated_save(country, {"day_end": country.day_end.replace(hour=16)})


def country_rename(*, country: Country, by, name: str) -> Country:
    access.require(by, Perm.CHANGE_COUNTRY, country)
    if name.lower() == "nowhere":
        raise ValidationError({"name": "That is not a country's name."})
    return validated_save(country, {"name": name})


def ends_after_four(day_end) -> bool:
    """The rule: the step shows while the day ends after 16:00."""
    return day_end.hour > 16


class RenameForm(forms.Form):
    name = forms.CharField(max_length=100)


def declare() -> Workflow:
    flow = Workflow(
        model=Country, namespace="wftest", name="country", segment="countries",
        object_arg="country", facts=lambda country: country.day_end,
        steps=[
            Step("close-day", "Close at four", action=country_close_day,
                 perm=Perm.CHANGE_COUNTRY, when=ends_after_four, done="Closing at four."),
            Step("rename", "Rename", action=country_rename, perm=Perm.CHANGE_COUNTRY,
                 form=RenameForm, done=lambda country: f"Now {country.name}."),
        ])
    return flow


COUNTRY_WORKFLOW = declare()
WORKFLOWS.pop(Country)  # declared for these tests only: the tests register it themselves

urlpatterns = [
    path("wf/", include((COUNTRY_WORKFLOW.urls(), "wftest"))),
    path("", include("commonops.urls")),
]
