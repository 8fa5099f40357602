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
