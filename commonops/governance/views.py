"""Pages of OMT governance (G1–G12).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call exactly one function
of governance/actions.py. An action's ValidationError is shown on the form with status 400
(nothing changed); an edit conflict on minutes answers 409 with both texts.

Membership, chair terms, task forces and UNCT decisions use the generic `ObjectPages`;
meetings, minutes, actions and escalations are workflows with their own views.
"""

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commonops.core import access, audit
from commonops.core.filters import filter_status
from commonops.core.generic import (
    PAGE_SIZE,
    DetailView,
    EditView,
    ListView,
    ObjectPages,
    add_validation_errors,
    is_htmx,
)
from commonops.core.roles import Perm
from commonops.governance import actions, filters, forms, notifications, queries, rules
from commonops.governance.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPaper,
    Attendance,
    ChairTerm,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesStatus,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)

L = gettext_lazy  # for class attributes; gettext (_) for messages at request time

ACTION_STATE_LABELS = dict(filters.ACTION_STATES)
ACTION_STATE_LEVELS = {"overdue": "danger", "due_soon": "warning", "done": "ok", "open": "info"}


# --- helpers ---------------------------------------------------------------------------------


def _require(request, perm: str, country_id) -> None:
    if not access.can(request.user, perm, country_id):
        raise PermissionDenied(_("Your roles do not allow this."))


def _local_today(country):
    return timezone.localtime(timezone.now(), ZoneInfo(country.time_zone)).date()


def _meeting_day(meeting):
    return timezone.localtime(meeting.starts_at, ZoneInfo(meeting.country.time_zone)).date()


def _visible_omt(request, pk):
    return access.get_visible_or_404(
        Omt.objects.select_related("country", "secretary", "me_focal_point"), request.user,
        pk=pk)


def _form_page(request, *, title, form, back, status=200, intro=""):
    """A page with one form (for the workflow views' own forms)."""
    return render(request, "governance/form.html", {
        "title": title, "form": form, "back": back, "intro": intro}, status=status)


def _bad_input(form, error: ValidationError):
    add_validation_errors(form, error)
    return form


# --- generic pages ---------------------------------------------------------------------------


class _GovernancePages(ObjectPages):
    namespace = "governance"
    object_arg = "instance"

    @classmethod
    def initial(cls, request):
        initial = super().initial(request)
        country = getattr(request, "country", None)
        if "omt" in (cls.form._meta.fields or []) and "omt" not in initial and country:
            omt = queries.omt_of(country)
            if omt is not None:
                initial["omt"] = omt.pk
        return initial


class MembershipPages(_GovernancePages):
    """G1: the member agencies, each with its member and designated alternate."""

    model = Membership
    name = "membership"
    segment = "memberships"
    filterset = filters.MembershipFilterSet
    form = forms.MembershipForm
    select_related = ("omt", "country", "agency", "member", "alternate")
    columns = [("agency", L("Agency")), ("member", L("Member")),
               ("alternate", L("Alternate")), ("since", L("Member since")),
               ("country", L("Country"))]
    detail_fields = ["omt", "agency", "member", "alternate", "since"]
    detail_template = "governance/membership_detail.html"

    @staticmethod
    def create_action(*, by, data):
        omt = data.pop("omt")
        return actions.membership_save(omt=omt, by=by, data=data)

    @staticmethod
    def update_action(*, instance, by, data):
        data.pop("omt", None)
        return actions.membership_save(omt=instance.omt, by=by, data=data,
                                       membership=instance)

    @staticmethod
    def delete_action(*, instance, by):
        return actions.membership_end(membership=instance, by=by)


class ChairTermPages(_GovernancePages):
    """G2: chair and co-chair terms. No delete: the terms are the history of who chaired."""

    model = ChairTerm
    name = "chairterm"
    segment = "chair-terms"
    filterset = filters.ChairTermFilterSet
    form = forms.ChairTermForm
    select_related = ("omt", "country", "agency", "person", "decision")
    columns = [("__str__", L("Term")), ("role", L("Role")), ("agency", L("Agency")),
               ("person", L("Person")), ("starts_on", L("From")), ("ends_on", L("To")),
               ("country", L("Country"))]
    detail_fields = ["omt", "role", "agency", "person", "starts_on", "ends_on", "decision"]
    detail_template = "governance/chairterm_detail.html"

    @staticmethod
    def create_action(*, by, data):
        return actions.chair_term_record(by=by, **data)

    @staticmethod
    def update_action(*, instance, by, data):
        data["omt"] = instance.omt
        return actions.chair_term_record(by=by, term=instance, **data)

    @classmethod
    def urls(cls):
        return [url for url in super().urls() if not url.name.endswith("_delete")]


class TaskForcePages(_GovernancePages):
    """G10: task forces with their coordinating agency, members, mandate and actions."""

    model = TaskForce
    name = "taskforce"
    segment = "task-forces"
    filterset = filters.TaskForceFilterSet
    form = forms.TaskForceForm
    select_related = ("omt", "country", "coordinating_agency", "chair")
    columns = [("name", L("Name")), ("service_line", L("Service line")),
               ("coordinating_agency", L("Coordinating agency")), ("chair", L("Chair")),
               ("ends_on", L("Until")), ("country", L("Country"))]
    detail_fields = ["omt", "name", "service_line", "coordinating_agency", "chair", "mandate",
                     "starts_on", "ends_on"]
    detail_template = "governance/taskforce_detail.html"

    @staticmethod
    def create_action(*, by, data):
        omt = data.pop("omt")
        return actions.task_force_save(omt=omt, by=by, data=data)

    @staticmethod
    def update_action(*, instance, by, data):
        data.pop("omt", None)
        return actions.task_force_save(omt=instance.omt, by=by, data=data,
                                       task_force=instance)

    # No delete: a task force ends on its end date and stays as the record of its work
    # (governance/actions.py has no action to delete one, and the API offers none).

    @classmethod
    def urls(cls):
        return [url for url in super().urls() if not url.name.endswith("_delete")]

    @classmethod
    def detail_context(cls, request, obj):
        can_govern = access.can(request.user, Perm.GOVERN, obj.country_id)
        today = _local_today(obj.country)
        return {
            "members": obj.members.select_related("person", "person__agency"),
            "task_force_actions": [
                _with_label(a) for a in queries.with_state(
                    obj.actions.select_related("owner_person", "owner_agency"), today=today)],
            "member_form": forms.TaskForceMemberForm(country=obj.country_id)
            if can_govern else None,
            "can_govern": can_govern,
        }


class _UnctDecisionAddView(EditView):
    """Recording the UNCT's decisions needs UNCT_DECIDE (not the OMT's own right)."""

    def get_instance(self, request, pk):
        _require(request, Perm.UNCT_DECIDE, getattr(request.country, "pk", None))
        return None


class UnctDecisionPages(_GovernancePages):
    """G2, G11: the UNCT's decisions on OMT matters. Recorded, then kept as they were: there
    is no governance action to change or delete one (the API offers none either)."""

    model = UnctDecision
    name = "unctdecision"
    segment = "unct-decisions"
    filterset = filters.UnctDecisionFilterSet
    form = forms.UnctDecisionForm
    select_related = ("country",)
    columns = [("subject", L("Subject")), ("kind", L("Kind")), ("decided_on", L("Decided on")),
               ("country", L("Country"))]
    detail_fields = ["country", "kind", "decided_on", "subject", "text"]
    detail_template = "governance/unctdecision_detail.html"

    @staticmethod
    def create_action(*, by, data):
        return actions.unct_decision_record(by=by, **data)

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "escalation": Escalation.objects.filter(decision=obj).first(),
            "terms": obj.terms.select_related("agency", "person"),
        }

    @classmethod
    def urls(cls):
        n, s = cls.name, cls.segment
        return [
            path(f"{s}/", ListView.as_view(pages=cls), name=f"{n}_list"),
            path(f"{s}/add/", _UnctDecisionAddView.as_view(pages=cls), name=f"{n}_add"),
            path(f"{s}/<int:pk>/", DetailView.as_view(pages=cls), name=f"{n}_detail"),
        ]


class EscalationPages(_GovernancePages):
    """G11 (list page only: raising and deciding are workflow views below)."""

    model = Escalation
    name = "escalation"
    segment = "escalations"
    filterset = filters.EscalationFilterSet
    select_related = ("country", "raised_by", "decision")
    columns = [("subject", L("Subject")), ("status", L("Status")),
               ("raised_by", L("Raised by")), ("decision", L("UNCT decision")),
               ("country", L("Country"))]


class MeetingPages(_GovernancePages):
    model = Meeting
    name = "meeting"
    segment = "meetings"
    filterset = filters.MeetingFilterSet
    select_related = ("country", "omt")


class ActionPages(_GovernancePages):
    model = Action
    name = "action"
    segment = "actions"
    filterset = filters.ActionFilterSet
    select_related = ("country", "owner_person", "owner_agency", "meeting", "task_force")
    columns = [("title", L("Action")), ("owner", L("Responsible")),
               ("due_on", L("Deadline")), ("status", L("Status")),
               ("done_on", L("Done on")), ("meeting", L("Meeting")),
               ("task_force", L("Task force")), ("country", L("Country"))]

    @classmethod
    def queryset(cls, request):
        return queries.with_state(super().queryset(request), today=timezone.localdate())


def _with_label(action):
    action.state_label = ACTION_STATE_LABELS.get(action.state, "")
    action.state_level = ACTION_STATE_LEVELS.get(action.state, "info")
    return action


def _list_page(request, pages, *, template, partial, decorate=None, extra=None):
    """A filtered, paginated list like core's ListView, with the app's own table."""
    filterset = pages.filterset(request.GET or None, queryset=pages.queryset(request),
                                request=request)
    if not filterset.is_bound:
        rows = filterset.queryset
    else:
        rows = filterset.qs if filterset.is_valid() else pages.model.objects.none()
    if request.GET.get("export") == "csv" and pages.columns:
        return ListView(pages=pages).export_csv(request, rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if decorate is not None:
        page.object_list = [decorate(obj) for obj in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    meta = pages.model._meta
    context = {
        "filterset": filterset, "page": page, "query": query.urlencode(),
        "verbose_name_plural": capfirst(meta.verbose_name_plural),
        "can_export": access.can(request.user, Perm.EXPORT) and bool(pages.columns),
        **(extra or {}),
    }
    return render(request, partial if is_htmx(request) else template, context,
                  status=filter_status(filterset))


# --- the OMT ---------------------------------------------------------------------------------


@login_required
def omt_home(request):
    """The OMT of the country the user works in; if it has none, whoever runs OMTs there
    may create it."""
    country = request.country
    omt = queries.omt_of(country) if country is not None else None
    if omt is not None:
        return HttpResponseRedirect(omt.get_absolute_url())
    can_create = country is not None and access.can(request.user, Perm.GOVERN, country)
    form, status = None, 200
    if can_create:
        form = forms.OmtForm(request.POST or None, country=country)
        if request.method == "POST" and form.is_valid():
            try:
                omt = actions.omt_create(country=country, by=request.user,
                                         data=form.cleaned_data)
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The OMT of %(country)s is created.")
                                 % {"country": country})
                return HttpResponseRedirect(omt.get_absolute_url())
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        raise PermissionDenied(_("Your roles do not allow this."))
    return render(request, "governance/omt_home.html",
                  {"country": country, "form": form, "can_create": can_create}, status=status)


@login_required
def omt_detail(request, pk):
    """What a chair sees: chairs, secretariat, members (G1), task forces, meetings (G3),
    actions, late agendas (G4) and open escalations (G11)."""
    omt = _visible_omt(request, pk)
    today = _local_today(omt.country)
    overview = queries.omt_overview(omt, today=today)
    context = {
        "omt": omt,
        "today": today,
        **overview,
        "months_without_meeting": [date(y, m, 1)
                                   for y, m in overview["months_without_meeting"]],
        "can_govern": access.can(request.user, Perm.GOVERN, omt.country_id),
        "can_comment": access.can(request.user, Perm.COMMENT_MINUTES, omt.country_id),
        "can_decide": access.can(request.user, Perm.UNCT_DECIDE, omt.country_id),
    }
    return render(request, "governance/omt_detail.html", context)


@login_required
def omt_edit(request, pk):
    omt = _visible_omt(request, pk)
    _require(request, Perm.GOVERN, omt.country_id)
    form = forms.OmtForm(request.POST or None, instance=omt, country=omt.country_id)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form._meta.fields}
            omt.refresh_from_db()  # the form applied its values; the action sees the row
            try:
                actions.omt_update(omt=omt, by=request.user, data=data)
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The OMT's settings are saved."))
                return HttpResponseRedirect(omt.get_absolute_url())
        return _form_page(request, title=_("OMT settings"), form=form,
                          back=omt.get_absolute_url(), status=400)
    return _form_page(request, title=_("OMT settings"), form=form, back=omt.get_absolute_url())


@login_required
def unct_update(request, pk):
    """The standing OMT item of the UNCT meeting, since a day (default: 30 days ago)."""
    omt = _visible_omt(request, pk)
    today = _local_today(omt.country)
    form = forms.SinceForm(request.GET or None)
    since, status = today - timedelta(days=30), 200
    if form.is_bound:
        if form.is_valid():
            since = form.cleaned_data["since"] or since
        else:
            status = 400
    update = queries.standing_update(omt, today=today, since=since)
    context = {
        "omt": omt, "form": form, "today": today, **update,
        "months_without_meeting": [date(y, m, 1)
                                   for y, m in update["months_without_meeting"]],
        "overdue": [_with_label(a) for a in update["overdue"]],
    }
    return render(request, "governance/unct_update.html", context, status=status)


# --- task-force members ----------------------------------------------------------------------


@login_required
@require_POST
def taskforce_member_add(request, pk):
    task_force = access.get_visible_or_404(
        TaskForce.objects.select_related("country"), request.user, pk=pk)
    _require(request, Perm.GOVERN, task_force.country_id)
    form = forms.TaskForceMemberForm(request.POST, country=task_force.country_id)
    if form.is_valid():
        try:
            actions.task_force_member_add(task_force=task_force, by=request.user,
                                          person=form.cleaned_data["person"],
                                          expertise=form.cleaned_data["expertise"])
        except ValidationError as error:
            _bad_input(form, error)
        else:
            messages.success(request, _("%(person)s joined the task force.")
                             % {"person": form.cleaned_data["person"]})
            return HttpResponseRedirect(task_force.get_absolute_url() + "#members")
    return _form_page(request, title=_("Add a task-force member"), form=form,
                      back=task_force.get_absolute_url(), status=400)


@login_required
@require_POST
def taskforce_member_remove(request, pk):
    member = access.get_visible_or_404(TaskForceMember.objects.select_related("task_force"),
                                       request.user, pk=pk)
    _require(request, Perm.GOVERN, member.country_id)
    actions.task_force_member_remove(member=member, by=request.user)
    messages.success(request, _("%(person)s left the task force.") % {"person": member.person})
    return HttpResponseRedirect(member.task_force.get_absolute_url() + "#members")


# --- meetings --------------------------------------------------------------------------------


def _meeting_or_404(request, pk):
    return access.get_visible_or_404(
        Meeting.objects.select_related("omt", "country"), request.user, pk=pk)


@login_required
def meeting_list(request):
    return _list_page(request, MeetingPages, template="governance/meeting_list.html",
                      partial="governance/_meeting_table.html",
                      extra={"omt": queries.omt_of(request.country) if request.country
                             else None,
                             "can_add": access.can(request.user, Perm.GOVERN,
                                                   getattr(request.country, "pk", None))})


@login_required
def meeting_add(request, pk):
    """Schedule a meeting; it starts with the standard agenda (G8)."""
    omt = _visible_omt(request, pk)
    _require(request, Perm.GOVERN, omt.country_id)
    form = forms.MeetingForm(request.POST or None, country=omt.country)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = actions.meeting_schedule(
                    omt=omt, by=request.user, title=data["title"], kind=data["kind"],
                    starts_at=data["starts_at"], ends_at=data["ends_at"],
                    location=data["location"])
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The meeting is scheduled with the standard "
                                            "agenda."))
                return HttpResponseRedirect(meeting.get_absolute_url())
        return _form_page(request, title=_("Schedule a meeting"), form=form,
                          back=omt.get_absolute_url(), status=400)
    return _form_page(request, title=_("Schedule a meeting"), form=form,
                      back=omt.get_absolute_url())


@login_required
def meeting_edit(request, pk):
    meeting = _meeting_or_404(request, pk)
    _require(request, Perm.GOVERN, meeting.country_id)
    form = forms.MeetingForm(request.POST or None, country=meeting.country,
                             initial=forms.MeetingForm.initial_for(meeting))
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name]
                    for name in ("title", "kind", "starts_at", "ends_at", "location")}
            try:
                actions.meeting_update(meeting=meeting, by=request.user, data=data)
            except ValidationError as error:
                _bad_input(form, error)
                meeting.refresh_from_db()
            else:
                messages.success(request, _("The meeting is saved."))
                return HttpResponseRedirect(meeting.get_absolute_url())
        return _form_page(request, title=_("Edit the meeting"), form=form,
                          back=meeting.get_absolute_url(), status=400)
    return _form_page(request, title=_("Edit the meeting"), form=form,
                      back=meeting.get_absolute_url())


def _agenda_context(request, meeting) -> dict:
    can_govern = access.can(request.user, Perm.GOVERN, meeting.country_id)
    return {
        "meeting": meeting,
        "can_govern": can_govern,
        "agenda_open": can_govern and meeting.status not in (MeetingStatus.HELD,
                                                             MeetingStatus.CANCELLED),
        "items": list(meeting.agenda_items.select_related("presenter")
                      .prefetch_related("papers")),
    }


def _attendance_context(request, meeting, *, form=None) -> dict:
    can_govern = access.can(request.user, Perm.GOVERN, meeting.country_id)
    return {
        "meeting": meeting,
        "can_govern": can_govern,
        "attendance": list(meeting.attendance.select_related("person", "agency")),
        "quorum": queries.quorum(meeting),  # G5
        "attendance_form": form or (forms.AttendanceForm(omt=meeting.omt, meeting=meeting,
                                                         auto_id="att-%s")
                                    if can_govern and meeting.status != MeetingStatus.CANCELLED
                                    else None),
    }


def _render_meeting(request, meeting, *, status=200, errors=(), item_form=None,
                    attendance_form=None):
    today = _local_today(meeting.country)
    day = _meeting_day(meeting)
    deadline = rules.agenda_deadline(day, meeting.country.calendar())  # G4
    can_govern = access.can(request.user, Perm.GOVERN, meeting.country_id)
    agenda = _agenda_context(request, meeting)
    context = {
        **agenda,
        **_attendance_context(request, meeting, form=attendance_form),
        "omt": meeting.omt,
        "meeting_day": day,
        "agenda_deadline": deadline,
        "deadline_passed": meeting.agenda_sent_at is None and today > deadline,
        "minutes_versions": list(meeting.minutes.order_by("version")),
        "item_form": item_form or (forms.AgendaItemForm(country=meeting.country_id,
                                                        auto_id="new-item-%s")
                                   if agenda["agenda_open"] else None),
        "errors": list(errors),
        "can_send": can_govern and meeting.agenda_sent_at is None
        and meeting.status != MeetingStatus.CANCELLED,
        "can_cancel": can_govern and actions.meeting_may_cancel(meeting),
        "today": today,
    }
    return render(request, "governance/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, pk):
    """The agenda (G4, G8) with papers, attendance and quorum (G5), and the minutes."""
    return _render_meeting(request, _meeting_or_404(request, pk))


def _meeting_step(request, pk, step, success: str):
    """A workflow button on the meeting page: one action; its refusal is shown with 400."""
    meeting = _meeting_or_404(request, pk)
    _require(request, Perm.GOVERN, meeting.country_id)
    try:
        result = step(meeting)
    except ValidationError as error:
        meeting.refresh_from_db()
        return _render_meeting(request, meeting, status=400, errors=error.messages)
    messages.success(request, success)
    target = result.get_absolute_url() if isinstance(result, Minutes) else \
        meeting.get_absolute_url()
    return HttpResponseRedirect(target)


@login_required
@require_POST
def meeting_cancel(request, pk):
    return _meeting_step(request, pk, lambda m: actions.meeting_cancel(meeting=m,
                                                                        by=request.user),
                         _("The meeting is cancelled."))


@login_required
def agenda_send(request, pk):
    """G4: send the agenda to every member and alternate (late is allowed, and shown). GET
    shows the e-mail as it will go, and to whom, with the button that sends it."""
    if request.method == "GET":
        meeting = _meeting_or_404(request, pk)
        _require(request, Perm.GOVERN, meeting.country_id)
        recipients = actions.member_recipients(meeting.omt)
        deadline = rules.agenda_deadline(_meeting_day(meeting), meeting.country.calendar())
        return render(request, "governance/agenda_preview.html", {
            "meeting": meeting, "message": notifications.agenda_message(meeting, recipients),
            "recipients": recipients, "without_email": [p for p in recipients if not p.email],
            "deadline": deadline, "late": _local_today(meeting.country) > deadline})
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    return _meeting_step(request, pk, lambda m: actions.agenda_send(meeting=m,
                                                                     by=request.user),
                         _("The agenda is sent to the members and alternates."))


@login_required
@require_POST
def minutes_start(request, pk):
    return _meeting_step(request, pk, lambda m: actions.minutes_start(meeting=m,
                                                                       by=request.user),
                         _("Draft minutes are started, one item per agenda item."))


@login_required
def meeting_ics(request, pk):
    """The meeting's iCalendar invitation."""
    meeting = _meeting_or_404(request, pk)
    ics = notifications.meeting_ics(meeting, actions.member_recipients(meeting.omt))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="omt-meeting-{meeting.pk}.ics"'
    return response


# --- the agenda ------------------------------------------------------------------------------


def _item_or_404(request, pk):
    return access.get_visible_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__omt", "meeting__country"),
        request.user, pk=pk)


@login_required
@require_POST
def agendaitem_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    _require(request, Perm.GOVERN, meeting.country_id)
    form = forms.AgendaItemForm(request.POST, country=meeting.country_id,
                                auto_id="new-item-%s")
    if form.is_valid():
        try:
            item = actions.agenda_item_save(meeting=meeting, by=request.user,
                                            data=form.cleaned_data)
        except ValidationError as error:
            _bad_input(form, error)
        else:
            messages.success(request, _("Added “%(item)s” to the agenda.") % {"item": item})
            return HttpResponseRedirect(meeting.get_absolute_url() + "#agenda")
    return _render_meeting(request, meeting, status=400, item_form=form)


@login_required
def agendaitem_edit(request, pk):
    item = _item_or_404(request, pk)
    _require(request, Perm.GOVERN, item.country_id)
    form = forms.AgendaItemForm(request.POST or None, instance=item,
                                country=item.meeting.country_id)
    back = item.meeting.get_absolute_url() + "#agenda"
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            item.refresh_from_db()
            try:
                actions.agenda_item_save(meeting=item.meeting, by=request.user, data=data,
                                         item=item)
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The agenda item is saved."))
                return HttpResponseRedirect(back)
        return _form_page(request, title=_("Edit the agenda item"), form=form, back=back,
                          status=400)
    return _form_page(request, title=_("Edit the agenda item"), form=form, back=back)


@login_required
def agendaitem_delete(request, pk):
    item = _item_or_404(request, pk)
    _require(request, Perm.GOVERN, item.country_id)
    meeting = item.meeting
    if request.method == "POST":
        try:
            actions.agenda_item_delete(item=item, by=request.user)
        except ValidationError as error:
            return _render_meeting(request, meeting, status=400, errors=error.messages)
        messages.success(request, _("Removed “%(item)s” from the agenda.") % {"item": item})
        return HttpResponseRedirect(meeting.get_absolute_url() + "#agenda")
    return render(request, "governance/confirm.html", {
        "title": _("Remove “%(item)s” from the agenda?") % {"item": item},
        "back": meeting.get_absolute_url() + "#agenda", "submit": _("Remove")})


@login_required
@require_POST
def agendaitem_move(request, pk):
    """Up or down one place; an HTMX request gets the agenda list back."""
    item = _item_or_404(request, pk)
    _require(request, Perm.GOVERN, item.country_id)
    meeting = item.meeting
    try:
        actions.agenda_item_move(item=item, by=request.user,
                                 up=request.POST.get("direction") == "up")
    except ValidationError as error:
        if is_htmx(request):
            return render(request, "governance/_agenda.html",
                          {**_agenda_context(request, meeting), "errors": error.messages},
                          status=400)
        return _render_meeting(request, meeting, status=400, errors=error.messages)
    if is_htmx(request):
        return render(request, "governance/_agenda.html", _agenda_context(request, meeting))
    return HttpResponseRedirect(meeting.get_absolute_url() + "#agenda")


@login_required
@require_POST
def paper_add(request, pk):
    item = _item_or_404(request, pk)
    _require(request, Perm.GOVERN, item.country_id)
    form = forms.AgendaPaperForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.agenda_paper_add(item=item, by=request.user,
                                     title=form.cleaned_data["title"],
                                     file=form.cleaned_data["file"])
        except ValidationError as error:
            _bad_input(form, error)
        else:
            messages.success(request, _("The paper is attached."))
            return HttpResponseRedirect(item.get_absolute_url())
    errors = [f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
              for name, field_errors in form.errors.items() for message in field_errors]
    return _render_meeting(request, item.meeting, status=400, errors=errors)


@login_required
def paper_download(request, pk):
    """A paper of an agenda item, only for those who may see the meeting."""
    from commonops.documents.classification import stored_file_response

    paper = access.get_visible_or_404(AgendaPaper.objects.all(), request.user, pk=pk)
    # D1: the paper's classification decides who reads it; confidential reads are logged
    return stored_file_response(request, paper, paper.file, paper.file.name.rsplit("/", 1)[-1])


# --- attendance (G5) -------------------------------------------------------------------------


def _attendance_response(request, meeting, *, status=200, form=None):
    if is_htmx(request):
        return render(request, "governance/_attendance.html",
                      _attendance_context(request, meeting, form=form), status=status)
    if status == 200:
        return HttpResponseRedirect(meeting.get_absolute_url() + "#attendance")
    return _render_meeting(request, meeting, status=status, attendance_form=form)


@login_required
@require_POST
def attendance_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    _require(request, Perm.GOVERN, meeting.country_id)
    form = forms.AttendanceForm(request.POST, omt=meeting.omt, meeting=meeting,
                                auto_id="att-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.attendance_record(meeting=meeting, by=request.user,
                                      capacity=data["capacity"], status=data["status"],
                                      person=data["person"], guest_name=data["guest_name"])
        except ValidationError as error:
            _bad_input(form, error)
        else:
            meeting.refresh_from_db()
            return _attendance_response(request, meeting)
    return _attendance_response(request, meeting, status=400, form=form)


@login_required
def attendance_list(request, pk):
    """G5: record the whole attendance list at once."""
    meeting = _meeting_or_404(request, pk)
    _require(request, Perm.GOVERN, meeting.country_id)
    form = forms.AttendanceListForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.statuses():
            try:
                actions.attendance_record_list(meeting=meeting, by=request.user,
                                               rows=form.statuses())
            except ValidationError as error:
                _bad_input(form, error)
            else:
                return HttpResponseRedirect(meeting.get_absolute_url() + "#attendance")
        elif form.is_valid():
            form.add_error(None, _("Give at least one person a status."))
        status = 400
    return render(request, "governance/attendance_list.html",
                  {"meeting": meeting, "form": form}, status=status)


@login_required
@require_POST
def attendance_remove(request, pk):
    attendance = access.get_visible_or_404(
        Attendance.objects.select_related("meeting", "meeting__omt", "meeting__country"),
        request.user, pk=pk)
    _require(request, Perm.GOVERN, attendance.country_id)
    meeting = attendance.meeting
    actions.attendance_remove(attendance=attendance, by=request.user)
    return _attendance_response(request, meeting)


@login_required
def meeting_quorum(request, pk):
    """The quorum box alone (G5), for a page that refreshes it."""
    meeting = _meeting_or_404(request, pk)
    return render(request, "governance/_quorum.html", {"quorum": queries.quorum(meeting)})


# --- minutes (G6, G7) ------------------------------------------------------------------------


def _minutes_or_404(request, pk):
    return access.get_visible_or_404(
        Minutes.objects.select_related("meeting", "meeting__omt", "meeting__country",
                                       "finalised_by"),
        request.user, pk=pk)


def _thread(comments) -> list[tuple]:
    """Comments in reading order, each with its depth in the reply thread."""
    children = defaultdict(list)
    for comment in comments:
        children[comment.reply_to_id].append(comment)
    ordered = []

    def walk(parent_id, depth):
        for comment in children.get(parent_id, []):
            ordered.append((comment, min(depth, 4)))
            walk(comment.pk, depth + 1)

    walk(None, 0)
    return ordered


def _changed(before: str, after: str):
    changes = rules.text_changes(before or "", after or "")
    return changes if any(kind != "same" for kind, _line in changes) else []


def _render_minutes(request, minutes, *, status=200, errors=(), overrides=None,
                    summary_form=None):
    """The minutes page. `overrides` maps an item id to bound forms (and a conflict)."""
    overrides = overrides or {}
    user = request.user
    meeting = minutes.meeting
    country = meeting.country
    can_govern = access.can(user, Perm.GOVERN, minutes.country_id)
    today = _local_today(country)
    editable = can_govern and not minutes.is_read_only
    may_comment = (access.can(user, Perm.COMMENT_MINUTES, minutes.country_id)
                   and minutes.status == MinutesStatus.CIRCULATED
                   and minutes.comments_until is not None
                   and rules.may_comment(today, minutes.comments_until))
    items = list(minutes.items.prefetch_related(
        Prefetch("comments", queryset=MinutesComment.objects.select_related("author")
                 .order_by("created_at")),
        Prefetch("actions", queryset=Action.objects.select_related("owner_person",
                                                                    "owner_agency")
                 .order_by("due_on")),
    ))
    versions = list(Minutes.objects.filter(meeting_id=meeting.pk).order_by("version"))
    corrected = next((v for v in versions if v.pk == minutes.corrects_id), None)
    correction = next((v for v in versions if v.corrects_id == minutes.pk), None)
    before = {}
    if corrected is not None:
        before = {i.position: i for i in corrected.items.all()}
    # One set of choices for every item's action form: the same query, once.
    person_choices = agency_choices = None
    if editable:
        prototype = forms.ActionForm(country=country.pk)
        person_choices = forms.evaluated_choices(prototype.fields["owner_person"])
        agency_choices = forms.evaluated_choices(prototype.fields["owner_agency"])
    rows = []
    for item in items:
        override = overrides.get(item.pk, {})
        row = {"item": item, "thread": _thread(item.comments.all()),
               "actions": list(item.actions.all()), "conflict": override.get("conflict"),
               "mine": override.get("mine")}
        if editable:
            row["edit_form"] = override.get("edit_form") or forms.MinutesItemForm(
                initial={"discussion": item.discussion, "decisions": item.decisions,
                         "revision": item.revision}, auto_id=f"item{item.pk}-%s")
            action_form = override.get("action_form") or forms.ActionForm(
                country=country.pk, auto_id=f"act{item.pk}-%s")
            forms.share_choices([action_form], "owner_person", person_choices)
            forms.share_choices([action_form], "owner_agency", agency_choices)
            row["action_form"] = action_form
        if may_comment:
            row["comment_form"] = override.get("comment_form")
        if corrected is not None:
            old = before.get(item.position)
            row["discussion_changes"] = _changed(old.discussion if old else "",
                                                 item.discussion)
            row["decisions_changes"] = _changed(old.decisions if old else "", item.decisions)
            row["is_new"] = old is None
        rows.append(row)
    day = _meeting_day(meeting)
    context = {
        "minutes": minutes, "meeting": meeting, "omt": meeting.omt, "rows": rows,
        "versions": versions, "corrected": corrected, "correction": correction,
        "quorum": queries.quorum(meeting),
        "meeting_day": day,
        "circulation_deadline": rules.minutes_circulation_deadline(day),  # G6
        "today": today,
        "can_govern": can_govern, "editable": editable, "may_comment": may_comment,
        "can_escalate": access.can(user, Perm.COMMENT_MINUTES, minutes.country_id),
        "can_circulate": can_govern and actions.minutes_may_circulate(minutes),
        "can_finalise": can_govern and actions.minutes_may_finalise(minutes),
        "can_share": can_govern and actions.minutes_may_share(minutes),
        "can_correct": can_govern and minutes.is_read_only and correction is None,
        "summary_form": summary_form or (forms.MinutesSummaryForm(
            initial={"summary": minutes.summary}, auto_id="summary-%s") if editable else None),
        "errors": list(errors),
    }
    return render(request, "governance/minutes_detail.html", context, status=status)


@login_required
def minutes_detail(request, pk):
    """Minutes by agenda item (G7): discussion, decisions, actions; the comment round and
    the workflow (G6); a correction shows what it changes."""
    return _render_minutes(request, _minutes_or_404(request, pk))


def _minutes_step(request, pk, step, success: str):
    minutes = _minutes_or_404(request, pk)
    _require(request, Perm.GOVERN, minutes.country_id)
    try:
        result = step(minutes)
    except ValidationError as error:
        return _render_minutes(request, _minutes_or_404(request, pk), status=400,
                               errors=error.messages)
    messages.success(request, success)
    return HttpResponseRedirect(result.get_absolute_url())


@login_required
@require_POST
def minutes_circulate(request, pk):
    return _minutes_step(request, pk, lambda m: actions.minutes_circulate(
        minutes=m, by=request.user), _("The minutes are circulated to the members for "
                                       "comments."))


@login_required
@require_POST
def minutes_finalise(request, pk):
    return _minutes_step(request, pk, lambda m: actions.minutes_finalise(
        minutes=m, by=request.user), _("The minutes are final; they are now read-only."))


@login_required
@require_POST
def minutes_share(request, pk):
    return _minutes_step(request, pk, lambda m: actions.minutes_share(
        minutes=m, by=request.user), _("The minutes are shared with the UNCT."))


@login_required
@require_POST
def minutes_correct(request, pk):
    return _minutes_step(request, pk, lambda m: actions.minutes_correct(
        minutes=m, by=request.user), _("A correction is started as a new version."))


@login_required
@require_POST
def minutes_summary(request, pk):
    minutes = _minutes_or_404(request, pk)
    _require(request, Perm.GOVERN, minutes.country_id)
    form = forms.MinutesSummaryForm(request.POST)
    if form.is_valid():
        try:
            actions.minutes_update(minutes=minutes, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            return _render_minutes(request, _minutes_or_404(request, pk), status=400,
                                   errors=error.messages)
        messages.success(request, _("The summary is saved."))
        return HttpResponseRedirect(minutes.get_absolute_url())
    return _render_minutes(request, minutes, status=400, summary_form=form)


@login_required
def minutes_pdf(request, pk):
    minutes = _minutes_or_404(request, pk)
    from commonops.governance.pdf import minutes_pdf as render_pdf  # written alongside

    response = HttpResponse(render_pdf(minutes), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="omt-minutes-{minutes.meeting.pk}-v{minutes.version}.pdf"')
    return response


def _minutes_item_or_404(request, pk):
    return access.get_visible_or_404(
        MinutesItem.objects.select_related("minutes", "minutes__meeting",
                                           "minutes__meeting__omt",
                                           "minutes__meeting__country"),
        request.user, pk=pk)


@login_required
@require_POST
def minutesitem_save(request, pk):
    """Save an item's discussion and decisions. The hidden `revision` is the one the form
    was opened at: if someone saved since, the answer is 409 with both texts side by side
    and the form now carries the current revision, so a second submit deliberately saves."""
    item = _minutes_item_or_404(request, pk)
    _require(request, Perm.GOVERN, item.country_id)
    form = forms.MinutesItemForm(request.POST, auto_id=f"item{item.pk}-%s")
    overrides, status = {}, 400
    if form.is_valid():
        data = {"discussion": form.cleaned_data["discussion"],
                "decisions": form.cleaned_data["decisions"]}
        try:
            actions.minutes_item_save(
                item=item, by=request.user, data=data,
                revision=form.cleaned_data["revision"])
        except actions.EditConflict as conflict:
            current = conflict.current
            resubmit = request.POST.copy()
            resubmit["revision"] = str(current.revision)
            form = forms.MinutesItemForm(resubmit, auto_id=f"item{item.pk}-%s")
            overrides = {"conflict": current, "mine": data}
            status = 409
        except ValidationError as error:
            _bad_input(form, error)
        else:
            messages.success(request, _("Item %(item)s is saved.") % {"item": item})
            return HttpResponseRedirect(item.get_absolute_url())
    overrides["edit_form"] = form
    return _render_minutes(request, _minutes_or_404(request, item.minutes_id), status=status,
                           overrides={item.pk: overrides})


@login_required
@require_POST
def minutes_action_add(request, pk):
    """G7: an action under a minutes item, with one responsible and a deadline."""
    item = _minutes_item_or_404(request, pk)
    _require(request, Perm.GOVERN, item.country_id)
    form = forms.ActionForm(request.POST, country=item.country_id, auto_id=f"act{item.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.action_create(omt=item.minutes.meeting.omt, by=request.user,
                                  title=data["title"], due_on=data["due_on"],
                                  owner_person=data["owner_person"],
                                  owner_agency=data["owner_agency"], minutes_item=item)
        except ValidationError as error:
            _bad_input(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return HttpResponseRedirect(item.get_absolute_url())
    return _render_minutes(request, _minutes_or_404(request, item.minutes_id), status=400,
                           overrides={item.pk: {"action_form": form}})


@login_required
@require_POST
def minutes_comment(request, pk):
    """G6: a member's or alternate's comment (or reply) during the comment period."""
    item = _minutes_item_or_404(request, pk)
    _require(request, Perm.COMMENT_MINUTES, item.country_id)
    form = forms.MinutesCommentForm(request.POST, item=item, auto_id=f"cmt{item.pk}-%s")
    if form.is_valid():
        try:
            actions.minutes_comment(item=item, by=request.user, text=form.cleaned_data["text"],
                                    reply_to=form.cleaned_data["reply_to"])
        except ValidationError as error:
            _bad_input(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return HttpResponseRedirect(item.get_absolute_url())
    minutes = _minutes_or_404(request, item.minutes_id)
    errors = [message for field_errors in form.errors.values() for message in field_errors]
    return _render_minutes(request, minutes, status=400, errors=errors,
                           overrides={item.pk: {"comment_form": form}})


# --- actions (G7) ----------------------------------------------------------------------------


@login_required
def action_list(request):
    """The action tracker: open, due soon, overdue, done; by owner, meeting, task force."""
    omt = queries.omt_of(request.country) if request.country is not None else None
    return _list_page(request, ActionPages, template="governance/action_list.html",
                      partial="governance/_action_table.html", decorate=_with_label,
                      extra={"omt": omt, "can_add": omt is not None and access.can(
                          request.user, Perm.GOVERN, omt.country_id)})


@login_required
def action_add(request, pk):
    """An action outside the minutes (for example a task force's)."""
    omt = _visible_omt(request, pk)
    _require(request, Perm.GOVERN, omt.country_id)
    form = forms.StandaloneActionForm(request.POST or None, omt=omt,
                                      initial={"task_force": request.GET.get("task_force")})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = actions.action_create(
                    omt=omt, by=request.user, title=data["title"], due_on=data["due_on"],
                    owner_person=data["owner_person"], owner_agency=data["owner_agency"],
                    task_force=data["task_force"])
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The action is recorded."))
                return HttpResponseRedirect(action.get_absolute_url())
        return _form_page(request, title=_("Add an action"), form=form,
                          back=reverse("governance:action_list"), status=400)
    return _form_page(request, title=_("Add an action"), form=form,
                      back=reverse("governance:action_list"))


def _render_action(request, action, *, form=None, status=200):
    may_complete = (action.status == ActionStatus.OPEN
                    and actions.action_may_complete(request.user, action))
    context = {
        "action": action,
        "form": form or (forms.ActionCompleteForm() if may_complete else None),
        "can_edit": action.status == ActionStatus.OPEN
        and access.can(request.user, Perm.GOVERN, action.country_id),
        "history": audit.history_for(action),
    }
    return render(request, "governance/action_detail.html", context, status=status)


def _action_or_404(request, pk):
    today = timezone.localdate()
    action = access.get_visible_or_404(
        queries.with_state(Action.objects.select_related(
            "omt", "country", "owner_person", "owner_agency", "meeting", "task_force",
            "minutes_item", "minutes_item__minutes"), today=today),
        request.user, pk=pk)
    return _with_label(action)


@login_required
def action_detail(request, pk):
    return _render_action(request, _action_or_404(request, pk))


@login_required
def action_edit(request, pk):
    """Change an open action's text, responsible or deadline (still G7)."""
    action = _action_or_404(request, pk)
    _require(request, Perm.GOVERN, action.country_id)
    form = forms.ActionForm(request.POST or None, country=action.country_id, initial={
        "title": action.title, "owner_person": action.owner_person_id,
        "owner_agency": action.owner_agency_id, "due_on": action.due_on})
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.action_update(action=action, by=request.user,
                                      data=dict(form.cleaned_data))
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The action is saved."))
                return HttpResponseRedirect(action.get_absolute_url())
        return _form_page(request, title=_("Edit the action"), form=form,
                          back=action.get_absolute_url(), status=400)
    return _form_page(request, title=_("Edit the action"), form=form,
                      back=action.get_absolute_url())


@login_required
@require_POST
def action_complete(request, pk):
    """Mark an action done with a note; its owner may do it (and the chair or secretary)."""
    action = _action_or_404(request, pk)
    form = forms.ActionCompleteForm(request.POST)
    if form.is_valid():
        try:
            actions.action_complete(action=action, by=request.user,
                                    note=form.cleaned_data["done_note"])
        except ValidationError as error:
            _bad_input(form, error)
            action = _action_or_404(request, pk)
        else:
            messages.success(request, _("The action is marked done."))
            return HttpResponseRedirect(action.get_absolute_url())
    return _render_action(request, action, form=form, status=400)


# --- escalations and UNCT decisions (G11) ----------------------------------------------------


@login_required
def escalation_list(request):
    omt = queries.omt_of(request.country) if request.country is not None else None
    return _list_page(request, EscalationPages, template="governance/escalation_list.html",
                      partial="governance/_escalation_table.html",
                      extra={"omt": omt, "can_raise": omt is not None and access.can(
                          request.user, Perm.COMMENT_MINUTES, omt.country_id)})


@login_required
def escalation_add(request, pk):
    """G11: any OMT member may take a disagreement to the UNCT."""
    omt = _visible_omt(request, pk)
    _require(request, Perm.COMMENT_MINUTES, omt.country_id)
    minutes_item = None
    item_id = request.POST.get("minutes_item") or request.GET.get("minutes_item")
    if item_id:
        try:
            minutes_item = access.get_visible_or_404(
                MinutesItem.objects.filter(minutes__meeting__omt=omt), request.user,
                pk=int(item_id))
        except ValueError:
            raise Http404 from None
    form = forms.EscalationForm(request.POST or None)
    intro = _("From the minutes: %(item)s") % {"item": minutes_item} if minutes_item else ""
    if request.method == "POST":
        if form.is_valid():
            try:
                escalation = actions.escalation_raise(
                    omt=omt, by=request.user, subject=form.cleaned_data["subject"],
                    positions=form.cleaned_data["positions"], minutes_item=minutes_item)
            except ValidationError as error:
                _bad_input(form, error)
            else:
                messages.success(request, _("The escalation is with the UNCT."))
                return HttpResponseRedirect(escalation.get_absolute_url())
        return _form_page(request, title=_("Escalate to the UNCT"), form=form,
                          back=omt.get_absolute_url(), status=400, intro=intro)
    return _form_page(request, title=_("Escalate to the UNCT"), form=form,
                      back=omt.get_absolute_url(), intro=intro)


def _escalation_or_404(request, pk):
    return access.get_visible_or_404(
        Escalation.objects.select_related("omt", "country", "raised_by", "decision",
                                          "minutes_item", "minutes_item__minutes"),
        request.user, pk=pk)


def _render_escalation(request, escalation, *, form=None, status=200):
    may_decide = (escalation.status == EscalationStatus.OPEN
                  and access.can(request.user, Perm.UNCT_DECIDE, escalation.country_id))
    context = {
        "escalation": escalation,
        "form": form or (forms.EscalationDecideForm(
            initial={"decided_on": _local_today(escalation.country)}) if may_decide else None),
        "history": audit.history_for(escalation),
    }
    return render(request, "governance/escalation_detail.html", context, status=status)


@login_required
def escalation_detail(request, pk):
    return _render_escalation(request, _escalation_or_404(request, pk))


@login_required
@require_POST
def escalation_decide(request, pk):
    """G11: the UNCT decides; the decision is recorded and closes the escalation."""
    escalation = _escalation_or_404(request, pk)
    _require(request, Perm.UNCT_DECIDE, escalation.country_id)
    form = forms.EscalationDecideForm(request.POST)
    if form.is_valid():
        try:
            actions.escalation_decide(escalation=escalation, by=request.user,
                                      decided_on=form.cleaned_data["decided_on"],
                                      text=form.cleaned_data["text"])
        except ValidationError as error:
            _bad_input(form, error)
            escalation = _escalation_or_404(request, pk)
        else:
            messages.success(request, _("The UNCT's decision is recorded."))
            return HttpResponseRedirect(escalation.get_absolute_url())
    return _render_escalation(request, escalation, form=form, status=400)

