"""{% bos_kpi_progress country today %}: the BOS KPIs' progress this year, for the standing
OMT item of the UNCT meeting (a small include on the governance page)."""

from django import template

from commonops.workplans.reports import bos_kpi_progress as kpi_progress
from commonops.workplans.reports import bos_of_year

register = template.Library()


@register.inclusion_tag("workplans/_bos_kpi_progress.html")
def bos_kpi_progress(country, today):
    bos = bos_of_year(country, today.year)
    kpis = kpi_progress(bos, year=today.year)
    counted = [k.summary.status for k in kpis
               if k.summary.status not in ("no_data", "not_applicable")]
    return {"bos": bos, "kpis": kpis, "year": today.year,
            "met": (counted.count("met"), len(counted))}
