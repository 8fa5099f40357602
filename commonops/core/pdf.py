"""PDF documents in one house style (reportlab): fonts, styles, tables, numbered footers.

Text is set in DejaVu Sans when the system has it, which covers Vietnamese and every other
script the country teams write in; otherwise in Helvetica, whose built-in encoding holds
Western European letters only, so other letters are shown without the accents it lacks
("Tết" becomes "Têt") instead of as empty boxes.

An app's document module builds a list of flowables ("story") with a `DocumentStyle` and
hands it to `render_document`, which adds the footer with "Page x of y".
"""

import re
import unicodedata
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

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


class DocumentStyle:
    """Fonts, paragraph styles and text helpers for one document."""

    def __init__(self):
        self.font, self.bold, self.unicode = _fonts()
        sheet = getSampleStyleSheet()

        def style(name, parent="BodyText", **options):
            options.setdefault("fontName", self.font)
            return ParagraphStyle(name, parent=sheet[parent], **options)

        self.title = style("DocTitle", "Title", fontName=self.bold, fontSize=16,
                           leading=20, alignment=0, spaceAfter=2)
        self.subtitle = style("DocSubtitle", fontSize=11, leading=14, textColor=MUTED,
                              spaceAfter=8)
        self.heading = style("DocHeading", "Heading2", fontName=self.bold, fontSize=12.5,
                             leading=16, spaceBefore=12, spaceAfter=4, keepWithNext=1)
        self.label = style("DocLabel", fontName=self.bold, fontSize=9.5, leading=12,
                           spaceBefore=4, spaceAfter=1, keepWithNext=1)
        self.body = style("DocBody", fontSize=10, leading=13.5, spaceAfter=3)
        self.cell = style("DocCell", fontSize=9, leading=11.5)
        self.cell_bold = style("DocCellBold", fontName=self.bold, fontSize=9,
                               leading=11.5)
        self.note = style("DocNote", fontName=self.bold, fontSize=9.5, leading=12,
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
        """A table in the house style. Columns of figures are right-aligned and never
        wrapped; a column is widened (taking room from columns that can spare it) where its
        longest word would not fit, so no header or name is split mid-word."""
        rows = [list(row) for row in rows]
        numbers = _number_columns(rows[1:] if header else rows)
        bold_figures = []
        for row_index, row in enumerate(rows):
            for col in numbers:
                cell = row[col]
                if not isinstance(cell, Paragraph):
                    continue
                if header and row_index == 0:
                    row[col] = Paragraph(cell.text, ParagraphStyle(
                        f"{cell.style.name}Right", parent=cell.style, alignment=TA_RIGHT))
                else:  # a figure as a plain string: never wrapped
                    if cell.style.fontName == self.bold:
                        bold_figures.append((col, row_index))
                    row[col] = _text(cell)
        widths = _fit(widths, [self._min_width(row[col] for row in rows) + CELL_PADDING
                               for col in range(len(widths))])
        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        commands = [
            ("FONT", (0, 0), (-1, -1), self.font, 9),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE),
                         ("FONT", (0, 0), (-1, 0), self.bold, 9)]
        commands += [("ALIGN", (col, 0), (col, -1), "RIGHT") for col in numbers]
        commands += [("FONT", cell, cell, self.bold, 9) for cell in bold_figures]
        table.setStyle(TableStyle(commands))
        return table

    def chart(self, chart, width: float | None = None) -> "ChartFlowable":
        """A core.charts chart, drawn the width of the text (or `width` points)."""
        return ChartFlowable(chart, width or A4[0] - 2 * MARGIN, self)

    def drawing(self, chart, width: float):
        return chart.drawing(width, font=self.font, bold=self.bold,
                             text=str if self.unicode else latin_fallback)

    def _min_width(self, cells) -> float:
        """The narrowest a column can be: its longest word (a paragraph wraps between
        words) or its longest plain string (which never wraps)."""
        widest = 0.0
        for cell in cells:
            if isinstance(cell, Paragraph):
                font, size = cell.style.fontName, cell.style.fontSize
                words = _TAGS.sub("", cell.text).split()
            elif cell is None or not isinstance(cell, (str, int, float)):
                continue
            else:
                font, size, words = self.font, 9, [str(cell)]
            for word in words:
                widest = max(widest, pdfmetrics.stringWidth(unescape(word), font, size))
        return widest


FEWEST_BARS = 3  # the fewest categories of a chart on a page, when it is split
# the height of text on the shortest page (landscape A4): a chart up to this tall can
# always move to the next page whole
PAGE_ROOM = A4[0] - 2 * MARGIN - 0.4 * cm - 12


class ChartFlowable(Flowable):
    """A chart in a story. Horizontal bars for more categories than the page has room for
    (130 country teams, 40 services) continue on the next page: the chart splits between
    two categories, each part under the chart's title and to the whole chart's scale. A
    column or line chart is as tall as one page allows and moves to the next page whole."""

    def __init__(self, chart, width: float, style: DocumentStyle):
        super().__init__()
        self.chart, self.width, self.t = chart, width, style
        self._drawing = None

    def _drawn(self):
        if self._drawing is None:
            self._drawing = self.t.drawing(self.chart, self.width)
        return self._drawing

    def wrap(self, available_width, available_height):
        drawing = self._drawn()
        return drawing.width, drawing.height

    def draw(self):
        renderPDF.draw(self._drawn(), self.canv, 0, 0)

    def split(self, available_width, available_height):
        if self.chart.kind != "bar" or len(self.chart.labels) < 2:
            return []
        # the most categories that fit (a part's height grows with its categories)
        low, high = 0, len(self.chart.labels) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.t.drawing(self.chart.part(0, middle), self.width).height \
                    <= available_height:
                low = middle
            else:
                high = middle - 1
        # neither a bar or two under the title at a page's foot nor alone on the next
        # page: a short chart moves to the next page whole, a long one starts there
        # (unless a page cannot hold even that few)
        kept = min(low, len(self.chart.labels) - FEWEST_BARS)
        if kept >= FEWEST_BARS:
            low = kept
        elif self._drawn().height <= PAGE_ROOM or (low < FEWEST_BARS and self.t.drawing(
                self.chart.part(0, FEWEST_BARS), self.width).height <= PAGE_ROOM):
            return []
        if low == 0:
            return []
        return [ChartFlowable(self.chart.part(0, low), self.width, self.t),
                ChartFlowable(self.chart.part(low), self.width, self.t)]


CELL_PADDING = 4 + 6 + 1  # left and right padding of a cell, and a point to spare
_TAGS = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"^[-−+]?[\d\s.,\u00a0\u202f]*\d[\d\s.,\u00a0\u202f]*%?( ⚑)?$")


def _text(cell) -> str:
    if isinstance(cell, Paragraph):
        return unescape(_TAGS.sub("", cell.text)).strip()
    return "" if cell is None else str(cell).strip()


def _number_columns(body) -> list[int]:
    """Columns whose cells are all figures (or a dash, or empty), with at least one figure."""
    columns = []
    for col in range(max((len(row) for row in body), default=0)):
        texts = [_text(row[col]) for row in body if col < len(row)]
        figures = [t for t in texts if t not in ("", "—")]
        if figures and all(_NUMBER.match(t) for t in figures):
            columns.append(col)
    return columns


def _fit(widths, minimums) -> list[float]:
    """`widths`, each raised to its minimum; what that adds is taken back from the columns
    wider than their minimum, in proportion to what they can spare."""
    if any(w is None for w in widths):  # reportlab sizes these itself
        return list(widths)
    wanted = [max(w, m) for w, m in zip(widths, minimums, strict=True)]
    extra = sum(wanted) - sum(widths)
    spare = [w - m if w > m else 0 for w, m in zip(wanted, minimums, strict=True)]
    if extra <= 0 or not sum(spare):
        return wanted
    take = min(1.0, extra / sum(spare))
    return [w - s * take for w, s in zip(wanted, spare, strict=True)]


def render_document(t: DocumentStyle, story: list, *, title: str, author: str, footer: str,
                    pagesize=A4) -> bytes:
    """The story as PDF bytes, with `footer` and the page number at the foot of each page."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 0.4 * cm, title=title, author=author, creator="CommonOps")
    document.build(story, canvasmaker=numbered_canvas(t, t.text(footer)))
    return buffer.getvalue()


def numbered_canvas(t: DocumentStyle, footer: str):
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
