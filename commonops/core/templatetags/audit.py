from django import template
from django.utils.html import format_html, format_html_join

from commonops.core.history import describe

register = template.Library()


@register.simple_tag
def audit_changes(entry):
    """The changed fields of an audit row as a list: label: before → after, in words
    (core.history); the raw form stays in the entry for the auditors' export."""
    readable = getattr(entry, "readable", None)
    if readable is None:
        readable = describe([entry])[0].readable
    if not readable:
        return ""
    return format_html(
        '<ul class="changes">{}</ul>',
        format_html_join("", "<li>{}: <del>{}</del> → <ins>{}</ins></li>",
                         ((c.label, c.before, c.after) for c in readable)),
    )
