"""Forms of the governance pages. They validate input; governance/actions.py changes state.

Choices of people and agencies are narrowed to the OMT's country, so a select never lists
the whole staff of the system, and a form rendered many times on one page (one per minutes
item) shares choices computed once (`share_choices`) instead of querying once per form.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonops.core import access
from commonops.core.forms import ScopedModelForm
from commonops.core.models import Agency, AgencyPresence, Country, User
from commonops.core.roles import Perm
from commonops.governance.models import (
    AgendaItem,
    AttendanceCapacity,
    AttendanceStatus,
    ChairTerm,
    MeetingKind,
    Membership,
    MinutesComment,
    Omt,
    TaskForce,
    UnctDecision,
    UnctDecisionKind,
)


def people_in(country):
    """Active people who work in `country`: by duty station or by a role held there."""
    return (User.objects.filter(is_active=True)
            .filter(Q(duty_country=country) | Q(role_assignments__country=country))
            .distinct().select_related("agency").order_by("last_name", "first_name"))


def agencies_in(country):
    return Agency.objects.filter(
        pk__in=AgencyPresence.objects.filter(country=country).values("agency_id"))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person} ({person.agency})" if person.agency_id else str(person)


def share_choices(forms_, name: str, choices: list) -> None:
    """Give every form the same, already evaluated choices for field `name`."""
    for form in forms_:
        if name in form.fields:
            form.fields[name].choices = choices


def evaluated_choices(field) -> list:
    # Iterating (not list()) skips the COUNT query that len() of the choices would run.
    return [choice for choice in field.choices]


def _date_inputs(form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.DateInput):
            field.widget.input_type = "date"
        if isinstance(field.widget, forms.TimeInput):
            field.widget.input_type = "time"


# --- the OMT ---------------------------------------------------------------------------------


class OmtForm(forms.ModelForm):
    """The OMT's settings (G6 comment period, G12 secretariat and secretary)."""

    class Meta:
        model = Omt
        fields = ["name", "secretariat", "secretary", "me_focal_point", "comment_period_days",
                  "default_location"]
        field_classes = {"secretary": PersonChoiceField, "me_focal_point": PersonChoiceField}

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("secretary", "me_focal_point"):
            self.fields[name].queryset = people_in(country)

    def clean_comment_period_days(self):
        days = self.cleaned_data["comment_period_days"]
        if days is not None and days < 1:
            raise forms.ValidationError(_("The comment period lasts at least one working "
                                          "day."))
        return days


class _OmtScopedForm(ScopedModelForm):
    """A model form with an `omt` field offering the OMTs the user may run; people and
    agencies are narrowed to the chosen OMT's country when it is known."""

    person_fields: tuple[str, ...] = ()
    agency_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = access.scope_for(self.user, Perm.GOVERN)
        omts = Omt.objects.select_related("country")
        if not scope.everywhere:
            omts = omts.filter(country_id__in=scope.country_ids)
        self.fields["omt"].queryset = omts
        omt = self._chosen_omt(omts)
        if self.instance.pk:
            self.fields["omt"].disabled = True
        for name in self.person_fields:
            if name in self.fields:
                self.fields[name] = PersonChoiceField(
                    queryset=people_in(omt.country_id) if omt else access.scope_queryset(
                        User.objects.filter(is_active=True), self.user).select_related("agency"),
                    required=self.fields[name].required, label=self.fields[name].label,
                    help_text=self.fields[name].help_text)
        for name in self.agency_fields:
            if name in self.fields and omt is not None:
                self.fields[name].queryset = agencies_in(omt.country_id)

    def _chosen_omt(self, omts):
        if getattr(self.instance, "omt_id", None):
            return self.instance.omt
        value = self.data.get("omt") if self.is_bound else self.initial.get("omt")
        if not value:
            return None
        try:
            return omts.filter(pk=int(getattr(value, "pk", value))).first()
        except (TypeError, ValueError):
            return None


class MembershipForm(_OmtScopedForm):
    """G1: an agency's member and designated alternate."""

    person_fields = ("member", "alternate")
    agency_fields = ("agency",)

    class Meta:
        model = Membership
        fields = ["omt", "agency", "member", "alternate", "since"]
        widgets = {"since": forms.DateInput()}
        help_texts = {"alternate": _("Each member has a designated alternate (G1).")}


class ChairTermForm(_OmtScopedForm):
    """G2: a term of the chair or co-chair, as decided by the UNCT."""

    person_fields = ("person",)
    agency_fields = ("agency",)
    ends_on = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(),
                              help_text=_("Empty: to the end of the calendar year (G2)."))

    class Meta:
        model = ChairTerm
        fields = ["omt", "role", "agency", "person", "starts_on", "ends_on", "decision"]
        widgets = {"starts_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_inputs(self)
        decisions = UnctDecision.objects.visible_to(self.user)
        omt = self._chosen_omt(self.fields["omt"].queryset)
        if omt is not None:
            decisions = decisions.filter(country_id=omt.country_id)
        self.fields["decision"].queryset = decisions


class TaskForceForm(_OmtScopedForm):
    """G10: a task force with its coordinating agency, chair, mandate and end date."""

    person_fields = ("chair",)
    agency_fields = ("coordinating_agency",)

    class Meta:
        model = TaskForce
        fields = ["omt", "name", "service_line", "coordinating_agency", "chair", "mandate",
                  "starts_on", "ends_on"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput()}


class TaskForceMemberForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    expertise = forms.CharField(label=_("Expertise"), max_length=200, required=False)

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_in(country)


class UnctDecisionForm(ScopedModelForm):
    """G2, G11: a decision of the UNCT."""

    class Meta:
        model = UnctDecision
        fields = ["country", "kind", "decided_on", "subject", "text"]
        widgets = {"decided_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Recording the UNCT's decisions needs UNCT_DECIDE, not the OMT's own right.
        scope = access.scope_for(self.user, Perm.UNCT_DECIDE)
        if not scope.everywhere:
            self.fields["country"].queryset = Country.objects.filter(pk__in=scope.country_ids)
        self.fields["kind"].choices = [(v, label) for v, label in self.fields["kind"].choices
                                       if v != UnctDecisionKind.ESCALATION or self.instance.pk]


# --- meetings and agendas ------------------------------------------------------------------


class MeetingForm(forms.Form):
    """A meeting's day and times, in the country's time zone (the form builds aware
    datetimes `starts_at` and `ends_at`)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices,
                             initial=MeetingKind.REGULAR)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(format="%H:%M"))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(format="%H:%M"))
    location = forms.CharField(label=_("Place"), max_length=200, required=False,
                               help_text=_("Empty: the OMT's usual meeting place."))

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(country.time_zone)
        self.fields["day"].help_text = _("Times are in %(zone)s.") % {
            "zone": country.time_zone}
        _date_inputs(self)

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("The meeting must end after it starts."))
            else:
                cleaned["starts_at"] = datetime.combine(day, starts, tzinfo=self.zone)
                cleaned["ends_at"] = datetime.combine(day, ends, tzinfo=self.zone)
        return cleaned

    @classmethod
    def initial_for(cls, meeting) -> dict:
        starts = meeting.starts_at.astimezone(ZoneInfo(meeting.country.time_zone))
        ends = meeting.ends_at.astimezone(ZoneInfo(meeting.country.time_zone))
        return {"title": meeting.title, "kind": meeting.kind, "day": starts.date(),
                "starts": starts.time(), "ends": ends.time(), "location": meeting.location}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "notes"]
        field_classes = {"presenter": PersonChoiceField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = people_in(country)


class AgendaPaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))


class AttendanceForm(forms.Form):
    """G5: members and alternates attend for their agency; anyone else is a guest."""

    capacity = forms.ChoiceField(label=_("As"), choices=AttendanceCapacity.choices)
    status = forms.ChoiceField(label=_("Status"), choices=AttendanceStatus.choices,
                               initial=AttendanceStatus.PRESENT)
    person = PersonChoiceField(label=_("Member or alternate"), queryset=User.objects.none(),
                               required=False)
    guest_name = forms.CharField(label=_("Guest"), max_length=150, required=False,
                                 help_text=_("For a guest: name and organisation."))

    def __init__(self, *args, omt, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        seats = Membership.objects.filter(omt=omt)
        people = User.objects.filter(
            Q(pk__in=seats.values("member_id")) | Q(pk__in=seats.values("alternate_id"))
        ).select_related("agency").order_by("last_name", "first_name")
        if meeting is not None:  # nobody twice: those already recorded are not offered
            people = people.exclude(pk__in=meeting.attendance.exclude(person=None)
                                    .values("person_id"))
        self.fields["person"].queryset = people

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if capacity == AttendanceCapacity.GUEST:
            if not cleaned.get("guest_name", "").strip() and cleaned.get("person") is None:
                self.add_error("guest_name", _("Name the guest."))
        elif capacity and cleaned.get("person") is None:
            self.add_error("person", _("Choose the member or alternate who attends."))
        return cleaned


class AttendanceListForm(forms.Form):
    """G5: the whole attendance list at once: for each member and alternate not recorded
    yet, present, apologies or nothing."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = set(meeting.attendance.exclude(person=None).values_list("person_id",
                                                                           flat=True))
        self.seats = []
        choices = [("", _("Not recorded")), *AttendanceStatus.choices]
        for seat in (Membership.objects.filter(omt=meeting.omt)
                     .select_related("agency", "member", "alternate")
                     .order_by("agency__acronym")):
            for capacity, person in ((AttendanceCapacity.MEMBER, seat.member),
                                     (AttendanceCapacity.ALTERNATE, seat.alternate)):
                if person is None or person.pk in recorded:
                    continue
                name = f"{capacity}-{person.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{person} ({seat.agency.acronym}, "
                          f"{AttendanceCapacity(capacity).label.lower()})",
                    choices=choices, required=False)
                self.seats.append((name, capacity, person))

    def statuses(self) -> list[tuple[str, User, str]]:
        """(capacity, person, status) for each one given a status."""
        return [(capacity, person, self.cleaned_data[name])
                for name, capacity, person in self.seats if self.cleaned_data.get(name)]


# --- minutes ---------------------------------------------------------------------------------


class MinutesItemForm(forms.Form):
    """G7: discussion and decisions of one item. `revision` is the item's revision when the
    form was opened: a save from an older revision is an edit conflict."""

    discussion = forms.CharField(label=_("Discussion"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(label=_("Decisions"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionForm(forms.Form):
    """G7: an action with one responsible (a person or an agency) and a deadline. Both are
    optional here so that the action itself gives the rule's message on the right field."""

    title = forms.CharField(label=_("Action"), max_length=300)
    owner_person = PersonChoiceField(label=_("Responsible person"), required=False,
                                     queryset=User.objects.none())
    owner_agency = forms.ModelChoiceField(label=_("or responsible agency"), required=False,
                                          queryset=Agency.objects.none())
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput())

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = people_in(country)
        self.fields["owner_agency"].queryset = agencies_in(country)
        _date_inputs(self)


class StandaloneActionForm(ActionForm):
    """An action outside the minutes, e.g. of a task force."""

    task_force = forms.ModelChoiceField(label=_("Task force"), required=False,
                                        queryset=TaskForce.objects.none())

    def __init__(self, *args, omt, **kwargs):
        super().__init__(*args, country=omt.country_id, **kwargs)
        self.fields["task_force"].queryset = TaskForce.objects.filter(omt=omt)


class ActionCompleteForm(forms.Form):
    done_note = forms.CharField(label=_("How it was done"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class MinutesSummaryForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class MinutesCommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    reply_to = forms.ModelChoiceField(queryset=MinutesComment.objects.none(), required=False,
                                      widget=forms.HiddenInput)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply_to"].queryset = MinutesComment.objects.filter(item=item)


# --- escalations -----------------------------------------------------------------------------


class EscalationForm(forms.Form):
    """G11: a disagreement taken to the UNCT."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    positions = forms.CharField(label=_("The positions"), widget=forms.Textarea(
        attrs={"rows": 5}), help_text=_("Who holds which view, and why."))


class EscalationDecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput())
    text = forms.CharField(label=_("The UNCT's decision"),
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_inputs(self)


class SinceForm(forms.Form):
    since = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _date_inputs(self)
