"""The dashboards and management reports as sections: each a table of figures (every cell
knowing how to show itself and, on the page, the rows behind it) and a chart of the same
numbers (a `core.charts` chart: inline SVG on the page, a reportlab drawing in the PDF). The
page, the PDF, the XLSX workbook and the CSV exports are all drawn from these sections, so
they always agree.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonops.core import charts, display
from commonops.reports import rules
from commonops.reports.queries import AREAS

MONTHS = [gettext_lazy("Jan"), gettext_lazy("Feb"), gettext_lazy("Mar"), gettext_lazy("Apr"),
          gettext_lazy("May"), gettext_lazy("Jun"), gettext_lazy("Jul"), gettext_lazy("Aug"),
          gettext_lazy("Sep"), gettext_lazy("Oct"), gettext_lazy("Nov"), gettext_lazy("Dec")]


@dataclass
class Cell:
    """One figure: its value, how it reads, and where its rows are."""

    value: object = None
    kind: str = "text"  # text, name (a name that never wraps), money, percent, count,
    # number (a decimal), yesno
    url: str = ""
    id: str = ""  # an element id on the page, for the figures people look for
    flag: str = ""  # "ok" or "bad": target met or not

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "percent", "count", "number")

    @property
    def text(self) -> str:
        if self.value is None:
            return display.DASH
        if self.kind == "money":
            return display.money(self.value)
        if self.kind == "percent":
            return display.percent(self.value)
        if self.kind == "count":
            return display.number(int(self.value))
        if self.kind == "number":
            return display.number(self.value)
        if self.kind == "yesno":
            return _("Yes") if self.value else _("No")
        return str(self.value)

    def html(self, marks: dict) -> str:
        """The table cell as HTML, drawn here rather than by a template include or
        format_html: a page of 130 country teams has a couple of thousand cells. Every
        value is escaped; `marks` holds the symbol and words after a met/missed figure."""
        # figures are digits, separators and signs: nothing to escape
        text = self.text if self.numeric else escape(self.text)
        if self.url:
            anchor = f' id="{escape(self.id)}"' if self.id else ""
            value = f'<a href="{escape(self.url)}"{anchor}>{text}</a>'
        elif self.id:
            value = f'<span id="{escape(self.id)}">{text}</span>'
        else:
            value = text
        if self.flag in marks:
            symbol, words = marks[self.flag]
            value += (f' <span class="mark {self.flag}" title="{words}">{symbol}'
                      f'<span class="visually-hidden">{words}</span></span>')
        if self.numeric:
            return f'<td class="num">{value}</td>'
        return f'<td class="name">{value}</td>' if self.kind == "name" else f"<td>{value}</td>"

    @property
    def plain(self):
        """The value for a spreadsheet: numbers stay numbers."""
        if self.kind == "yesno":
            return None if self.value is None else bool(self.value)
        if self.numeric or self.value is None:
            return self.value
        return str(self.value)


def money(value, url="", id="", flag=""):
    return Cell(value, "money", url, id, flag)


def pct(value, url="", id="", flag=""):
    return Cell(value, "percent", url, id, flag)


def count(value, url="", id="", flag=""):
    return Cell(value, "count", url, id, flag)


def text(value, url="", id="", flag=""):
    return Cell(value, "text", url, id, flag)


def name(value, url="", id=""):
    return Cell(value, "name", url, id)


# B8 in a few words, for tables with many columns
TYPOLOGY_SHORT = {"small": gettext_lazy("Small"), "medium": gettext_lazy("Medium"),
                  "large": gettext_lazy("Large")}


def _marks() -> dict:
    return {"ok": ("✓", escape(_("Target met"))), "bad": ("✗", escape(_("Target not met")))}


@dataclass
class Table:
    key: str  # names the CSV download and the XLSX sheet
    headers: list[str]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    sort_keys: list[str | None] = field(default_factory=list)  # sortable columns
    row_keys: list[int] = field(default_factory=list)  # ids for the compare boxes
    header_urls: list[str] = field(default_factory=list)  # sort links, set by the page

    @property
    def columns(self) -> list[tuple[str, str, bool]]:
        """(header, sort link, numeric) for each column."""
        cells = self.rows + ([self.footer] if self.footer else [])
        urls = self.header_urls + [""] * (len(self.headers) - len(self.header_urls))
        return [(header, urls[i], any(row[i].numeric for row in cells))
                for i, header in enumerate(self.headers)]

    def html_rows(self, *, selectable: bool = False):
        """The body rows as HTML, each cell drawn by `Cell.html`; with `selectable`, a
        "compare" box first (rows of country teams)."""
        marks = _marks()
        keys = self.row_keys + [None] * (len(self.rows) - len(self.row_keys))
        compare = escape(_("Compare"))
        out = []
        for key, row in zip(keys, self.rows, strict=True):
            box = (f'<td><input type="checkbox" name="country" value="{int(key)}" '
                   f'id="compare-{int(key)}" aria-label="{compare} {escape(row[1].text)}">'
                   f'</td>') if selectable and key is not None else ""
            out.append(f"<tr>{box}{''.join(c.html(marks) for c in row)}</tr>")
        return mark_safe("\n".join(out))

    def html_footer(self, *, selectable: bool = False):
        if not self.footer:
            return ""
        box = "<td></td>" if selectable else ""
        return mark_safe(f'<tr class="total">{box}'
                         f'{"".join(c.html(_marks()) for c in self.footer)}</tr>')


@dataclass
class Section:
    key: str  # the section's anchor on the page
    title: str
    table: Table
    chart: charts.Chart | None = None
    note: str = ""


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]
    filename: str
    landscape: bool = False


_PATTERNS: dict = {}


def _url(name, *args, **query) -> str:
    """reverse() with a query string; the path of a name is resolved once per process
    (pages of 130 country teams link every row)."""
    key = (name, len(args))
    if key not in _PATTERNS:
        marker = 987654321
        _PATTERNS[key] = reverse(name, args=[marker] * len(args)).replace(str(marker), "{}")
    path = _PATTERNS[key].format(*(int(a) for a in args))
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return path + (f"?{urlencode(query)}" if query else "")


def _flag(met: bool | None) -> str:
    if met is None:
        return ""
    return "ok" if met else "bad"


# --- the country dashboard and annual report -------------------------------------------------


def country_sections(d, *, bos_by_year: dict) -> list[Section]:
    """The country dashboard (`queries.CountryDashboard`) as sections. `bos_by_year` maps a
    year to the BOS covering it, for the links to the BOS's annual report and results."""
    c, y = d.country, d.year
    sections = []

    def bos_links(year):
        bos = bos_by_year.get(year)
        if bos is None:
            return "", ""
        return (_url("bos:report", bos.pk, year=year),
                _url("bos:annualresult_list", bos=bos.pk, year=year))

    rows = []
    for row in d.years:
        estimated_url, realised_url = bos_links(row.key)
        rows.append([text(row.label), money(row.estimated, estimated_url),
                     money(row.realised, realised_url),
                     pct(rules.percent(row.realised, row.estimated)
                         if row.estimated > 0 else None)])
    estimated_url, realised_url = bos_links(y)
    sections.append(Section(
        "cost-avoidance", _("Cost avoidance by year (USD)"),
        Table("cost-avoidance-years", [_("Year"), _("Estimated"), _("Realised"),
                                       _("Realised ÷ estimated")], rows),
        charts.column_chart(
            title=_("Estimated and realised cost avoidance by year"), unit="USD",
            labels=[r.label for r in d.years],
            series=[charts.Series(_("Estimated"), [r.estimated for r in d.years]),
                    charts.Series(_("Realised"), [r.realised for r in d.years])]),
        _("Estimated: the CBA net benefit of the year for each selected service in its first "
          "four years of joint implementation; realised: what the agencies reported.")))

    bos = bos_by_year.get(y)
    lines = [line for line in d.lines if line.estimated or line.realised]
    rows = [[text(line.label),
             money(line.estimated, _url("bos:opportunity_list", bos=bos.pk,
                                        service_line=line.key, selected="true")
                   if bos else ""),
             money(line.realised, realised_url)] for line in lines]
    sections.append(Section(
        "service-lines", _("Cost avoidance by service line, %(year)s (USD)") % {"year": y},
        Table("cost-avoidance-lines", [_("Service line"), _("Estimated"), _("Realised")], rows,
              footer=[text(_("Total")), money(d.estimated, estimated_url, "total-estimated"),
                      money(d.realised, realised_url, "total-realised")]),
        charts.bar_chart(
            title=_("Cost avoidance by service line, %(year)s") % {"year": y}, unit="USD",
            labels=[line.label for line in lines],
            series=[charts.Series(_("Estimated"), [line.estimated for line in lines]),
                    charts.Series(_("Realised"), [line.realised for line in lines])])))

    indicators = _url("results:indicator_list", country=c.pk)
    labels = dict(AREAS)
    rows = [[text(_(labels[a.key]), indicators), count(a.met, indicators, flag="ok"),
             count(a.progress, indicators), count(a.not_met, indicators, flag="bad"),
             count(a.no_data, indicators), count(a.not_applicable, indicators),
             count(a.total, indicators)] for a in d.kpis]
    sections.append(Section(
        "kpis", _("KPI status, %(year)s") % {"year": y},
        Table("kpi-status", [_("Area"), _("Target met"), _("Progress"), _("Not met"),
                             _("No data"), _("Not applicable"), _("KPIs")], rows),
        charts.bar_chart(
            title=_("KPI status by area, %(year)s") % {"year": y}, unit=_("KPIs"),
            labels=[_(labels[a.key]) for a in d.kpis],
            series=[charts.Series(_("Target met"), [a.met for a in d.kpis]),
                    charts.Series(_("Progress"), [a.progress for a in d.kpis]),
                    charts.Series(_("Not met"), [a.not_met for a in d.kpis]),
                    charts.Series(_("No data"), [a.no_data for a in d.kpis]),
                    charts.Series(_("Not applicable"),
                                  [a.not_applicable for a in d.kpis])]),
        _("A yearly KPI counts with its status for the year; a monthly one with its latest "
          "month of the year that has an actual.")))

    budgets = _url("commonservices:budgetline_list", country=c.pk, year=y)
    spent = _url("commonservices:expenditure_list", country=c.pk, year=y)
    surveys = _url("surveys:survey_list", country=c.pk, year=y, status="closed")
    catalogue = _url("commonservices:service_list", country=c.pk)
    rows = [
        [text(_("Services in the catalogue")), count(d.catalogue, catalogue, "catalogue")],
        [text(_("New services this year")),
         count(d.new_services, catalogue, "new-services",
               _flag(d.expansion_met))],
        [text(_("Budget (USD)")), money(d.budget, budgets, "budget")],
        [text(_("Expenditure (USD)")), money(d.expenditure, spent, "expenditure")],
        [text(_("Budget executed")), pct(d.execution, spent, "execution",
                                         "bad" if d.variance.flagged else "")],
        [text(_("Client satisfaction (4–5 scores)")),
         pct(d.service_satisfaction, surveys, "service-satisfaction")],
        [text(_("Scores given")), count(d.service_ratings, surveys)],
    ]
    sections.append(Section(
        "common-services", _("Common services, %(year)s") % {"year": y},
        Table("common-services", [_("Figure"), _("Value")], rows),
        charts.bar_chart(
            title=_("Common-services budget and expenditure, %(year)s") % {"year": y},
            unit="USD", labels=[_("Budget"), _("Expenditure")],
            series=[charts.Series(_("Amount"), [d.budget, d.expenditure])]),
        _("Three or more new services in a year count towards the expansion target (H1). "
          "A deviation of more than %(limit)s%% from the budget is flagged (S3).") % {
            "limit": 2}))

    desk = _url("servicedesk:kpis", year=y)
    k = d.desk
    rows = [
        [text(_("Tickets opened")), count(k.opened, desk, "desk-opened")],
        [text(_("Tickets resolved")), count(k.resolved, desk, "desk-resolved")],
        [text(_("First responses on time")), pct(k.first_response_compliance, desk)],
        [text(_("Resolutions on time")), pct(k.resolution_compliance, desk, "desk-on-time")],
        [text(_("Median business hours to resolve")),
         Cell(None if k.median_hours is None else Decimal(str(k.median_hours)).quantize(
             Decimal("0.1")), "number", desk)],
        [text(_("Reopen rate")), pct(k.reopen_rate, desk)],
        [text(_("Satisfied requesters (4–5)")), pct(k.satisfaction, desk)],
        [text(_("Open tickets now")), count(d.backlog, _url("servicedesk:queue"))],
    ]
    sections.append(Section(
        "desk", _("Service desk, %(year)s") % {"year": y},
        Table("service-desk", [_("Figure"), _("Value")], rows),
        charts.bar_chart(
            title=_("Service desk: on time and satisfied, %(year)s") % {"year": y}, unit="%",
            labels=[_("First responses on time"), _("Resolutions on time"),
                    _("Satisfied requesters (4–5)")],
            series=[charts.Series(_("Share"), [k.first_response_compliance,
                                               k.resolution_compliance, k.satisfaction])])))

    o = d.omt
    meetings = _url("governance:meeting_list", country=c.pk, year=y, status="held")
    late = _url("governance:meeting_list", country=c.pk, year=y, agenda_late="true")
    all_meetings = _url("governance:meeting_list", country=c.pk, year=y)
    overdue = _url("governance:action_list", country=c.pk, state="overdue")
    rows = [[text(str(MONTHS[m])), count(n, meetings)]
            for m, n in enumerate(o.meetings_per_month)]
    footer = [text(_("Meetings held")), count(o.held, meetings, "meetings-held")]
    sections.append(Section(
        "omt-meetings", _("OMT meetings held per month, %(year)s") % {"year": y},
        Table("omt-meetings", [_("Month"), _("Meetings held")], rows, footer=footer),
        charts.column_chart(
            title=_("OMT meetings held per month, %(year)s") % {"year": y},
            unit=_("meetings"), labels=[str(m) for m in MONTHS],
            series=[charts.Series(_("Meetings held"), o.meetings_per_month)]),
        _("At least one meeting each month (G3).")))
    rows = [
        [text(_("Months without a meeting")),
         count(o.months_without_meeting, meetings, flag="bad" if o.months_without_meeting
               else "ok")],
        [text(_("Agendas sent")), count(o.agendas_sent, all_meetings)],
        [text(_("Agendas sent on time")), count(o.agendas_on_time, late, "agendas-on-time"),
         pct(rules.percent(o.agendas_on_time, o.agendas_sent))],
        [text(_("Meetings with quorum")), count(o.quorate, meetings, "quorate"),
         pct(rules.percent(o.quorate, o.held))],
        [text(_("Minutes circulated")), count(o.minutes_circulated, all_meetings)],
        [text(_("Minutes circulated on time")),
         count(o.minutes_on_time, all_meetings, "minutes-on-time"),
         pct(rules.percent(o.minutes_on_time, o.minutes_circulated))],
        [text(_("Actions overdue today")),
         count(o.overdue_actions, overdue, "overdue-actions",
               "bad" if o.overdue_actions else "ok")],
    ]
    for row in rows:
        row.extend([Cell()] * (3 - len(row)))
    sections.append(Section(
        "omt-health", _("OMT health, %(year)s") % {"year": y},
        Table("omt-health", [_("Figure"), _("Number"), _("Share")], rows),
        charts.bar_chart(
            title=_("OMT meetings, agendas and minutes on time, %(year)s") % {"year": y},
            unit=_("meetings"),
            labels=[_("Meetings held"), _("Agendas sent on time"), _("Meetings with quorum"),
                    _("Minutes circulated on time")],
            series=[charts.Series(_("Meetings"), [o.held, o.agendas_on_time, o.quorate,
                                                  o.minutes_on_time])]),
        _("Agendas three working days ahead (G4), quorum of more than half the members (G5), "
          "minutes circulated within seven days (G6).")))

    sections.append(_savings_section(
        d.savings, d.savings_totals, year=y,
        baseline_url=lambda a: _url("reports:adminbudget_list", country=c.pk, year=y,
                                    agency=a.pk),
        realised_url=realised_url))
    return sections


def _agency_name(agency) -> str:
    """An agency as a chart names it: the acronym people use, then the full name."""
    if not agency.name or agency.name == agency.acronym:
        return agency.acronym
    return f"{agency.acronym} — {agency.name}"


def _savings_section(agencies, totals, *, year, baseline_url, realised_url="") -> Section:
    """H2 per agency against the 10% target."""
    rows = []
    for a in agencies:
        rows.append([name(a.agency.acronym), money(a.realised_with_baseline, realised_url),
                     money(a.baseline, baseline_url(a.agency)),
                     pct(a.rate, flag=_flag(a.met) if a.rate is not None else ""),
                     money(a.without_baseline)])
    footer = [text(_("All agencies")),
              money(totals.realised_with_baseline, id="savings-realised"),
              money(totals.baseline, id="savings-baseline"),
              pct(totals.savings_rate, id="savings-rate",
                  flag=_flag(totals.savings_met) if totals.savings_rate is not None else ""),
              money(totals.realised - totals.realised_with_baseline)]
    return Section(
        "savings", _("Savings per agency against the %(target)s%% target, %(year)s") % {
            "target": rules.SAVINGS_TARGET, "year": year},
        Table("savings", [_("Agency"), _("Realised cost avoidance"),
                          _("Administrative budget"), _("Savings rate"),
                          _("Realised without a baseline")], rows, footer=footer),
        charts.bar_chart(
            title=_("Savings rate per agency, %(year)s") % {"year": year}, unit="%",
            labels=[_agency_name(a.agency) for a in agencies],
            series=[charts.Series(_("Savings rate"), [a.rate for a in agencies])]),
        _("Savings rate = realised cost avoidance ÷ the agency's administrative budget, in the "
          "countries where it has one for the year (H2). An agency without a budget for the "
          "year has no rate: enter it under Administrative budgets."))


# --- the regional and HQ pages and reports ---------------------------------------------------


COUNTRY_HEADERS = [
    (None, gettext_lazy("Rank")), ("name", gettext_lazy("Country team")),
    (None, gettext_lazy("Region")), (None, gettext_lazy("Typology")),
    (None, gettext_lazy("BOS stage")), ("catalogue", gettext_lazy("Services")),
    ("new", gettext_lazy("New")), ("estimated", gettext_lazy("Estimated cost avoidance")),
    ("realised", gettext_lazy("Realised cost avoidance")),
    ("baseline", gettext_lazy("Administrative budgets")),
    ("savings", gettext_lazy("Savings rate")), ("desk", gettext_lazy("Desk: resolved on time")),
]


def _figures_cells(f, *, year, dashboard="", catalogue="", baselines="", ids=("", "", "")):
    return [
        count(f.catalogue, catalogue),
        count(f.new_services, catalogue,
              flag="ok" if f.new_services >= rules.EXPANSION_SERVICES else ""),
        money(f.estimated, dashboard and dashboard + "#cost-avoidance", ids[0]),
        money(f.realised, dashboard and dashboard + "#cost-avoidance", ids[1]),
        money(f.baseline, baselines),
        pct(f.savings_rate, dashboard and dashboard + "#savings", ids[2],
            _flag(f.savings_met) if f.savings_rate is not None else ""),
        pct(f.resolution_on_time, dashboard and dashboard + "#desk"),
    ]


def countries_section(o, *, links=True) -> Section:
    rows, keys = [], []
    for r in o.rows:
        c = r.country
        dashboard = _url("reports:country", c.pk, year=o.year) if links else ""
        rows.append([
            count(r.rank), name(c.name, dashboard), text(c.region.name),
            text(TYPOLOGY_SHORT.get(c.typology, c.typology)),
            text(r.bos_stage, _url("bos:bos_detail", r.bos_pk)
                                                 if links and r.bos_pk else ""),
            *_figures_cells(r, year=o.year, dashboard=dashboard,
                            catalogue=_url("commonservices:service_list", country=c.pk)
                            if links else "",
                            baselines=_url("reports:adminbudget_list", country=c.pk,
                                           year=o.year) if links else ""),
        ])
        keys.append(c.pk)
    footer = [Cell(), text(_("Total")), Cell(), Cell(), Cell(),
              *_figures_cells(o.totals, year=o.year,
                              ids=("total-estimated", "total-realised", "total-savings-rate"))]
    shown = o.rows[:30]
    return Section(
        "countries", _("Country teams, %(year)s") % {"year": o.year},
        Table("countries", [str(label) for _k, label in COUNTRY_HEADERS], rows, footer=footer,
              sort_keys=[k for k, _l in COUNTRY_HEADERS], row_keys=keys),
        charts.bar_chart(
            title=_("Cost avoidance by country team, %(year)s") % {"year": o.year},
            unit="USD", labels=[r.country.name for r in shown],
            series=[charts.Series(_("Estimated"), [r.estimated for r in shown]),
                    charts.Series(_("Realised"), [r.realised for r in shown])]),
        _("Rank follows the column the table is sorted by. The chart shows the first 30 rows "
          "of the table.") if len(o.rows) > 30 else
        _("Rank follows the column the table is sorted by."))


def regions_section(o, *, links=True) -> Section:
    rows = []
    for r in o.regions:
        page = _url("reports:region", r.region.pk, year=o.year) if links else ""
        rows.append([name(r.region.name, page), count(r.countries), count(r.signed_off),
                     count(r.expansion.count, flag="ok" if r.expansion.count else ""),
                     *_figures_cells(r, year=o.year)])
    return Section(
        "regions", _("Regions, %(year)s") % {"year": o.year},
        Table("regions", [_("Region"), _("Country teams"), _("BOS signed off"),
                          _("Countries with 3+ new services"), _("Services"), _("New"),
                          _("Estimated cost avoidance"), _("Realised cost avoidance"),
                          _("Administrative budgets"), _("Savings rate"),
                          _("Desk: resolved on time")], rows),
        charts.bar_chart(
            title=_("Cost avoidance by region, %(year)s") % {"year": o.year}, unit="USD",
            labels=[r.region.name for r in o.regions],
            series=[charts.Series(_("Estimated"), [r.estimated for r in o.regions]),
                    charts.Series(_("Realised"), [r.realised for r in o.regions])]))


def expansion_section(o) -> Section:
    rows = []
    for e in o.expansion:
        x, cum = e.expansion, e.cumulative
        rows.append([text(str(x.year)), count(x.count, flag=_flag(x.met)),
                     Cell(x.met, "yesno", flag=_flag(x.met)),
                     text(", ".join(x.countries) or "—"),
                     count(cum.countries), count(cum.target),
                     Cell(cum.met, "yesno", flag=_flag(cum.met))])
    now = o.this_year.expansion
    return Section(
        "expansion", _("Expansion: countries launching 3 or more new services"),
        Table("expansion", [_("Year"), _("Countries"), _("10 or more"), _("Which"),
                            _("Since the first year shown"), _("Target"), _("Target met")],
              rows, footer=[text(str(now.year)), count(now.count, id="expansion-count"),
                            Cell(now.met, "yesno"), Cell(), Cell(), Cell(), Cell()]),
        charts.line_chart(
            title=_("Countries launching 3 or more new services per year"),
            unit=_("country teams"), labels=[str(e.expansion.year) for e in o.expansion],
            series=[charts.Series(_("Countries"), [e.expansion.count for e in o.expansion]),
                    charts.Series(_("Target"),
                                  [rules.EXPANSION_COUNTRIES] * len(o.expansion))]),
        _("H1: each year at least 10 countries launch at least 3 new common services each; "
          "cumulatively, 10 more countries for every year shown."))


def typology_section(o) -> Section:
    rows = [[text(label), count(n)] for _v, label, n in o.typology]
    rows += [[text(_("BOS: %(stage)s") % {"stage": label}), count(n)]
             for _v, label, n in o.stages]
    return Section(
        "typology", _("Typology and BOS stage"),
        Table("typology", [_("Group"), _("Country teams")], rows),
        charts.bar_chart(
            title=_("Country teams by typology"), unit=_("country teams"),
            labels=[label for _v, label, _n in o.typology],
            series=[charts.Series(_("Country teams"), [n for _v, _l, n in o.typology])]))


def overview_sections(o, *, hq: bool, links=True) -> list[Section]:
    sections = [countries_section(o, links=links)]
    if hq:
        sections.append(regions_section(o, links=links))
    sections.append(expansion_section(o))
    sections.append(_savings_section(
        o.agencies, o.totals, year=o.year,
        baseline_url=lambda a: _url("reports:agency", a.pk, year=o.year) if links else ""))
    sections.append(typology_section(o))
    return sections


# --- the agency view -------------------------------------------------------------------------


def agency_sections(a, *, links=True) -> list[Section]:
    rows = []
    for r in a.rows:
        c = r.country
        dashboard = _url("reports:country", c.pk, year=a.year) if links else ""
        rows.append([
            name(c.name, dashboard), text(c.region.name), text(r.presence),
            money(r.shares, _url("commonservices:statement", a.agency.pk, a.year)
                  if links else ""),
            money(r.paid, _url("commonservices:payment_list", country=c.pk,
                               agency=a.agency.pk, year=a.year) if links else ""),
            money(r.realised, dashboard and dashboard + "#savings"),
            money(r.baseline, _url("reports:adminbudget_list", country=c.pk,
                                   agency=a.agency.pk, year=a.year) if links else ""),
            pct(r.rate, flag=_flag(r.met) if r.rate is not None else "")])
    footer = [text(_("Total")), Cell(), Cell(), money(a.shares, id="agency-shares"),
              money(a.paid, id="agency-paid"), money(a.realised, id="agency-realised"),
              money(a.baseline, id="agency-baseline"),
              pct(a.rate, id="agency-rate", flag=_flag(a.met) if a.rate is not None else "")]
    with_figures = [r for r in a.rows if r.shares or r.realised][:30]
    return [Section(
        "agency", _("%(agency)s in each country team, %(year)s") % {
            "agency": a.agency.acronym, "year": a.year},
        Table("agency", [_("Country team"), _("Region"), _("Presence"),
                         _("Shares of common services"), _("Paid"),
                         _("Realised cost avoidance"), _("Administrative budget"),
                         _("Savings rate")], rows, footer=footer),
        charts.bar_chart(
            title=_("%(agency)s: shares paid and savings by country, %(year)s") % {
                "agency": a.agency.acronym, "year": a.year},
            unit="USD", labels=[r.country.name for r in with_figures],
            series=[charts.Series(_("Shares of common services"),
                                  [r.shares for r in with_figures]),
                    charts.Series(_("Realised cost avoidance"),
                                  [r.realised for r in with_figures])]),
        _("The total savings rate counts only the countries where the agency has an "
          "administrative budget for the year (H2)."))]
