"""Template filters for core.display: {% load display %} then {{ value|number }},
{{ value|money }}, {{ text|reader }} (a stored standard text in the reader's language)."""

from django import template

from commonops.core import display

register = template.Library()


@register.filter
def number(value):
    return display.number(value)


@register.filter
def money(value):
    return display.money(value)


@register.filter
def reader(text):
    return display.in_reader_language(text)


@register.filter(is_safe=True)
def explain_rules(html):
    """Rule ids (G4, T2…) in the text get what they mean on hover (core.rule_names)."""
    from commonops.core.rule_names import explain_rules as explain

    return explain(html)
