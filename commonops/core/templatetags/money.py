from django import template

from commonops.core.money import format_money

register = template.Library()


@register.filter
def money(value):
    """{{ amount|money }}: 1,234,567.80, or — when there is none."""
    return format_money(value)
