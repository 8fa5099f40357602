"""Charts as inline SVG, drawn on the server: no JavaScript, no CDN, a few kilobytes each.

Each chart has a <title> and a <desc> listing its values, so screen readers and people with
images off get the numbers; pages should also show the same figures in a table.
"""

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

# Colours with enough contrast on white, told apart by dash pattern as well as colour.
PALETTE = ("#1f5f99", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00838f")
DASHES = ("", "6 4", "2 3", "8 3 2 3", "", "6 4")
_ids = itertools.count(1)  # element ids, unique within a page and a process


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence  # numbers or None (a gap), one per label


def _number(value) -> float | None:
    return None if value is None else float(value)


def _format(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:.0f}k"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _nice_step(span: float, steps: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers `span` in about
    `steps` gridlines, so the axis reads 0, 250, 500… rather than 0, 247.3, 494.6…"""
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _scale(values: list[float], *, include_zero=True) -> tuple[float, float]:
    """The axis range: from a round number at or below the data to one at or above it."""
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    count = round((high - low) / step)
    return [low + step * i for i in range(count + 1)]


def _describe(title: str, labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    parts = []
    for s in series:
        pairs = ", ".join(f"{label}: {'–' if v is None else _format(float(v))}"
                          for label, v in zip(labels, s.values, strict=False))
        parts.append(f"{s.name} ({unit}) — {pairs}" if unit else f"{s.name} — {pairs}")
    return "; ".join(parts)


def _frame(title, labels, series, unit, width, height, body, low, high, top, left, bottom):
    plot_h = height - top - bottom
    uid = f"chart{next(_ids)}"
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'class="chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
           f'preserveAspectRatio="xMinYMin meet">',
           f'<title id="{uid}-t">{escape(title)}</title>',
           f'<desc id="{uid}-d">{escape(_describe(title, labels, series, unit))}</desc>']
    for value in _ticks(low, high):
        y = top + plot_h - plot_h * (value - low) / (high - low)
        svg.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#d5dbe1" stroke-width="1"/>')
        svg.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="#4a5561">{escape(_format(value))}</text>')
    svg.extend(body)
    legend_y = height - 8
    x = left
    for i, s in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        svg.append(f'<line x1="{x}" x2="{x + 18}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
                   f'stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>')
        svg.append(f'<text x="{x + 22}" y="{legend_y}" font-size="11" fill="#1b2430">'
                   f'{escape(s.name)}</text>')
        x += 30 + 7 * len(s.name)
    svg.append("</svg>")
    return mark_safe("".join(svg))


def line_chart(*, title: str, labels: Sequence[str], series: Sequence[Series], unit: str = "",
               width: int = 640, height: int = 260) -> SafeString:
    """Lines over the labels (years, months); None values leave a gap."""
    top, left, bottom = 12, 56, 46
    values = [v for s in series for v in map(_number, s.values) if v is not None]
    if not labels or not values:
        values = [0.0]
    low, high = _scale(values)
    plot_w, plot_h = width - left - 10, height - top - bottom
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0

    def point(i, v):
        x = left + (i * step if len(labels) > 1 else plot_w / 2)
        y = top + plot_h - (v - low) / (high - low) * plot_h
        return x, y

    body = []
    label_every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % label_every == 0:
            x, _y = point(i, low)
            body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                        f'font-size="11" fill="#4a5561">{escape(str(label))}</text>')
    if low < 0 < high:
        _x, zero = point(0, 0.0)
        body.append(f'<line x1="{left}" x2="{width - 10}" y1="{zero:.1f}" y2="{zero:.1f}" '
                    f'stroke="#4a5561" stroke-width="1"/>')
    for n, s in enumerate(series):
        colour, dash = PALETTE[n % len(PALETTE)], DASHES[n % len(DASHES)]
        runs, run = [], []
        for i, v in enumerate(map(_number, s.values)):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(point(i, v))
        if run:
            runs.append(run)
        for run in runs:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                        f'stroke-width="2.5" stroke-dasharray="{dash}"/>')
            for x, y in run:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    return _frame(title, labels, series, unit, width, height, body, low, high, top, left,
                  bottom)


def bar_chart(*, title: str, labels: Sequence[str], series: Sequence[Series], unit: str = "",
              width: int = 640, height: int = 260) -> SafeString:
    """Grouped bars, one group per label and one bar per series."""
    top, left, bottom = 12, 56, 46
    values = [v for s in series for v in map(_number, s.values) if v is not None] or [0.0]
    low, high = _scale(values)
    plot_w, plot_h = width - left - 10, height - top - bottom
    group = plot_w / max(1, len(labels))
    bar = group * 0.8 / max(1, len(series))

    def y_of(v):
        return top + plot_h - (v - low) / (high - low) * plot_h

    body = []
    label_every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % label_every == 0:
            x = left + group * (i + 0.5)
            body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                        f'font-size="11" fill="#4a5561">{escape(str(label))}</text>')
        for n, s in enumerate(series):
            v = _number(s.values[i]) if i < len(s.values) else None
            if v is None:
                continue
            x = left + group * i + group * 0.1 + bar * n
            y0, y1 = y_of(max(v, 0.0) if low < 0 else v), y_of(0.0 if low < 0 else low)
            if low < 0 and v < 0:
                y0, y1 = y_of(0.0), y_of(v)
            body.append(f'<rect x="{x:.1f}" y="{min(y0, y1):.1f}" width="{bar:.1f}" '
                        f'height="{abs(y1 - y0):.1f}" fill="{PALETTE[n % len(PALETTE)]}">'
                        f'<title>{escape(s.name)} {escape(str(label))}: '
                        f'{escape(_format(v))}</title></rect>')
    return _frame(title, labels, series, unit, width, height, body, low, high, top, left,
                  bottom)


def cumulative(values: Sequence) -> list[Decimal | None]:
    """Running totals (for a cumulative net-benefit line, say); None counts as nothing."""
    total, out = Decimal(0), []
    for v in values:
        total += Decimal(v or 0)
        out.append(total)
    return out
