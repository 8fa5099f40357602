"""Management reports as documents (country annual report, regional, global and agency
reports) and their three renderings besides the page: PDF (house style, `core.pdf`), XLSX
(`core.spreadsheets`) and CSV for one table.

A chart in the PDF is the very SVG of the page (`core.charts`), redrawn with reportlab
shapes by `svg_drawing`, so page and PDF show the same picture.
"""

import csv
import io
import re
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from commonops.core.pdf import GRID, SHADE, DocumentStyle, render_document
from commonops.core.spreadsheets import Sheet, xlsx_bytes
from commonops.reports import sections as s

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"


# --- the four reports ------------------------------------------------------------------------


def country_document(dashboard, *, bos_by_year) -> s.Document:
    c = dashboard.country
    return s.Document(
        title=_("Country annual report %(year)s") % {"year": dashboard.year},
        subtitle=f"{c.name} — {c.region.name}",
        sections=s.country_sections(dashboard, bos_by_year=bos_by_year),
        filename=f"country-report-{c.iso_code}-{dashboard.year}")


def region_document(overview) -> s.Document:
    region = overview.region
    return s.Document(
        title=_("Regional report %(year)s") % {"year": overview.year},
        subtitle=region.name, sections=s.overview_sections(overview, hq=False, links=False),
        filename=f"regional-report-{region.code}-{overview.year}", landscape=True)


def global_document(overview) -> s.Document:
    return s.Document(
        title=_("Global report %(year)s") % {"year": overview.year},
        subtitle=_("All country teams"),
        sections=s.overview_sections(overview, hq=True, links=False),
        filename=f"global-report-{overview.year}", landscape=True)


def agency_document(agency_overview) -> s.Document:
    a = agency_overview.agency
    return s.Document(
        title=_("Agency report %(year)s") % {"year": agency_overview.year},
        subtitle=f"{a.acronym} — {a.name}", sections=s.agency_sections(agency_overview,
                                                                      links=False),
        filename=f"agency-report-{slugify(a.acronym)}-{agency_overview.year}", landscape=True)


def build(kind: str, *, user, year: int, country=None, region=None, agency=None
          ) -> s.Document:
    """The report of `kind` for `year`, with what `user` may see (the caller has checked
    that they may see the report at all)."""
    from commonops.reports import queries
    from commonops.reports.models import ReportKind

    if kind == ReportKind.COUNTRY:
        dashboard = queries.country_dashboard(country, year=year)
        return country_document(dashboard, bos_by_year=queries.bos_by_year(
            country, [row.key for row in dashboard.years]))
    if kind == ReportKind.REGION:
        return region_document(queries.overview(queries.comparable_countries(user),
                                                year=year, region=region))
    if kind == ReportKind.GLOBAL:
        return global_document(queries.overview(queries.comparable_countries(user),
                                                year=year, sort="name"))
    if kind == ReportKind.AGENCY:
        return agency_document(queries.agency_overview(queries.comparable_countries(user),
                                                       agency=agency, year=year))
    raise ValueError(f"unknown report {kind!r}")


# --- SVG charts redrawn in the PDF -----------------------------------------------------------


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _colour(value):
    if not value or value == "none":
        return None
    return colors.HexColor(value) if value.startswith("#") else colors.toColor(value)


def _dashes(value):
    numbers = [float(n) for n in re.split(r"[\s,]+", value or "") if n]
    return numbers or None


def _float(element, name, default=0.0) -> float:
    try:
        return float(element.get(name, default))
    except ValueError:
        return default


def _path_points(d: str) -> list[tuple[float, float]]:
    """The points of a path made of straight segments (M, L, H, V, Z; absolute)."""
    points, x, y = [], 0.0, 0.0
    for command, args in re.findall(r"([MLHVZmlhvz])([^MLHVZmlhvz]*)", d or ""):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+(?:e-?\d+)?", args)]
        if command in "ML":
            for i in range(0, len(numbers) - 1, 2):
                x, y = numbers[i], numbers[i + 1]
                points.append((x, y))
        elif command == "H" and numbers:
            x = numbers[-1]
            points.append((x, y))
        elif command == "V" and numbers:
            y = numbers[-1]
            points.append((x, y))
        elif command in "Zz" and points:
            points.append(points[0])
    return points


def svg_drawing(svg: str, *, width: float, font: str = "Helvetica") -> Drawing:
    """The SVG of a `core.charts` chart as a reportlab Drawing `width` points wide: lines,
    polylines, paths of straight segments, rectangles, circles and text, at the same
    places, in the same colours and dash patterns."""
    root = ElementTree.fromstring(str(svg))
    _x0, _y0, view_w, view_h = (float(n) for n in root.get("viewBox").split())
    scale = width / view_w
    group = Group()

    def y(value):  # SVG counts down from the top, PDF up from the bottom
        return view_h - value

    def walk(element):
        for child in element:
            tag = _tag(child)
            stroke = _colour(child.get("stroke"))
            stroke_width = _float(child, "stroke-width", 1.0)
            dashes = _dashes(child.get("stroke-dasharray"))
            fill = _colour(child.get("fill"))
            if tag == "g":
                walk(child)
            elif tag == "line":
                group.add(Line(_float(child, "x1"), y(_float(child, "y1")), _float(child, "x2"),
                               y(_float(child, "y2")), strokeColor=stroke,
                               strokeWidth=stroke_width, strokeDashArray=dashes))
            elif tag in ("polyline", "path"):
                if tag == "polyline":
                    numbers = [float(n) for n in re.split(r"[\s,]+", child.get("points", ""))
                               if n]
                    points = list(zip(numbers[::2], numbers[1::2], strict=False))
                else:
                    points = _path_points(child.get("d"))
                flat = [v for px, py in points for v in (px, y(py))]
                if len(flat) >= 4:
                    group.add(PolyLine(flat, strokeColor=stroke or fill,
                                       strokeWidth=stroke_width, strokeDashArray=dashes))
            elif tag == "rect":
                height = _float(child, "height")
                group.add(Rect(_float(child, "x"), y(_float(child, "y") + height),
                               _float(child, "width"), height, fillColor=fill,
                               strokeColor=stroke, strokeWidth=stroke_width if stroke else 0))
            elif tag == "circle":
                group.add(Circle(_float(child, "cx"), y(_float(child, "cy")),
                                 _float(child, "r"), fillColor=fill, strokeColor=stroke))
            elif tag == "text":
                anchor = child.get("text-anchor", "start")
                group.add(String(_float(child, "x"), y(_float(child, "y")),
                                 "".join(child.itertext()), fontName=font,
                                 fontSize=_float(child, "font-size", 11.0),
                                 fillColor=fill or colors.black,
                                 textAnchor=anchor if anchor in ("start", "middle", "end")
                                 else "start"))

    walk(root)
    group.transform = (scale, 0, 0, scale, 0, 0)
    drawing = Drawing(width, view_h * scale)
    drawing.add(group)
    return drawing


def svg_shape_count(svg: str) -> int:
    """How many drawn elements a chart's SVG holds (what `svg_drawing` redraws)."""
    root = ElementTree.fromstring(str(svg))
    return sum(1 for e in root.iter() if _tag(e) in ("line", "polyline", "path", "rect",
                                                     "circle", "text"))


# --- PDF -------------------------------------------------------------------------------------


def _widths(table: s.Table, total: float) -> list[float]:
    """Column widths in proportion to what the columns hold (numbers never wrap)."""
    weights = []
    for i, header in enumerate(table.headers):
        cells = [row[i] for row in table.rows] + ([table.footer[i]] if table.footer else [])
        longest = max([len(c.text) for c in cells if c.numeric] or [0])
        words = max([len(c.text) for c in cells if not c.numeric] or [0])
        weight = max(longest + 1, min(words, 26), min(len(header), 14), 3)
        weights.append(weight)
    scale = total / sum(weights)
    return [w * scale for w in weights]


def _pdf_table(t: DocumentStyle, table: s.Table, width: float):
    def cell(c: s.Cell, bold=False):
        if c.numeric:
            return c.text
        return t.para(c.text, t.cell_bold if bold else t.cell)

    rows = [[t.para(h, t.cell_bold) for h in table.headers]]
    rows += [[cell(c) for c in row] for row in table.rows]
    if table.footer:
        rows.append([cell(c, bold=True) for c in table.footer])
    if len(rows) == 1:
        rows.append([t.para(_("Nothing to show."), t.cell)] + [""] * (len(table.headers) - 1))
    pdf = Table(rows, colWidths=_widths(table, width), repeatRows=1, hAlign="LEFT")
    numeric = [i for i in range(len(table.headers))
               if any(row[i].numeric for row in table.rows + ([table.footer] if table.footer
                                                              else []))]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("FONTNAME", (0, 1), (-1, -1), t.font), ("FONTSIZE", (0, 1), (-1, -1), 8.5),
    ]
    for i in numeric:
        commands.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if table.footer:
        commands.append(("FONTNAME", (0, -1), (-1, -1), t.bold))
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, GRID))
    pdf.setStyle(TableStyle(commands))
    return pdf


def render_pdf(document: s.Document, *, progress=None) -> bytes:
    """The document as PDF. `progress(done, total)` is called after each section."""
    t = DocumentStyle()
    pagesize = landscape(A4) if document.landscape else A4
    width = pagesize[0] - 4 * cm
    story = [t.para(document.title, t.title), t.para(document.subtitle, t.subtitle)]
    for number, section in enumerate(document.sections, start=1):
        story.append(t.para(section.title, t.heading))
        story.append(_pdf_table(t, section.table, width))
        if section.note:
            story.append(t.para(section.note, t.body))
        if section.chart is not None:
            chart = section.chart
            story.append(Spacer(1, 0.2 * cm))
            story.append(KeepTogether([
                t.para(chart.title, t.label),
                svg_drawing(chart.svg(), width=min(width, 17 * cm), font=t.font)]))
        if progress is not None:
            progress(number, len(document.sections))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return render_document(t, story, title=document.title, author="CommonOps",
                           footer=f"{document.title} — {document.subtitle} — {stamp}",
                           pagesize=pagesize)


# --- XLSX and CSV ----------------------------------------------------------------------------


def _formats(table: s.Table) -> dict[int, str]:
    formats = {}
    cells = table.rows + ([table.footer] if table.footer else [])
    for i in range(len(table.headers)):
        kinds = {row[i].kind for row in cells if row[i].value is not None}
        if kinds == {"money"}:
            formats[i] = MONEY_FORMAT
        elif kinds == {"percent"}:
            formats[i] = PERCENT_FORMAT
    return formats


def _plain_rows(table: s.Table) -> list[list]:
    rows = [[c.plain for c in row] for row in table.rows]
    if table.footer:
        rows.append([c.plain for c in table.footer])
    return rows


def render_xlsx(document: s.Document) -> bytes:
    about = Sheet(_("Report"), [_("Report"), _("About")],
                  [[document.title, document.subtitle]]
                  + [[section.title, section.note] for section in document.sections])
    return xlsx_bytes([about] + [
        Sheet(section.title, section.table.headers, _plain_rows(section.table),
              formats=_formats(section.table)) for section in document.sections])


def xlsx_download(document: s.Document, data: bytes | None = None) -> HttpResponse:
    from commonops.core.spreadsheets import XLSX_TYPE

    response = HttpResponse(data if data is not None else render_xlsx(document),
                            content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}.xlsx"'
    return response


def pdf_download(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def csv_download(section: s.Section, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(section.table.headers)
    for row in _plain_rows(section.table):
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="{filename}-'
                                       f'{section.table.key}.csv"')
    return response
