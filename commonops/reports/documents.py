"""Management reports as documents (country annual report, regional, global and agency
reports) and their three renderings besides the page: PDF (house style, `core.pdf`), XLSX
(`core.spreadsheets`) and CSV for one table.

A section's chart is one `core.charts` chart: the page shows it as SVG, the PDF draws the
same chart with `DocumentStyle.chart`, so both show the same title, categories and values.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from commonops.core import display
from commonops.core.pdf import GRID, MARGIN, DocumentStyle, render_document
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
    """A section's table in the house style (`DocumentStyle.table`: figures right-aligned
    and never wrapped), its total row in bold under a rule."""
    def cell(c: s.Cell, bold=False):
        return t.para(c.text, t.cell_bold if bold else t.cell)

    rows = [[t.para(h, t.cell_bold) for h in table.headers]]
    rows += [[cell(c) for c in row] for row in table.rows]
    if table.footer:
        rows.append([cell(c, bold=True) for c in table.footer])
    if len(rows) == 1:
        rows.append([t.para(_("Nothing to show."), t.cell)] + [""] * (len(table.headers) - 1))
    pdf = t.table(rows, _widths(table, width))
    if table.footer:
        pdf.setStyle([("LINEABOVE", (0, -1), (-1, -1), 0.8, GRID)])
    return pdf


def render_pdf(document: s.Document, *, progress=None) -> bytes:
    """The document as PDF. `progress(done, total)` is called after each section."""
    t = DocumentStyle()
    pagesize = landscape(A4) if document.landscape else A4
    width = pagesize[0] - 2 * MARGIN
    story = [t.para(document.title, t.title), t.para(document.subtitle, t.subtitle)]
    for number, section in enumerate(document.sections, start=1):
        story.append(t.para(section.title, t.heading))
        story.append(_pdf_table(t, section.table, width))
        if section.note:
            story.append(t.para(section.note, t.body))
        if section.chart is not None:
            story.append(Spacer(1, 0.3 * cm))
            story.append(t.chart(section.chart, min(width, 17 * cm)))
        if progress is not None:
            progress(number, len(document.sections))
    stamp = display.day(timezone.localdate())
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
