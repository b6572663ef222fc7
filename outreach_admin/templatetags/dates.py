"""Template filters for the app's one date format (``outreach_admin.dates``), loaded as a
builtin: ``{{ value|day }}`` "7 Dec 2026", ``{{ value|when }}`` "7 Dec 2026, 14:05",
``{{ value|ago }}`` a ``<time>`` reading "3 days ago" with the absolute time as its title,
``{{ value|at }}`` the absolute time with the relative phrase as its title."""

from django import template

from outreach_admin import dates

register = template.Library()


@register.filter
def day(value):
    return dates.format_date(value)


@register.filter
def when(value):
    return dates.format_datetime(value)


@register.filter
def ago(value):
    return dates.time_element(value)


@register.filter
def at(value):
    return dates.time_element(value, absolute_first=True)
