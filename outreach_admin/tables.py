"""The one base table every list page uses."""

import datetime

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils import dateformat, timezone

from outreach_admin import dates
from outreach_admin.pagination import bounded_per_page


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

    per_page_capped = False

    def paginate(
        self, paginator_class=Paginator, per_page=None, page=1, *args, bounded=True, **kwargs
    ):
        """Page the table, at most ``LIST_MAX_PER_PAGE`` rows a page (``bounded_per_page``).

        Every list reaches this through django-tables2's ``RequestConfig``, whatever its
        paginator, with ``?per_page=`` already read; a larger value shows the maximum and sets
        ``per_page_capped`` (the table template says so). ``bounded=False`` is for the CSV
        export, whose own limit is ``EXPORT_MAX_ROWS``.
        """
        if bounded:
            per_page, self.per_page_capped = bounded_per_page(per_page, self._meta.per_page)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class DateColumn(tables.Column):
    """A date (or datetime, in the current time zone) formatted like the template ``date`` filter.

    django-tables2's own DateColumn/DateTimeColumn compile a template for every cell, which was
    a third of the render time of a 50-row list; this renders the same text without one.
    """

    def __init__(self, format=None, relative=False, **kwargs):
        self.format = format
        self.relative = relative
        super().__init__(**kwargs)

    def render(self, value):
        """The app's one format (``outreach_admin.dates``) unless a format is given; with
        ``relative`` a ``<time>`` reading "3 days ago" titled with the absolute time."""
        if self.relative:
            return dates.time_element(value)
        if self.format is None:
            return dates.format_absolute(value)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)

    def value(self, value):
        """Exports keep a sortable, spreadsheet-readable form: "2026-12-07 14:05"."""
        return export_value(value)


def export_value(value) -> str:
    """A date or datetime for CSV exports: ISO-like, in ``TIME_ZONE``, to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, "Y-m-d H:i")
    return dateformat.format(value, "Y-m-d")


DateTimeColumn = DateColumn
