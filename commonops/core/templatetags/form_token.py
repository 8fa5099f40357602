"""`{% form_token %}`: the one-time token of a form that creates something (see
core.security.OneTimeFormTokenMiddleware). Put it next to `{% csrf_token %}`."""

import secrets

from django import template
from django.utils.html import format_html

from commonops.core.security import FORM_TOKEN_FIELD

register = template.Library()


@register.simple_tag
def form_token():
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD,
                       secrets.token_urlsafe(24))
