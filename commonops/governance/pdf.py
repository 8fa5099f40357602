"""Minutes as a PDF in the standard template (G6, G7).

A4: the meeting (OMT, country, title, date, place, version and status, late notes), the
attendance and quorum (G5), then each item in order with its discussion, decisions and
actions (G7: who is responsible, by when). Every page has a footer with its number.

Text is set in DejaVu Sans when the system has it, which covers Vietnamese and every other
script the country teams write in; otherwise in Helvetica, whose built-in encoding holds
Western European letters only, so other letters are shown without the accents it lacks
("Tết" becomes "Têt") instead of as empty boxes.
"""

import unicodedata
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from commonops.governance import queries
from commonops.governance.models import (
    Action,
    ActionStatus,
    AttendanceCapacity,
    AttendanceStatus,
    Minutes,
    MinutesItem,
)

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT_NAME = "DejaVuSans-Bold.ttf"
MARGIN = 2 * cm
GRID = colors.HexColor("#b8c2cc")
SHADE = colors.HexColor("#e9eef3")
MUTED = colors.HexColor("#4a5561")
WARNING = colors.HexColor("#8a3b00")


@cache
def _register(path: Path) -> tuple[str, str] | None:
    """Register DejaVu Sans (and its bold, when there) once per process."""
    if not path.is_file():
        return None
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(path)))
    bold = path.with_name(BOLD_FONT_NAME)
    bold_name = "DejaVuSans"
    if bold.is_file():
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        bold_name = "DejaVuSans-Bold"
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold=bold_name,
                                  italic="DejaVuSans", boldItalic=bold_name)
    return "DejaVuSans", bold_name


def _fonts() -> tuple[str, str, bool]:
    """(regular, bold, whether every Unicode letter can be drawn)."""
    registered = _register(FONT_PATH)
    if registered:
        return (*registered, True)
    return "Helvetica", "Helvetica-Bold", False


def _fits_helvetica(text: str) -> bool:
    try:
        text.encode("cp1252")  # reportlab draws the standard fonts in WinAnsiEncoding
    except UnicodeEncodeError:
        return False
    return True


# Letters without a decomposition that have a look-alike in WinAnsi.
_LOOKALIKES = {"Đ": "Ð", "đ": "d"}


def latin_fallback(text: str) -> str:
    """Text Helvetica can draw: each letter it lacks loses the accents it cannot show,
    keeping those it can ("ế" -> "ê", "ă" -> "a"); anything else becomes "?"."""
    if _fits_helvetica(text):
        return text
    result = []
    for char in text:
        if _fits_helvetica(char):
            result.append(char)
            continue
        if char in _LOOKALIKES:
            result.append(_LOOKALIKES[char])
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and _fits_helvetica(composed):
                base = composed
        result.append(base if _fits_helvetica(base) else "?")
    return "".join(result)


class _Template:
    """Styles and text helpers for one document."""

    def __init__(self):
        self.font, self.bold, self.unicode = _fonts()
        sheet = getSampleStyleSheet()

        def style(name, parent="BodyText", **options):
            options.setdefault("fontName", self.font)
            return ParagraphStyle(name, parent=sheet[parent], **options)

        self.title = style("MinutesTitle", "Title", fontName=self.bold, fontSize=16,
                           leading=20, alignment=0, spaceAfter=2)
        self.subtitle = style("MinutesSubtitle", fontSize=11, leading=14, textColor=MUTED,
                              spaceAfter=8)
        self.heading = style("MinutesHeading", "Heading2", fontName=self.bold, fontSize=12.5,
                             leading=16, spaceBefore=12, spaceAfter=4, keepWithNext=1)
        self.label = style("MinutesLabel", fontName=self.bold, fontSize=9.5, leading=12,
                           spaceBefore=4, spaceAfter=1, keepWithNext=1)
        self.body = style("MinutesBody", fontSize=10, leading=13.5, spaceAfter=3)
        self.cell = style("MinutesCell", fontSize=9, leading=11.5)
        self.cell_bold = style("MinutesCellBold", fontName=self.bold, fontSize=9,
                               leading=11.5)
        self.note = style("MinutesNote", fontName=self.bold, fontSize=9.5, leading=12,
                          textColor=WARNING, spaceAfter=2)

    def text(self, value) -> str:
        """Paragraph markup for plain text: escaped, line breaks kept."""
        value = str(value or "")
        if not self.unicode:
            value = latin_fallback(value)
        return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")

    def para(self, value, style=None) -> Paragraph:
        return Paragraph(self.text(value), style or self.body)

    def table(self, rows, widths, *, header=True) -> Table:
        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        table.setStyle(TableStyle(commands))
        return table


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
    t = _Template()

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

    footer = t.text(_("Minutes of %(meeting)s, version %(version)s (%(status)s)") % {
        "meeting": meeting.title, "version": minutes.version,
        "status": minutes.get_status_display()})
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 0.4 * cm,
        title=_("Minutes: %(meeting)s") % {"meeting": meeting.title},
        author=str(meeting.omt.name), creator="CommonOps")
    document.build(story, canvasmaker=_numbered_canvas(t, footer))
    return buffer.getvalue()


def _facts(t: _Template, minutes: Minutes, zone: ZoneInfo) -> Table:
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


def _late_notes(t: _Template, minutes: Minutes) -> list:
    notes = []
    if minutes.meeting.agenda_late:
        notes.append(_("The agenda was sent late: less than three working days before the "
                       "meeting (G4)."))
    if minutes.circulated_late:
        notes.append(_("The draft minutes were circulated late: more than seven days after "
                       "the meeting (G6)."))
    return [Spacer(1, 4)] + [t.para(note, t.note) for note in notes] if notes else []


def _attendance(t: _Template, attendance, quorum) -> list:
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


def _item(t: _Template, item: MinutesItem) -> list:
    heading = Paragraph(t.text(f"{item.position}. {item.title}"), t.heading)
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
        value = timezone.localtime(value, zone)
    return f"{value:%Y-%m-%d}"


def _numbered_canvas(t: _Template, footer: str):
    """A canvas that holds its pages back until the end, to print "Page x of y"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages = []

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(GRID)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN, width - MARGIN, MARGIN)
            page = Paragraph(t.text(_("Page %(page)s of %(total)s") % {
                "page": self._pageNumber, "total": total}),
                ParagraphStyle("Page", fontName=t.font, fontSize=8, leading=10,
                               textColor=MUTED, alignment=TA_RIGHT))
            text = Paragraph(footer, ParagraphStyle("Footer", fontName=t.font, fontSize=8,
                                                    leading=10, textColor=MUTED))
            page_width = 3 * cm
            _w, page_height = page.wrapOn(self, page_width, MARGIN)
            page.drawOn(self, width - MARGIN - page_width, MARGIN - 4 - page_height)
            _w, text_height = text.wrapOn(self, width - 2 * MARGIN - page_width - 8, MARGIN)
            text.drawOn(self, MARGIN, MARGIN - 4 - text_height)
            self.restoreState()

    return NumberedCanvas
