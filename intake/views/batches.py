"""Batches, loads, the audit log, pipeline runs, the freshness queues and the duplicate scan."""

import csv
import io
import tempfile

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_tables2.paginators import LazyPaginator

from intake import outcomes, selectors, services
from intake.filters import AuditLogFilterSet, BatchFilterSet, PleCycleFilterSet, RawLoadFilterSet
from intake.forms import (
    BatchPromoteForm,
)
from intake.models import AuditLog, PleCycle, RawLoad
from intake.tables import AuditLogTable, BatchTable, PleCycleTable, RawLoadTable
from outreach_admin.exports import csv_safe
from outreach_admin.forms import optional_id
from outreach_admin.pagination import MAX_OFFSET_ROWS
from outreach_admin.permissions import can_act, is_admin
from outreach_admin.views import ActionView, ObjectListView, form_errors
from people.services import PeopleError


def _batch_url(batch_id, **params):
    url = reverse("intake:batch", args=[batch_id])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


class BatchListView(ObjectListView):
    selector = selectors.batch_list
    table_class = BatchTable
    filterset_class = BatchFilterSet
    template_name = "intake/batch_list.html"
    # Rows are per-batch aggregates (dicts grouped by batch_id): no row key to seek on, but
    # no COUNT either (it re-aggregated every batch); the summary table is small.
    table_pagination = {"paginator_class": LazyPaginator}
    show_actions = True


class BatchDetailView(ObjectListView):
    """Per-row results of one batch, with promote actions (a page of a batch: no CSV)."""

    table_class = RawLoadTable
    template_name = "intake/batch.html"
    filterset_class = RawLoadFilterSet
    table_pagination = {"per_page": 100}
    exportable = False

    def get_queryset(self):
        return selectors.batch_loads(self.kwargs["batch_id"])

    def get(self, request, *args, **kwargs):
        self.summary = selectors.batch_summary(kwargs["batch_id"])
        if self.summary is None:
            raise Http404("No such batch.")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        promotion = self.request.GET.get("promotion", "")
        promotion_id = optional_id(promotion)
        events = selectors.promotion_events(promotion_id) if promotion_id else None
        ctx.update(
            promotion_summary=outcomes.promotion_summary(promotion_id) if promotion_id else None,
            batch=self.summary,
            batch_id=self.kwargs["batch_id"],
            can_act=can_act(self.request.user),
            promotion_events=events,
        )
        return ctx


class BatchPromoteView(ActionView):
    """Promote a batch's pending loads, or the selected ones, via ``batch_promote``."""

    form_class = BatchPromoteForm
    error_classes = (services.IngestRefused,)
    next_prefix = None

    def get_fallback_url(self):
        return _batch_url(self.form.cleaned_data["batch_id"])

    def form_invalid(self, form):
        form_errors(self.request, form)
        # The raw value failed validation: it may hold a NUL, which PostgreSQL refuses.
        batch_id = self.request.POST.get("batch_id", "").replace("\x00", "")
        if batch_id and RawLoad.objects.filter(batch_id=batch_id).exists():
            return redirect(_batch_url(batch_id))
        return redirect("intake:batch_list")

    def perform(self, form):
        data = form.cleaned_data
        load_ids = data["load_ids"] if data["scope"] == "selected" else None
        outcome = services.batch_promote(
            batch_id=data["batch_id"], load_ids=load_ids, actor=self.request.user.get_username()
        )
        r = outcome.result
        messages.success(
            self.request,
            f"Promoted {outcome.load_count} load{'s' if outcome.load_count != 1 else ''}: "
            f"{r.promoted_count} new vault contacts, {r.updated_count} updated, "
            f"{r.failed_count} failed."
            + (" The result below lists every record it reached." if outcome.audit_log_id else ""),
        )
        if outcome.audit_log_id:
            return redirect(_batch_url(data["batch_id"], promotion=outcome.audit_log_id))
        return redirect(_batch_url(data["batch_id"]))


class RawLoadDetailView(View):
    """One raw load: its raw JSON, status, and what it fed (vault contact, golden records)."""

    def get(self, request, pk):
        try:
            lineage = selectors.load_lineage(pk)
        except RawLoad.DoesNotExist:
            raise Http404("No such load.") from None
        return render(request, "intake/load.html", lineage)


class AuditLogListView(ObjectListView):
    queryset = AuditLog.objects.order_by("-log_id")
    table_class = AuditLogTable
    filterset_class = AuditLogFilterSet
    template_name = "intake/audit_list.html"


class PleCycleListView(ObjectListView):
    queryset = PleCycle.objects.annotate(n_steps=Count("steps")).order_by("-cycle_id")
    table_class = PleCycleTable
    filterset_class = PleCycleFilterSet
    template_name = "intake/run_list.html"


class PleCycleDetailView(View):
    def get(self, request, pk):
        cycle = get_object_or_404(PleCycle, pk=pk)
        steps = list(cycle.steps.order_by("step_id").prefetch_related("logs"))
        return render(request, "intake/run.html", {"cycle": cycle, "steps": steps})


QUEUE_PER_PAGE = 50
QUEUE_CSV_COLUMNS = ["record_id", "name", "kind", "target", "last_checked_at", "leased_to"]


class QueueListView(View):
    """The three freshness queues with sizes; one queue's rows filtered, paged or as CSV."""

    def get(self, request):
        queue = request.GET.get("queue", "company_urls")
        if queue not in selectors.QUEUES:
            queue = "company_urls"
        filters = {
            "q": request.GET.get("q", "").strip(),
            "kind": request.GET.get("kind", "").strip(),
            "never_checked": request.GET.get("never_checked") == "1",
        }
        if request.GET.get("format") == "csv":
            # Written to a temporary file inside the request's transaction (the app role and
            # its grants apply), then streamed: never the whole queue in memory.
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(QUEUE_CSV_COLUMNS)
            for row in selectors.queue_iter(queue, **filters):
                writer.writerow([csv_safe(row[c]) for c in QUEUE_CSV_COLUMNS])
            text.flush()
            text.detach()
            spool.seek(0)
            return FileResponse(
                spool, as_attachment=True, filename=f"{queue}.csv", content_type="text/csv"
            )
        page = request.GET.get("page", "1")
        page = optional_id(page) or 1
        # OFFSET paging, so deep pages are capped like the lists' page numbers (MAX_OFFSET_ROWS).
        page = min(page, MAX_OFFSET_ROWS // QUEUE_PER_PAGE)
        rows, has_next = selectors.queue_page(queue, page=page, per_page=QUEUE_PER_PAGE, **filters)
        params = request.GET.copy()
        params.pop("page", None)
        return render(
            request,
            "intake/queue_list.html",
            {
                "queue": queue,
                "queues": [
                    (key, label, size)
                    for (key, (label, _)), size in zip(
                        selectors.QUEUES.items(), selectors.queue_sizes().values(), strict=True
                    )
                ],
                "size_cap": selectors.QUEUE_COUNT_CAP,
                "rows": rows,
                "rows_start": (page - 1) * QUEUE_PER_PAGE + 1,
                "rows_end": (page - 1) * QUEUE_PER_PAGE + len(rows),
                "page": page,
                "has_next": has_next,
                "filters": filters,
                "query": params.urlencode(),
            },
        )


class DetectDuplicatesView(ActionView):
    """Run the duplicate detector now (admins only: it scans every person)."""

    error_classes = (PeopleError,)
    fallback_url = "people:resolution_list"
    next_prefix = None

    def test_func(self):
        return is_admin(self.request.user)

    def perform(self, form):
        counts = services.duplicates_detect(actor=self.request.user.get_username())
        messages.success(
            self.request,
            f"Duplicate scan #{counts['cycle_id']}: {counts['candidate_pairs']} candidate "
            f"pairs, {counts['inserted']} new, {counts['already_known']} already known.",
        )
        return self.back()
