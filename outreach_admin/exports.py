"""CSV export of any list page exactly as filtered and sorted (``?_export=csv``).

Spreadsheet-safe: UTF-8 with a BOM (Excel reads the accents), and a cell a spreadsheet would run
as a formula gets a leading quote. One source of truth for that rule: ``csv_safe`` below.
"""

from __future__ import annotations

import csv
import html

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django_tables2 import LazyPaginator

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_PARAM = "_export"
EXPORT_MAX_ROWS_DEFAULT = 100_000


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def export_max_rows() -> int:
    return int(getattr(settings, "EXPORT_MAX_ROWS", EXPORT_MAX_ROWS_DEFAULT))


def _plain(value) -> str:
    """A table cell as plain text: the HTML a render method may return, stripped and unescaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = force_str(value)
    if "<" in text or "&" in text:
        # A space where a tag was, so "<b>Not ready</b><small>why</small>" keeps its words apart.
        text = html.unescape(strip_tags(text.replace("<", " <")))
    return " ".join(text.split())


class _Echo:
    def write(self, value):
        return value


class CsvExportMixin:
    """Add before ``SingleTableMixin, FilterView``: ``?_export=csv`` returns the list as a CSV.

    The rows are the view's own filtered, sorted queryset rendered through the view's table
    columns (so the file matches the page), every page at once up to ``EXPORT_MAX_ROWS``. The
    table is built by the view's ``get_table`` with one big lazy page instead of the screen
    page, so per-page hooks a view has (batch lookups for the visible rows) run once for all
    rows: the export costs the same bounded number of queries as a page. Rows are read inside
    the request's transaction (the app role and actor apply) and only then streamed, because a
    streamed body is consumed after the middleware's transaction has ended.
    """

    export_name: str | None = None
    exportable = True
    _exporting = False

    def get(self, request, *args, **kwargs):
        if not self.exportable or request.GET.get(EXPORT_PARAM) != "csv":
            return super().get(request, *args, **kwargs)
        self._exporting = True
        params = request.GET.copy()
        for key in ("page", "per_page", EXPORT_PARAM):
            params.pop(key, None)
        request.GET = params
        filterset_class = self.get_filterset_class()
        if filterset_class is None:
            self.object_list = self.get_queryset()
        else:
            self.filterset = self.get_filterset(filterset_class)
            if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
                self.object_list = self.filterset.qs
            else:
                self.object_list = self.filterset.queryset.none()
        return self.export_csv(self.get_table())

    def get_table_pagination(self, table):
        if self._exporting:
            return {
                "paginator_class": LazyPaginator,
                "per_page": export_max_rows(),
                "page": 1,
                "bounded": False,  # not the screen's LIST_MAX_PER_PAGE (BaseTable.paginate)
            }
        return super().get_table_pagination(table)

    def get_export_name(self) -> str:
        if self.export_name:
            return self.export_name
        match = getattr(self.request, "resolver_match", None)
        name = match.url_name if match and match.url_name else "export"
        return name.removesuffix("_list").replace("_", "-")

    def export_csv(self, table) -> StreamingHttpResponse:
        columns = [
            c
            for c in table.columns.iterall()
            if c.visible and not c.column.exclude_from_export and _plain(c.header)
        ]
        header = [csv_safe(_plain(c.header)) for c in columns]
        table.before_render(self.request)  # the hook a table uses to fill per-page values
        page = table.page
        rows = [
            [csv_safe(_plain(row.get_cell_value(c.name))) for c in columns]
            for row in page.object_list
        ]
        truncated = page.has_next()
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"
            yield writer.writerow(header)
            for row in rows:
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        filename = f"{self.get_export_name()}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Export-Rows"] = str(len(rows))
        if truncated:
            response["X-Export-Truncated"] = f"first {len(rows)} rows"
        return response
