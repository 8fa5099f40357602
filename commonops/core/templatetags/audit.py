from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def audit_changes(entry):
    """The changed fields of an audit row as a list: field: before → after."""
    if not entry.changes:
        return ""
    return format_html(
        '<ul class="changes">{}</ul>',
        format_html_join(
            "", "<li>{}: <del>{}</del> → <ins>{}</ins></li>",
            ((field, _show(before), _show(after))
             for field, (before, after) in sorted(entry.changes.items())),
        ),
    )


def _show(value):
    return "—" if value is None or value == "" else value
