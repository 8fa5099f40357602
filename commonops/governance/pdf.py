"""Minutes as a PDF in the standard template (G6, G7).

A4: the meeting (OMT, country, title, date, place, version and status, late notes), the
attendance and quorum (G5), then each item in order with its discussion, decisions and
actions (G7: who is responsible, by when). Every page has a footer with its number.
The house style (fonts, tables, footer) comes from `commonops.core.pdf`.
"""

from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from commonops.core import display
from commonops.core.pdf import DocumentStyle, render_document
from commonops.governance import queries
from commonops.governance.models import (
    Action,
    ActionStatus,
    AttendanceCapacity,
    AttendanceStatus,
    Minutes,
    MinutesItem,
)


def _load(minutes: Minutes) -> Minutes:
    """The minutes with everything the document shows, in a fixed number of queries."""
    actions = Action.objects.select_related("owner_person", "owner_agency").order_by(
        "due_on", "pk")
    items = MinutesItem.objects.order_by("position").prefetch_related(
        Prefetch("actions", queryset=actions))
    return (Minutes.objects
            .select_related("meeting__omt", "meeting__country", "corrects")
            .prefetch_related(Prefetch("items", queryset=items))
            .get(pk=minutes.pk))


def minutes_pdf(minutes: Minutes) -> bytes:
    """The minutes as an A4 PDF in the standard template."""
    minutes = _load(minutes)
    meeting = minutes.meeting
    zone = ZoneInfo(meeting.country.time_zone)
    attendance = list(meeting.attendance.select_related("agency", "person")
                      .order_by("agency__acronym", "capacity", "pk"))
    quorum = queries.quorum(meeting)
    t = DocumentStyle()

    story = [
        Paragraph(t.text(_("Minutes: %(meeting)s") % {"meeting": meeting.title}), t.title),
        Paragraph(t.text(f"{meeting.omt.name} — {meeting.country.name}"), t.subtitle),
        _facts(t, minutes, zone),
        *_late_notes(t, minutes),
    ]
    if minutes.summary.strip():
        story += [Paragraph(t.text(_("Summary")), t.heading), t.para(minutes.summary)]
    story += _attendance(t, attendance, quorum)
    for item in minutes.items.all():
        story += _item(t, item)

    footer = _("Minutes of %(meeting)s, version %(version)s (%(status)s)") % {
        "meeting": meeting.title, "version": minutes.version,
        "status": minutes.get_status_display()}
    return render_document(t, story, title=_("Minutes: %(meeting)s") % {"meeting": meeting.title},
                           author=str(meeting.omt.name), footer=footer)


def _facts(t: DocumentStyle, minutes: Minutes, zone: ZoneInfo) -> Table:
    meeting = minutes.meeting
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    version = _("Version %(version)s") % {"version": minutes.version}
    if minutes.corrects_id:
        version = _("Version %(version)s, correcting version %(corrected)s") % {
            "version": minutes.version, "corrected": minutes.corrects.version}
    steps = []
    if minutes.circulated_at and minutes.comments_until:
        steps.append(_("circulated on %(day)s for comments until %(until)s") % {
            "day": _day(minutes.circulated_at, zone), "until": _day(minutes.comments_until)})
    if minutes.finalised_at:
        steps.append(_("finalised on %(day)s") % {"day": _day(minutes.finalised_at, zone)})
    if minutes.shared_at:
        steps.append(_("shared with the UNCT on %(day)s") % {
            "day": _day(minutes.shared_at, zone)})
    rows = [
        (_("Date"), f"{formats.date_format(starts, 'l j F Y')}, "
                    f"{formats.time_format(starts, 'H:i')}–{formats.time_format(ends, 'H:i')}"),
        (_("Place"), meeting.location or "—"),
        (_("Meeting"), meeting.get_kind_display()),
        (_("Minutes"), f"{version} — {minutes.get_status_display()}"),
    ]
    if steps:
        rows.append((_("History"), "; ".join(steps)))
    return t.table([[Paragraph(t.text(label), t.cell_bold), Paragraph(t.text(value), t.cell)]
                    for label, value in rows], [3.2 * cm, None], header=False)


def _late_notes(t: DocumentStyle, minutes: Minutes) -> list:
    notes = []
    if minutes.meeting.agenda_late:
        notes.append(_("The agenda was sent late: less than three working days before the "
                       "meeting (G4)."))
    if minutes.circulated_late:
        notes.append(_("The draft minutes were circulated late: more than seven days after "
                       "the meeting (G6)."))
    return [Spacer(1, 4)] + [t.para(note, t.note) for note in notes] if notes else []


def _attendance(t: DocumentStyle, attendance, quorum) -> list:
    seats = [a for a in attendance if a.status == AttendanceStatus.PRESENT
             and a.capacity in (AttendanceCapacity.MEMBER, AttendanceCapacity.ALTERNATE)]
    apologies = [a for a in attendance if a.status == AttendanceStatus.APOLOGIES]
    guests = [a for a in attendance if a.status == AttendanceStatus.PRESENT
              and a.capacity == AttendanceCapacity.GUEST]
    story = [Paragraph(t.text(_("Attendance")), t.heading)]
    if seats:
        rows = [[Paragraph(t.text(_("Agency")), t.cell_bold),
                 Paragraph(t.text(_("Present")), t.cell_bold),
                 Paragraph(t.text(_("As")), t.cell_bold)]]
        rows += [[Paragraph(t.text(a.agency or "—"), t.cell),
                  Paragraph(t.text(a.person or a.guest_name), t.cell),
                  Paragraph(t.text(a.get_capacity_display()), t.cell)] for a in seats]
        story.append(t.table(rows, [3.5 * cm, None, 3 * cm]))
    else:
        story.append(t.para(_("No member or alternate is recorded as present.")))
    story.append(Spacer(1, 4))
    if apologies:
        story.append(t.para(_("Apologies: %(names)s") % {
            "names": "; ".join(_who(a) for a in apologies)}))
    if guests:
        story.append(t.para(_("Guests: %(names)s") % {
            "names": "; ".join(_who(a) for a in guests)}))
    story.append(t.para(
        _("%(present)s of %(members)s member agencies present; quorum %(required)s: "
          "%(result)s") % {
            "present": quorum.present, "members": quorum.member_count,
            "required": quorum.required, "result": _("met") if quorum.quorate else _("not met")},
        t.label))
    return story


def _item(t: DocumentStyle, item: MinutesItem) -> list:
    heading = Paragraph(t.text(f"{item.position}. {item.shown_title}"), t.heading)
    story = [heading]
    if item.discussion.strip():
        story += [Paragraph(t.text(_("Discussion")), t.label), t.para(item.discussion)]
    if item.decisions.strip():
        story += [Paragraph(t.text(_("Decisions")), t.label)]
        if item.without_quorum:
            story.append(t.para(_("Decided without quorum (G5)."), t.note))
        story.append(t.para(item.decisions))
    actions = list(item.actions.all())
    if actions:
        rows = [[Paragraph(t.text(label), t.cell_bold)
                 for label in (_("Action"), _("Responsible"), _("Deadline"), _("Status"))]]
        for action in actions:
            status = action.get_status_display()
            if action.status == ActionStatus.DONE and action.done_on:
                status = _("Done on %(day)s") % {"day": _day(action.done_on)}
            rows.append([Paragraph(t.text(action.title), t.cell),
                         Paragraph(t.text(action.owner), t.cell),
                         Paragraph(t.text(_day(action.due_on)), t.cell),
                         Paragraph(t.text(status), t.cell)])
        story += [Paragraph(t.text(_("Actions")), t.label),
                  t.table(rows, [None, 4.2 * cm, 2.4 * cm, 2.8 * cm])]
    if len(story) == 1:
        story.append(t.para(_("Nothing recorded."), t.body))
    # Keep the heading with the start of its item rather than alone at a page's foot.
    return [KeepTogether(story[:2]), *story[2:]]


def _who(attendance) -> str:
    name = str(attendance.person or attendance.guest_name)
    return f"{name} ({attendance.agency})" if attendance.agency else name


def _day(value, zone: ZoneInfo | None = None) -> str:
    if hasattr(value, "hour"):
        value = timezone.localtime(value, zone).date()
    return display.day(value)
