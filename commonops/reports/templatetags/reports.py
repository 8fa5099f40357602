"""{% table_rows table selectable %} and {% table_footer table selectable %}: a section's
table body drawn by `reports.sections` (fast for pages of many country teams)."""

from django import template

register = template.Library()


@register.simple_tag
def table_rows(table, selectable=False):
    return table.html_rows(selectable=bool(selectable))


@register.simple_tag
def table_footer(table, selectable=False):
    return table.html_footer(selectable=bool(selectable))
