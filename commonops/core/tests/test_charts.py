"""Charts: a title and unit, full category names, text that keeps its size on a phone, the
figures in a table, and the same chart in a PDF."""

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation
from reportlab.graphics.shapes import String

from commonops.core.charts import Series, bar_chart, column_chart, cumulative, line_chart

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Common premises (Green One UN House) facility management and security"


def _tree(chart):
    return ElementTree.fromstring(str(chart))


def _svg(chart):
    return _tree(chart).find(f".//{SVG}svg")


def test_a_chart_has_its_title_and_unit_as_caption_and_its_figures_in_a_table():
    chart = line_chart(title="Cost avoidance", labels=["2024", "2025"], unit="USD",
                       series=[Series("Target", [100, 200]), Series("Actual", [90, None])])
    figure = _tree(chart)
    assert figure.tag == "figure"
    assert "".join(figure.find("figcaption").itertext()) == "Cost avoidance (USD)"
    assert ["".join(li.itertext()) for li in figure.find("ul")] == ["Target", "Actual"]
    rows = [["".join(c.itertext()) for c in tr] for tr in figure.iter("tr")]
    assert rows == [["", "Target (USD)", "Actual (USD)"],
                    ["2024", "100.00", "90.00"], ["2025", "200.00", "—"]]
    svg = _svg(chart)
    assert svg.get("role") == "img"
    assert "Actual — 2024: 90.00, 2025: —" in svg.find(f"{SVG}desc").text


def test_the_legend_is_coloured_by_the_style_sheet_not_by_style_attributes():
    """The Content-Security-Policy blocks style="" attributes: each series' mark takes its
    colour (and dashes) from a class that app.css defines in the drawing's colour."""
    from pathlib import Path

    from django.conf import settings

    from commonops.core.charts import PALETTE

    chart = line_chart(title="T", labels=["2024", "2025"],
                       series=[Series(f"S{n}", [n, n + 1]) for n in range(7)])
    assert "style=" not in str(chart)
    marks = [li.find("span").get("class") for li in _tree(chart).find("ul")]
    assert marks[:2] == ["swatch swatch-0", "swatch swatch-1 dashed"]
    assert marks[6] == "swatch swatch-0"
    assert "dashed" not in str(bar_chart(title="T", labels=["A"],
                                         series=[Series("x", [1]), Series("y", [2])]))
    css = (Path(settings.BASE_DIR) / "commonops/static/commonops/css/app.css").read_text()
    for n, colour in enumerate(PALETTE):
        assert re.search(rf"\.chart \.swatch-{n} \{{ color: {colour}; \}}", css), colour


def test_the_drawing_fills_its_column_and_its_text_keeps_its_size():
    """Positions across are percentages and the SVG has no viewBox, so a narrow screen
    narrows the drawing without shrinking its text."""
    chart = column_chart(title="Tickets", labels=["Jan", "Feb", "Mar"],
                         series=[Series("Opened", [3, 5, 4])])
    svg = _svg(chart)
    assert svg.get("width") == "100%" and svg.get("viewBox") is None
    assert all(float(t.get("font-size")) >= 12 for t in svg.iter(f"{SVG}text"))
    assert all(r.get("x").endswith("%") and r.get("width").endswith("%")
               for r in svg.iter(f"{SVG}rect"))


def test_period_labels_sit_inside_the_drawing():
    """The last label ("2026") is centred in its slot, not on the right edge, so it is
    never cut."""
    chart = line_chart(title="KPI", labels=["2024", "2025", "2026"],
                       series=[Series("Actual", [1, 2, 3])])
    xs = [float(t.get("x").rstrip("%")) for t in _svg(chart).iter(f"{SVG}text")
          if t.get("text-anchor") == "middle"]
    assert xs == pytest.approx([100 / 6, 50, 500 / 6], abs=0.01)


def test_many_categories_get_horizontal_bars_with_their_full_names():
    names = [f"Service number {i}" for i in range(15)] + [LONG]
    chart = bar_chart(title="Budget", unit="USD", labels=names,
                      series=[Series("Budget", list(range(100, 1700, 100)))])
    texts = ["".join(t.itertext()) for t in _svg(chart).iter(f"{SVG}text")]
    for name in names[:-1]:
        assert name in texts
    # a long name goes on two lines, broken between words, nothing lost
    assert " ".join(t for t in texts if t and not t[0].isdigit())[-len(LONG):] == LONG
    widths = [float(r.get("width").rstrip("%")) for r in _svg(chart).iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.01)


def test_negative_bars_grow_left_from_zero():
    chart = bar_chart(title="Net", labels=["a", "b", "c"],
                      series=[Series("Net", [Decimal("100"), Decimal("-50"), Decimal("50")])])
    rects = list(_svg(chart).iter(f"{SVG}rect"))
    xs = [float(r.get("x").rstrip("%")) for r in rects]
    widths = [float(r.get("width").rstrip("%")) for r in rects]
    zero = xs[0]
    assert xs[2] == pytest.approx(zero)  # positive bars start at zero
    assert xs[1] + widths[1] == pytest.approx(zero, abs=0.02)  # the negative one ends there
    assert widths[0] == pytest.approx(2 * widths[2], abs=0.02)
    assert widths[1] == pytest.approx(widths[2], abs=0.02)


def test_a_gap_breaks_the_line():
    chart = line_chart(title="x", labels=["1", "2", "3", "4"],
                       series=[Series("s", [1, 2, None, 4])])
    assert len(list(_svg(chart).iter(f"{SVG}line"))) - len(
        [t for t in _svg(chart).iter(f"{SVG}text") if t.get("text-anchor") is None]) == 1


def test_two_charts_on_one_page_have_different_ids():
    first = line_chart(title="a", labels=["x"], series=[Series("s", [1])])
    second = bar_chart(title="b", labels=["x"], series=[Series("s", [1])])
    ids = re.findall(r' id="([^"]+)"', str(first) + str(second))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("make", [line_chart, bar_chart, column_chart])
def test_an_empty_chart_still_renders(make):
    _tree(make(title="Nothing yet", labels=[], series=[]))


def test_titles_names_and_labels_are_escaped():
    chart = bar_chart(title="<script>", labels=["a&b"], series=[Series("x<y", [1])])
    assert "<script>" not in str(chart)
    _tree(chart)


def test_axis_labels_are_round_numbers_that_cover_the_data():
    chart = line_chart(title="Compliance", labels=["Jan", "Feb"], unit="%",
                       series=[Series("First response", [Decimal("92.4"), Decimal("99.4")])])
    labels = [t.text for t in _svg(chart).iter(f"{SVG}text") if t.get("text-anchor") is None]
    assert labels == ["0%", "25%", "50%", "75%", "100%"]


def test_numbers_follow_the_readers_language():
    chart = bar_chart(title="Budget", unit="USD", labels=["Nettoyage"],
                      series=[Series("Budget", [Decimal("171600.50")])])
    with translation.override("fr"):
        html = str(chart)
    assert "171\xa0600,50" in html  # the figures table
    assert "171\xa0601" in html  # beside the bar
    assert "<summary>Les chiffres</summary>" in html  # the figures table's heading


def test_cumulative_runs_the_total_and_treats_gaps_as_nothing():
    assert cumulative([Decimal("-100"), None, Decimal("60"), 70]) == [
        Decimal("-100"), Decimal("-100"), Decimal("-40"), Decimal("30")]


@pytest.mark.parametrize("make", [line_chart, bar_chart, column_chart])
def test_the_pdf_drawing_has_the_title_full_names_and_legible_text(make):
    names = ["Cleaning and maintenance", LONG, "Joint ICT network and internet"]
    chart = make(title="Budget and expenditure", unit="USD", labels=names,
                 series=[Series("Budget", [171600, 603200, -20]),
                         Series("Expenditure", [171805, 602699, 0])])
    drawing = chart.drawing(480, font="Helvetica", bold="Helvetica-Bold")
    strings = [s for group in drawing.contents for s in group.contents
               if isinstance(s, String)]
    texts = [s.text for s in strings]
    assert "Budget and expenditure (USD)" in texts
    assert {"Budget", "Expenditure"} <= set(texts)  # the legend
    assert all(s.fontSize >= 7.5 for s in strings)
    assert drawing.width == 480
    if make is bar_chart:
        assert names[0] in texts and names[2] in texts
        assert {"Common premises (Green One UN House)",
                "facility management and security"} <= set(texts)


def test_a_long_bar_chart_continues_over_pdf_pages_to_one_scale():
    from commonops.core.pdf import DocumentStyle, render_document
    from commonops.core.testing import pdf_text

    names = [f"Country team {n}" for n in range(1, 131)]
    chart = bar_chart(title="Cost avoidance by country team", unit="USD", labels=names,
                      series=[Series("Estimated", [n * 1000 for n in range(1, 131)]),
                              Series("Realised", [None] + [n * 900 for n in range(2, 131)])])
    t = DocumentStyle()
    flowable = t.chart(chart, 480)
    parts = flowable.split(480, 700)
    assert len(parts) == 2
    first, rest = parts[0].chart, parts[1].chart
    assert first.labels + rest.labels == names
    assert first.span == rest.span == (0.0, 130_000.0)  # bars comparable across pages
    assert parts[0].wrap(480, 700)[1] <= 700
    two = t.drawing(chart.part(0, 2), 480).height  # room for two categories only
    assert flowable.split(480, two) == []  # the chart starts on the next page
    end = t.chart(chart.part(126), 480)  # four categories: not three and one
    assert end.split(480, t.drawing(chart.part(126, 129), 480).height) == []
    six = t.chart(chart.part(124), 480)  # six: three and three
    assert [len(p.chart.labels) for p in six.split(480, t.drawing(
        chart.part(124, 129), 480).height)] == [3, 3]
    words = pdf_text(render_document(t, [flowable], title="t", author="a", footer="f"))
    assert words.count("Cost avoidance by country team (USD)") >= 5  # on every page
    assert all(f"{name} " in words for name in names)
    assert "Country team 1 1,000 – Country team 2 2,000 1,800" in words  # a gap: a dash


def test_a_part_of_a_chart_keeps_its_series_and_unit():
    chart = bar_chart(title="Savings", unit="%", labels=["A", "B", "C"],
                      series=[Series("Rate", [5, 12, -3])])
    part = chart.part(1)
    assert (part.labels, [list(s.values) for s in part.series]) == (["B", "C"], [[12, -3]])
    assert part.unit == "%" and part.span == (-3.0, 12.0)
