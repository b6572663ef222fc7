"""``{{ value|http_url }}``: the value if it is an http(s) URL that may become a link, else ''.

Every external link on a page goes through it, so a stored ``javascript:``, ``data:`` or other
URL is shown as text, never as a link, whatever the column's constraints (some columns, such as
``company.company_intelligence.url``, have no http(s) CHECK).
"""

from django import template
from django.core.exceptions import ValidationError

from outreach_admin.fields import http_url_validator

register = template.Library()


@register.filter
def http_url(value) -> str:
    if not isinstance(value, str):
        return ""
    try:
        http_url_validator(value)
    except ValidationError:
        return ""
    return value
