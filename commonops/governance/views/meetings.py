"""Pages of meetings: the list, the meeting page with its agenda (G4, G8, G9), papers,
attendance and quorum (G5), the calendar invitation, and the forms that schedule and change
a meeting. Its workflow steps (send the agenda, cancel, start the minutes) are declared in
governance/workflows.py and served by core's step view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.generic import DetailView, ListView, add_validation_errors, is_htmx
from commonops.core.roles import Perm
from commonops.governance import actions, filters, forms, notifications, queries, rules
from commonops.governance.models import (
    AgendaItem,
    AgendaPaper,
    Attendance,
    Meeting,
    MeetingStatus,
)
from commonops.governance.views.common import GovernancePages, form_page, require, visible_omt


class MeetingPages(GovernancePages):
    """The meetings of the OMTs one may see, and a meeting's page."""

    model = Meeting
    name = "meeting"
    segment = "meetings"
    filterset = filters.MeetingFilterSet
    select_related = ("country", "omt")
    columns = [("title", L("Meeting")), ("starts_at", L("Starts")), ("kind", L("Kind")),
               ("status", L("Status")), ("agenda_sent_at", L("Agenda sent")),
               ("agenda_late", L("Agenda sent late")), ("country", L("Country"))]
    list_template = "governance/meeting_list.html"
    table_template = "governance/_meeting_table.html"
    detail_template = "governance/meeting_detail.html"
    object_arg = "meeting"
    create_action = staticmethod(actions.meeting_create)
    update_action = staticmethod(actions.meeting_update)

    @classmethod
    def list_context(cls, request):
        country = getattr(request, "country", None)
        return {"omt": queries.omt_of(country) if country is not None else None,
                "can_add": access.can(request.user, Perm.GOVERN,
                                      getattr(country, "pk", None))}

    @classmethod
    def detail_context(cls, request, meeting):
        """The agenda (G4, G8) with papers, attendance and quorum (G5), and the minutes."""
        country = meeting.country
        today = country.today()
        day = country.local_date(meeting.starts_at)
        deadline = rules.agenda_deadline(day, country.calendar())  # G4
        versions = list(meeting.minutes.order_by("version"))
        meeting.has_minutes = bool(versions)  # what the "start the minutes" step reads
        agenda = agenda_context(request, meeting)
        return {
            **agenda,
            **attendance_context(request, meeting),
            "omt": meeting.omt,
            "meeting_day": day,
            "agenda_deadline": deadline,
            "deadline_passed": meeting.agenda_sent_at is None and today > deadline,
            "minutes_versions": versions,
            "today": today,
        }

    @classmethod
    def urls(cls):
        # Scheduling needs the OMT (omt/<pk>/meetings/add/), and a meeting is never deleted
        # (it is cancelled): only the list and the page are generic.
        return [
            path("meetings/", ListView.as_view(pages=cls), name="meeting_list"),
            path("meetings/<int:pk>/", DetailView.as_view(pages=cls), name="meeting_detail"),
        ]


class AgendaItemPages(GovernancePages):
    """G8: the agenda is edited on the meeting's page; this declares its items' rows and
    actions for the API."""

    model = AgendaItem
    filterset = filters.AgendaItemFilterSet
    select_related = ("meeting",)
    object_arg = "agenda_item"
    create_action = staticmethod(actions.agenda_item_create)
    update_action = staticmethod(actions.agenda_item_update)
    delete_action = staticmethod(actions.agenda_item_delete)


class AttendancePages(GovernancePages):
    """G5: attendance is recorded on the meeting's page; this declares its rows and the
    removal for the API (recording is `POST meetings/{id}/attendance/`)."""

    model = Attendance
    filterset = filters.AttendanceFilterSet
    object_arg = "attendance"
    create_action = staticmethod(actions.attendance_create)
    delete_action = staticmethod(actions.attendance_delete)


def _meeting_or_404(request, pk) -> Meeting:
    return MeetingPages.get_object(request, pk)


def agenda_context(request, meeting) -> dict:
    can_govern = access.can(request.user, Perm.GOVERN, meeting.country_id)
    agenda_open = can_govern and meeting.status not in (MeetingStatus.HELD,
                                                        MeetingStatus.CANCELLED)
    return {
        "meeting": meeting,
        "can_govern": can_govern,
        "agenda_open": agenda_open,
        "items": list(meeting.agenda_items.select_related("presenter")
                      .prefetch_related("papers")),
        "item_form": forms.AgendaItemForm(country=meeting.country_id, auto_id="new-item-%s")
        if agenda_open else None,
    }


def attendance_context(request, meeting, *, form=None) -> dict:
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


# --- scheduling and changing a meeting -------------------------------------------------------


@login_required
def meeting_add(request, pk):
    """Schedule a meeting; it starts with the standard agenda (G8)."""
    omt = visible_omt(request, pk)
    require(request, Perm.GOVERN, omt.country_id)
    form = forms.MeetingForm(request.POST or None, country=omt.country)
    return form_page(
        request, form, title=_("Schedule a meeting"), back=omt.get_absolute_url(),
        save=lambda data: actions.meeting_create(by=request.user, data={
            "omt": omt, **forms.MeetingForm.meeting_data(data)}),
        done=_("The meeting is scheduled with the standard agenda."))


@login_required
def meeting_edit(request, pk):
    meeting = _meeting_or_404(request, pk)
    require(request, Perm.GOVERN, meeting.country_id)
    form = forms.MeetingForm(request.POST or None, country=meeting.country,
                             initial=forms.MeetingForm.initial_for(meeting))
    return form_page(
        request, form, title=_("Edit the meeting"), back=meeting.get_absolute_url(),
        save=lambda data: actions.meeting_update(
            meeting=meeting, by=request.user, data=forms.MeetingForm.meeting_data(data)),
        done=_("The meeting is saved."))


def agenda_preview(request, meeting):
    """G4: what sending the agenda will do, before it is sent: the e-mail as it will go, to
    whom, and whether it is on time; its button takes the "send-agenda" step."""
    recipients = queries.member_recipients(meeting.omt)
    country = meeting.country
    deadline = rules.agenda_deadline(country.local_date(meeting.starts_at), country.calendar())
    return render(request, "governance/agenda_preview.html", {
        "meeting": meeting, "message": notifications.agenda_message(meeting, recipients),
        "recipients": recipients, "without_email": [p for p in recipients if not p.email],
        "deadline": deadline, "late": country.today() > deadline})


@login_required
def meeting_ics(request, pk):
    """The meeting's iCalendar invitation."""
    return notifications.invitation_response(_meeting_or_404(request, pk))


# --- the agenda ------------------------------------------------------------------------------


def _item_or_404(request, pk) -> AgendaItem:
    return access.get_visible_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__omt", "meeting__country"),
        request.user, pk=pk)


def _refused(request, meeting, **extra):
    """The meeting's page again, with what was refused; nothing has changed."""
    meeting = _meeting_or_404(request, meeting.pk)
    return MeetingPages.render(request, meeting, extra=extra, status=400)


@login_required
@require_POST
def agendaitem_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    require(request, Perm.GOVERN, meeting.country_id)
    form = forms.AgendaItemForm(request.POST, country=meeting.country_id,
                                auto_id="new-item-%s")
    if form.is_valid():
        try:
            item = actions.agenda_item_create(by=request.user,
                                              data={**form.cleaned_data, "meeting": meeting})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Added “%(item)s” to the agenda.") % {"item": item})
            return HttpResponseRedirect(meeting.get_absolute_url() + "#agenda")
    return _refused(request, meeting, item_form=form)


@login_required
def agendaitem_edit(request, pk):
    item = _item_or_404(request, pk)
    require(request, Perm.GOVERN, item.country_id)
    form = forms.AgendaItemForm(request.POST or None, instance=item,
                                country=item.meeting.country_id)
    back = item.meeting.get_absolute_url() + "#agenda"

    def save(data):
        item.refresh_from_db()  # the form applied its values; the action sees the stored row
        return actions.agenda_item_update(agenda_item=item, by=request.user, data=data)

    return form_page(request, form, title=_("Edit the agenda item"), back=back, save=save,
                     done=_("The agenda item is saved."), then=lambda item: back)


@login_required
def agendaitem_delete(request, pk):
    item = _item_or_404(request, pk)
    require(request, Perm.GOVERN, item.country_id)
    meeting = item.meeting
    if request.method == "POST":
        try:
            actions.agenda_item_delete(agenda_item=item, by=request.user)
        except ValidationError as error:
            return _refused(request, meeting, errors=error.messages)
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
    require(request, Perm.GOVERN, item.country_id)
    meeting = item.meeting
    try:
        actions.agenda_item_move(agenda_item=item, by=request.user,
                                 up=request.POST.get("direction") == "up")
    except ValidationError as error:
        if is_htmx(request):
            return render(request, "governance/_agenda.html",
                          {**agenda_context(request, meeting), "errors": error.messages},
                          status=400)
        return _refused(request, meeting, errors=error.messages)
    if is_htmx(request):
        return render(request, "governance/_agenda.html", agenda_context(request, meeting))
    return HttpResponseRedirect(meeting.get_absolute_url() + "#agenda")


@login_required
@require_POST
def paper_add(request, pk):
    item = _item_or_404(request, pk)
    require(request, Perm.GOVERN, item.country_id)
    form = forms.AgendaPaperForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.agenda_paper_create(by=request.user, data={**form.cleaned_data,
                                                               "item": item})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The paper is attached."))
            return HttpResponseRedirect(item.get_absolute_url())
    errors = [f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
              for name, field_errors in form.errors.items() for message in field_errors]
    return _refused(request, item.meeting, errors=errors)


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
        # Attendance marks a meeting that has begun held: the box comes back with the
        # meeting's status, steps and agenda, swapped out of band.
        return render(request, "governance/_attendance.html", {
            **agenda_context(request, meeting), **attendance_context(request, meeting, form=form),
            "oob": True}, status=status)
    if status == 200:
        return HttpResponseRedirect(meeting.get_absolute_url() + "#attendance")
    return _refused(request, meeting, attendance_form=form)


@login_required
@require_POST
def attendance_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    require(request, Perm.GOVERN, meeting.country_id)
    form = forms.AttendanceForm(request.POST, omt=meeting.omt, meeting=meeting,
                                auto_id="att-%s")
    if form.is_valid():
        try:
            actions.attendance_create(by=request.user,
                                      data={**form.cleaned_data, "meeting": meeting})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _attendance_response(request, _meeting_or_404(request, pk))
    return _attendance_response(request, meeting, status=400, form=form)


@login_required
def attendance_list(request, pk):
    """G5: record the whole attendance list at once."""
    meeting = _meeting_or_404(request, pk)
    require(request, Perm.GOVERN, meeting.country_id)
    form = forms.AttendanceListForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.statuses():
            try:
                actions.meeting_record_attendance(meeting=meeting, by=request.user,
                                                  rows=form.statuses())
            except ValidationError as error:
                add_validation_errors(form, error)
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
    require(request, Perm.GOVERN, attendance.country_id)
    meeting = attendance.meeting
    actions.attendance_delete(attendance=attendance, by=request.user)
    return _attendance_response(request, meeting)


@login_required
def meeting_quorum(request, pk):
    """The quorum box alone (G5), for a page that refreshes it."""
    meeting = _meeting_or_404(request, pk)
    return render(request, "governance/_quorum.html", {"quorum": queries.quorum(meeting)})
