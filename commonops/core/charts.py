"""Charts drawn on the server, for pages (inline SVG, no JavaScript, no CDN) and for PDFs
(reportlab drawings), from one description.

    chart = bar_chart(title=_("Budget and expenditure per service"), unit="USD",
                      labels=[s.name for s in services],
                      series=[Series(_("Budget"), budgets), Series(_("Expenditure"), spent)])
    {{ chart }}                   in a template: title, unit, legend, the drawing, the figures
    t.chart(chart)                in a PDF story (core.pdf.DocumentStyle)

Three kinds:
- `bar_chart`: horizontal bars, one row per category with its full name above the bars:
  for services, opportunities, agencies — names stay whole however many there are;
- `column_chart`: vertical bars over a few periods (months, years);
- `line_chart`: lines over periods; None leaves a gap.

On a page the SVG is as wide as its column: positions across are percentages and text has a
fixed pixel size, so labels stay legible from a 360-pixel phone to a wide screen instead of
shrinking with the drawing. Title and unit are the figure's caption, the legend is text, and
the figures are in a table under the drawing, for people who cannot see it and for those
who want the exact numbers. Colours have enough contrast on white and series are told apart
by dash pattern as well as colour.

No chart library is used: those that draw for both the page and the PDF scale their text
with the drawing (unreadable on a phone) or need a browser-side runtime.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commonops.core import display

# Colours with enough contrast on white, told apart by dash pattern as well as colour
# (app.css repeats them for the legend's marks: .chart .swatch-0 to -5).
PALETTE = ("#1f5f99", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00838f")
DASHES = ("", "6 4", "2 3", "8 3 2 3", "", "6 4")
INK, MUTED, GRID = "#1d2733", "#4a5561", "#d5dbe1"
_ids = itertools.count(1)  # element ids, unique within a page and a process

# Page geometry, in CSS pixels.
LABEL_SIZE, VALUE_SIZE, AXIS_SIZE = 13, 12, 12
PLOT_HEIGHT = 200
BAR = 11  # thickness of one horizontal bar
NAME_LINE = 17  # height of one line of a category name
WRAP_AT = 44  # characters of a category name per line (two lines at most)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence  # numbers or None (a gap), one per label


def _number(value) -> float | None:
    return None if value is None else float(value)


# --- numbers on the drawing ------------------------------------------------------------------


def _axis(value: float) -> str:
    """A tick label: short (250k, 1.5M), in the reader's language."""
    if abs(value) >= 1_000_000:
        return display.number(Decimal(str(round(value / 1_000_000, 1))).normalize()) + "M"
    if abs(value) >= 10_000:
        return display.number(Decimal(round(value / 1_000))) + "k"
    return display.number(Decimal(str(round(value, 2))).normalize())


def _value(value: float) -> str:
    """A value written beside its bar: whole above 100, else to one or two decimals."""
    if abs(value) >= 100:
        return display.number(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))
    return display.number(Decimal(str(round(value, 2))).normalize())


def _nice_step(span: float, steps: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers `span` in about
    `steps` gridlines, so the axis reads 0, 250, 500… rather than 0, 247.3, 494.6…"""
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _scale(values: list[float]) -> tuple[float, float]:
    """The axis range: from a round number at or below the data (and zero) to one at or
    above it."""
    low, high = min(min(values), 0.0), max(max(values), 0.0)
    if low == high:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _ticks(low: float, high: float) -> list[float]:
    """Round values from `low` to `high`, zero among them when the range crosses it."""
    step = _nice_step(high - low)
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9)
    return [first + step * i for i in range(count + 1)]


def _wrap(name: str, width: int = WRAP_AT) -> list[str]:
    """A category name on one or two lines, broken between words."""
    name = str(name)
    if len(name) <= width:
        return [name]
    cut = name.rfind(" ", 0, width + 1)
    if cut <= 0:
        cut = width
    rest = name[cut:].strip()
    if len(rest) > width:
        rest = rest[:width - 1].rstrip() + "…"
    return [name[:cut].strip(), rest]


# --- the chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar", "column" or "line"
    title: str
    labels: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    # horizontal bars: the scale of the whole chart when this is one part of it (`part`)
    span: tuple[float, float] | None = None

    def __post_init__(self):
        if self.kind not in ("bar", "column", "line"):
            raise ValueError(f"Unknown chart kind: {self.kind}")

    # --- shared ---

    @property
    def caption(self) -> str:
        return f"{self.title} ({self.unit})" if self.unit else str(self.title)

    def _figure(self, value) -> str:
        """A value in the figures table: money to the cent, other numbers as they are."""
        if value is None:
            return "—"
        return display.money(value) if self.unit == "USD" else display.number(value)

    def _values(self) -> list[float]:
        return [v for s in self.series for v in map(_number, s.values) if v is not None]

    def _range(self) -> tuple[float, float]:
        return _scale(self._values() or [0.0])

    def _bar_rows(self):
        """For horizontal bars: (label lines, [(series index, value or None)]) per category."""
        for i, label in enumerate(self.labels):
            values = [(n, _number(s.values[i]) if i < len(s.values) else None)
                      for n, s in enumerate(self.series)]
            yield _wrap(label), values

    def _bar_span(self) -> tuple[float, float]:
        """Horizontal bars: the data range, zero always included (no rounding: each bar
        has its value written beside it)."""
        if self.span is not None:
            return self.span
        values = self._values() or [0.0]
        low, high = min(min(values), 0.0), max(max(values), 0.0)
        return low, (high if high > low else low + 1)

    def part(self, start: int, stop: int | None = None) -> "Chart":
        """Categories `start` to `stop` only, with the whole chart's scale: a chart of
        horizontal bars continued over several PDF pages (core.pdf) keeps its bars
        comparable from one page to the next."""
        return replace(self, labels=list(self.labels[start:stop]),
                       series=[Series(s.name, list(s.values[start:stop]))
                               for s in self.series],
                       span=self._bar_span() if self.kind == "bar" else self.span)

    def __html__(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.html()

    # --- the page ---

    def html(self) -> SafeString:
        uid = f"chart{next(_ids)}"
        svg = {"bar": self._svg_bars, "column": self._svg_columns,
               "line": self._svg_lines}[self.kind](uid)
        legend = ""
        if len(self.series) > 1:
            items = "".join(
                f'<li><span class="{self._swatch(n)}"></span>'
                f"{escape(str(s.name))}</li>" for n, s in enumerate(self.series))
            legend = f'<ul class="legend">{items}</ul>'
        return mark_safe(
            f'<figure class="chart chart-{self.kind}" aria-labelledby="{uid}-t">'
            f'<figcaption id="{uid}-t"><strong>{escape(str(self.title))}</strong>'
            + (f' <span class="muted">({escape(str(self.unit))})</span>' if self.unit
               else "")
            + f"</figcaption>{legend}{svg}{self._table()}</figure>")

    def _swatch(self, n: int) -> str:
        """The classes of a series' legend mark: its colour and, for a dashed line, the
        dashes (app.css; no style attribute, which the Content-Security-Policy blocks)."""
        dashed = " dashed" if self.kind == "line" and DASHES[n % len(DASHES)] else ""
        return f"swatch swatch-{n % len(PALETTE)}{dashed}"

    def _table(self) -> str:
        unit = f" ({escape(str(self.unit))})" if self.unit else ""
        head = "".join(f'<th scope="col" class="num">{escape(str(s.name))}{unit}</th>'
                       for s in self.series)
        rows = []
        for i, label in enumerate(self.labels):
            cells = "".join(
                f'<td class="num">'
                f'{escape(self._figure(s.values[i]) if i < len(s.values) else "—")}</td>'
                for s in self.series)
            rows.append(f'<tr><th scope="row">{escape(str(label))}</th>{cells}</tr>')
        summary = escape(_("The figures"))  # outside the f-string, where makemessages finds it
        return (f'<details class="chart-figures"><summary>{summary}</summary>'
                f'<div class="table-wrap"><table><thead><tr><td></td>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div></details>')

    def _svg(self, uid, height, body) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
                f'class="chart-drawing" role="img" aria-labelledby="{uid}-t {uid}-d">'
                f'<title id="{uid}-d-title">{escape(self.caption)}</title>'
                f'<desc id="{uid}-d">{escape(self._describe())}</desc>'
                f'{"".join(body)}</svg>')

    def _describe(self) -> str:
        parts = []
        for s in self.series:
            pairs = ", ".join(
                f"{label}: {self._figure(v)}"
                for label, v in zip(self.labels, s.values, strict=False))
            parts.append(f"{s.name} — {pairs}")
        return "; ".join(parts)

    def _svg_bars(self, uid) -> str:
        """One row per category: its name, then a bar per series with its value beside it.
        Bars take at most 76% of the width so the value written after them fits."""
        low, high = self._bar_span()
        left, right = (12.0, 80.0) if low < 0 else (0.0, 76.0)

        def x(value):
            return left + (right - left) * (value - low) / (high - low)

        zero = x(0.0)
        body, y = [], 4
        for lines, values in self._bar_rows():
            for line in lines:
                y += NAME_LINE
                body.append(f'<text x="0" y="{y - 4}" font-size="{LABEL_SIZE}" '
                            f'fill="{INK}">{escape(line)}</text>')
            for n, v in values:
                colour = PALETTE[n % len(PALETTE)]
                if v is not None:
                    start, end = sorted((zero, x(v)))
                    body.append(f'<rect x="{start:.2f}%" y="{y}" width="{end - start:.2f}%" '
                                f'height="{BAR}" fill="{colour}"/>')
                    anchor, at, dx = ("end", start, -4) if v < 0 else ("start", end, 4)
                    text = _value(v)
                else:
                    anchor, at, dx, text = "start", zero, 4, "–"
                body.append(f'<text x="{at:.2f}%" dx="{dx}" y="{y + BAR - 1}" '
                            f'font-size="{VALUE_SIZE}" fill="{INK}" '
                            f'text-anchor="{anchor}">{escape(text)}</text>')
                y += BAR + 2
            y += 8
        if low < 0:
            body.append(f'<line x1="{zero:.2f}%" x2="{zero:.2f}%" y1="4" y2="{y}" '
                        f'stroke="{MUTED}" stroke-width="1"/>')
        return self._svg(uid, y + 4, body)

    def _grid(self, low, high, top) -> tuple[list[str], list[str]]:
        """Gridlines across the plot, and each one's value just above it at the left (drawn
        last, with a white halo, so bars and lines crossing it leave it readable)."""
        lines, labels = [], []
        suffix = "%" if self.unit == "%" else ""
        for value in _ticks(low, high):
            y = top + PLOT_HEIGHT - PLOT_HEIGHT * (value - low) / (high - low)
            lines.append(f'<line x1="0" x2="100%" y1="{y:.1f}" y2="{y:.1f}" '
                         f'stroke="{GRID if value else MUTED}" stroke-width="1"/>')
            labels.append(f'<text x="2" y="{y - 3:.1f}" font-size="{AXIS_SIZE}" '
                          f'fill="{MUTED}" stroke="#fff" stroke-width="3" '
                          f'paint-order="stroke">{escape(_axis(value) + suffix)}</text>')
        return lines, labels

    def _period_labels(self, top) -> list[str]:
        """Period names under the plot, centred on their slot (never cut at the edges); with
        more than twelve only every other one, and so on."""
        every = max(1, math.ceil(len(self.labels) / 12))
        n = max(1, len(self.labels))
        return [f'<text x="{(i + 0.5) * 100 / n:.2f}%" y="{top + PLOT_HEIGHT + 17}" '
                f'font-size="{AXIS_SIZE}" fill="{MUTED}" text-anchor="middle">'
                f"{escape(str(label))}</text>"
                for i, label in enumerate(self.labels) if i % every == 0]

    def _svg_columns(self, uid) -> str:
        low, high = self._range()
        top, n = 16, max(1, len(self.labels))
        slot = 100 / n
        width = slot * 0.7 / max(1, len(self.series))

        def y(value):
            return top + PLOT_HEIGHT - PLOT_HEIGHT * (value - low) / (high - low)

        body, ticks = self._grid(low, high, top)
        for i in range(len(self.labels)):
            for k, s in enumerate(self.series):
                v = _number(s.values[i]) if i < len(s.values) else None
                if v is None:
                    continue
                y0, y1 = sorted((y(0.0), y(v)))
                body.append(f'<rect x="{slot * i + slot * 0.15 + width * k:.2f}%" '
                            f'y="{y0:.1f}" width="{width:.2f}%" height="{y1 - y0:.1f}" '
                            f'fill="{PALETTE[k % len(PALETTE)]}"/>')
        return self._svg(uid, top + PLOT_HEIGHT + 24,
                         body + ticks + self._period_labels(top))

    def _svg_lines(self, uid) -> str:
        low, high = self._range()
        top, n = 16, max(1, len(self.labels))

        def point(i, v):
            return (i + 0.5) * 100 / n, top + PLOT_HEIGHT - PLOT_HEIGHT * (v - low) / (high - low)

        body, ticks = self._grid(low, high, top)
        for k, s in enumerate(self.series):
            colour, dash = PALETTE[k % len(PALETTE)], DASHES[k % len(DASHES)]
            points = [None if v is None else point(i, v)
                      for i, v in enumerate(map(_number, s.values))]
            for a, b in itertools.pairwise(points):
                if a is not None and b is not None:
                    body.append(f'<line x1="{a[0]:.2f}%" y1="{a[1]:.1f}" x2="{b[0]:.2f}%" '
                                f'y2="{b[1]:.1f}" stroke="{colour}" stroke-width="2.5" '
                                f'stroke-dasharray="{dash}"/>')
            for p in points:
                if p is not None:
                    body.append(f'<circle cx="{p[0]:.2f}%" cy="{p[1]:.1f}" r="3.5" '
                                f'fill="{colour}"/>')
        return self._svg(uid, top + PLOT_HEIGHT + 24,
                         body + ticks + self._period_labels(top))

    # --- PDFs ---

    def drawing(self, width: float, *, font: str = "Helvetica", bold: str = "Helvetica-Bold",
                text=str):
        """The chart as a reportlab Drawing `width` points wide, with the same layout as on
        the page: title and unit on top, legend, text at 8–9 pt. `text` prepares a string
        for the font (core.pdf's Latin fallback)."""
        from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
        from reportlab.lib import colors

        def colour(n):
            return colors.HexColor(PALETTE[n % len(PALETTE)])

        shapes = []  # drawn top-down: y grows downwards here, flipped at the end

        def label(x, y, value, size=8, anchor="start", face=font, fill=INK):
            shapes.append(("text", x, y, text(str(value)), size, anchor, face, fill))

        y = 12
        label(0, y, self.caption, 10, face=bold)
        y += 8
        if len(self.series) > 1:
            x = 0
            y += 10
            for n, s in enumerate(self.series):
                shapes.append(("rect", x, y - 6, 14, 6, n))
                label(x + 18, y, s.name)
                x += 30 + 4.6 * len(str(s.name))
        y += 8
        if self.kind == "bar":
            low, high = self._bar_span()
            left, right = (0.12 * width, 0.80 * width) if low < 0 else (0, 0.78 * width)

            def bx(value):
                return left + (right - left) * (value - low) / (high - low)

            zero, top = bx(0.0), y
            for lines, values in self._bar_rows():
                for line in lines:
                    y += 11
                    label(0, y - 3, line, 8.5)
                for n, v in values:
                    if v is not None:
                        start, end = sorted((zero, bx(v)))
                        shapes.append(("rect", start, y, end - start, 7, n))
                        if v < 0:
                            label(start - 3, y + 6, _value(v), 7.5, "end")
                        else:
                            label(end + 3, y + 6, _value(v), 7.5)
                    else:  # no figure: a dash at zero, as on the page
                        label(zero + 3, y + 6, "–", 7.5)
                    y += 8.5
                y += 5
            if low < 0:
                shapes.append(("line", zero, top, zero, y, MUTED))
        else:
            low, high = self._range()
            axis_width, plot_h, top = 42, 130, y + 4
            plot_w = width - axis_width
            n = max(1, len(self.labels))

            def py(value):
                return top + plot_h - plot_h * (value - low) / (high - low)

            def px(i):
                return axis_width + (i + 0.5) * plot_w / n

            suffix = "%" if self.unit == "%" else ""
            for value in _ticks(low, high):
                shapes.append(("line", axis_width, py(value), width, py(value),
                               GRID if value else MUTED))
                label(axis_width - 4, py(value) + 3, _axis(value) + suffix, 7.5, "end",
                      fill=MUTED)
            every = max(1, math.ceil(len(self.labels) / 12))
            for i, name in enumerate(self.labels):
                if i % every == 0:
                    label(px(i), top + plot_h + 11, name, 7.5, "middle", fill=MUTED)
            if self.kind == "column":
                slot = plot_w / n
                bar = slot * 0.7 / max(1, len(self.series))
                for i in range(len(self.labels)):
                    for k, s in enumerate(self.series):
                        v = _number(s.values[i]) if i < len(s.values) else None
                        if v is not None:
                            y0, y1 = sorted((py(0.0), py(v)))
                            shapes.append(("rect", axis_width + slot * (i + 0.15) + bar * k,
                                           y0, bar, y1 - y0, k))
            else:
                for k, s in enumerate(self.series):
                    points = [None if v is None else (px(i), py(v))
                              for i, v in enumerate(map(_number, s.values))]
                    for a, b in itertools.pairwise(points):
                        if a is not None and b is not None:
                            shapes.append(("segment", *a, *b, k))
                    for p in points:
                        if p is not None:
                            shapes.append(("dot", *p, k))
            y = top + plot_h + 16
        height = y + 4

        group = Group()
        for shape in shapes:
            kind = shape[0]
            if kind == "text":
                _k, x, ty, value, size, anchor, face, fill = shape
                group.add(String(x, height - ty, value, fontName=face, fontSize=size,
                                 textAnchor=anchor, fillColor=colors.HexColor(fill)))
            elif kind == "rect":
                _k, x, ty, w, h, n = shape
                group.add(Rect(x, height - ty - h, w, h, fillColor=colour(n), strokeWidth=0,
                               strokeColor=None))
            elif kind == "line":
                _k, x1, y1, x2, y2, stroke = shape
                group.add(Line(x1, height - y1, x2, height - y2, strokeWidth=0.5,
                               strokeColor=colors.HexColor(stroke)))
            elif kind == "segment":
                _k, x1, y1, x2, y2, n = shape
                dash = [float(d) for d in DASHES[n % len(DASHES)].split()] or None
                group.add(Line(x1, height - y1, x2, height - y2, strokeWidth=1.6,
                               strokeColor=colour(n), strokeDashArray=dash))
            else:
                _k, x, ty, n = shape
                group.add(Circle(x, height - ty, 2, fillColor=colour(n), strokeWidth=0))
        drawing = Drawing(width, height)
        drawing.add(group)
        return drawing


def bar_chart(*, title: str, labels: Sequence[str], series: Sequence[Series],
              unit: str = "") -> Chart:
    """Horizontal bars, one row per category (service, opportunity, agency) under its full
    name; each bar has its value beside it."""
    return Chart("bar", title, list(labels), list(series), unit)


def column_chart(*, title: str, labels: Sequence[str], series: Sequence[Series],
                 unit: str = "") -> Chart:
    """Vertical bars over periods (months, years), one group per period."""
    return Chart("column", title, list(labels), list(series), unit)


def line_chart(*, title: str, labels: Sequence[str], series: Sequence[Series],
               unit: str = "") -> Chart:
    """Lines over periods (years, months); None values leave a gap."""
    return Chart("line", title, list(labels), list(series), unit)


def cumulative(values: Sequence) -> list[Decimal | None]:
    """Running totals (for a cumulative net-benefit line, say); None counts as nothing."""
    total, out = Decimal(0), []
    for v in values:
        total += Decimal(v or 0)
        out.append(total)
    return out


