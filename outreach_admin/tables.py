"""The one base table every list page uses."""

import django_tables2 as tables


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
