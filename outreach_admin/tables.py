"""The one base table every list page uses."""

import datetime

import django_tables2 as tables
from django.utils import dateformat, timezone


class BaseTable(tables.Table):
    """Compact, sortable table; subclasses are declarative (columns and ``Meta`` only).

    ``Meta.fields`` lists the default columns; pages must pass a queryset that already joins or
    annotates what the columns show (``select_related``/``annotate``) so a page costs a fixed
    number of queries whatever its size.
    """

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        template_name = "django_tables2/outreach.html"
        empty_text = "Nothing matches these filters."
        per_page = 50


class DateColumn(tables.Column):
    """A date (or datetime, in the current time zone) formatted like the template ``date`` filter.

    django-tables2's own DateColumn/DateTimeColumn compile a template for every cell, which was
    a third of the render time of a 50-row list; this renders the same text without one.
    """

    def __init__(self, format="Y-m-d", **kwargs):
        self.format = format
        super().__init__(**kwargs)

    def render(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)


DateTimeColumn = DateColumn
