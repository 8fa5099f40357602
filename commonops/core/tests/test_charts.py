"""Charts are self-contained SVG that say their numbers to people who cannot see them."""

import re
from decimal import Decimal
from xml.etree import ElementTree

from commonops.core.charts import Series, bar_chart, cumulative, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_line_chart_is_valid_svg_with_a_title_and_its_values_described():
    svg = line_chart(title="Cost avoidance", labels=["2024", "2025"], unit="USD",
                     series=[Series("Target", [100, 200]), Series("Actual", [90, None])])
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Cost avoidance"
    assert "Target (USD) — 2024: 100, 2025: 200" in desc.text
    assert "Actual (USD) — 2024: 90, 2025: –" in desc.text
    # a gap: the actual line has one point, drawn as a one-point polyline
    assert len(root.findall(f"{SVG}polyline")) == 2


def test_two_charts_on_one_page_have_different_ids():
    first = line_chart(title="a", labels=["x"], series=[Series("s", [1])])
    second = bar_chart(title="b", labels=["x"], series=[Series("s", [1])])
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 4


def test_bar_heights_are_proportional_and_negative_bars_hang_below_zero():
    svg = bar_chart(title="Net", labels=["1", "2", "3"],
                    series=[Series("Net", [Decimal("100"), Decimal("-50"), Decimal("50")])])
    rects = ElementTree.fromstring(svg).findall(f"{SVG}rect")
    heights = [float(r.get("height")) for r in rects]
    assert abs(heights[0] - 2 * heights[2]) < 0.2
    assert abs(heights[1] - heights[2]) < 0.2
    zero = float(rects[0].get("y")) + heights[0]
    assert abs(float(rects[1].get("y")) - zero) < 0.2  # the negative bar starts at zero


def test_empty_chart_still_renders():
    ElementTree.fromstring(line_chart(title="Nothing yet", labels=[], series=[]))


def test_titles_are_escaped():
    svg = line_chart(title="<script>", labels=["a&b"], series=[Series("x<y", [1])])
    assert "<script>" not in svg
    ElementTree.fromstring(svg)


def test_cumulative_runs_the_total_and_treats_gaps_as_nothing():
    assert cumulative([Decimal("-100"), None, Decimal("60"), 70]) == [
        Decimal("-100"), Decimal("-100"), Decimal("-40"), Decimal("30")]


def test_axis_labels_are_round_numbers_that_cover_the_data():
    svg = line_chart(title="Compliance", labels=["Jan", "Feb"],
                     series=[Series("First response", [Decimal("92.4"), Decimal("99.4")])])
    labels = [t.text for t in ElementTree.fromstring(svg).findall(f"{SVG}text")
              if t.get("text-anchor") == "end"]
    assert labels == ["0", "25", "50", "75", "100"]
