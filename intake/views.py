import csv
import io
import os
import tempfile
import uuid
from pathlib import Path

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_tables2.paginators import LazyPaginator

from intake import outcomes, parsing, presets, selectors, services
from intake.filters import AuditLogFilterSet, BatchFilterSet, PleCycleFilterSet, RawLoadFilterSet
from intake.forms import (
    BatchPromoteForm,
    BatchUploadForm,
    CsvMappingForm,
    default_batch_id,
    max_upload_bytes,
)
from intake.models import AuditLog, PleCycle, RawLoad
from intake.tables import AuditLogTable, BatchTable, PleCycleTable, RawLoadTable
from outreach_admin.exports import csv_safe
from outreach_admin.forms import optional_id
from outreach_admin.pagination import MAX_OFFSET_ROWS
from outreach_admin.permissions import ActorRequiredMixin, can_act, is_admin
from outreach_admin.views import ActionView, ObjectListView, form_errors
from people.services import PeopleError

UPLOAD_DIR = Path(tempfile.gettempdir()) / "outreach-intake-uploads"
SESSION_KEY = "intake_pending_csv"


def _batch_url(batch_id, **params):
    url = reverse("intake:batch", args=[batch_id])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def _ingest(request, open_rows, source, batch_id, refused=None):
    """Run the upload through the service; messages for the outcome; redirect target.

    ``refused`` (row number → message) is filled by the rows' e-mail syntax check
    (``intake.presets.prepare_row``); the database skips those rows for a missing e-mail, so
    their skip messages are replaced by the refusal's reason."""
    refused = {} if refused is None else refused
    try:
        totals = services.upload_ingest(open_rows=open_rows, source=source, batch_id=batch_id)
    except services.IngestRefused as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, f"Batch {batch_id}: {totals.summary}.")
    lines = [refused[n] for n in sorted(refused)]
    for line in totals.skip_messages:
        number = line.removeprefix("row ").partition(" ")[0]
        if not (number.isdigit() and int(number) in refused):
            lines.append(line)
    for line in lines[:10]:
        messages.warning(request, line)
    if totals.skipped > 10:
        messages.warning(
            request, f"…and {totals.skipped - 10} more rows skipped (no usable email)."
        )
    return redirect(_batch_url(batch_id))


def _upload_ctx(form):
    return {"form": form, "max_mb": max_upload_bytes() // 1048576}


class BatchUploadView(ActorRequiredMixin, View):
    """Upload a JSON/CSV file or pasted JSON; files whose columns are not all raw field names
    (vendor exports, nested JSON) go to the mapping step with the detected preset's guesses."""

    template_name = "intake/batch_upload.html"

    def get(self, request):
        form = BatchUploadForm(initial={"batch_id": default_batch_id(), "preset": "auto"})
        return render(request, self.template_name, _upload_ctx(form))

    def post(self, request):
        form = BatchUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, _upload_ctx(form), status=400)
        data = form.cleaned_data
        source, batch_id = data["source"], data["batch_id"]
        refused: dict = {}
        if data["pasted"]:
            text = data["pasted"]

            def open_pasted():
                rows = parsing.iter_json(_StringIO(text))
                return presets.prepare_rows(
                    rows, None, default_region=presets.default_region(), refused=refused
                )  # pasted text is at most DATA_UPLOAD_MAX_MEMORY_SIZE: both passes in full

            response = _ingest(request, open_pasted, source, batch_id, refused)
            return response or render(request, self.template_name, _upload_ctx(form), status=400)
        upload = data["file"]
        raw = _Unclosing(upload.file)
        try:
            kind = parsing.sniff_format(upload, upload.name)
            columns, samples = presets.read_columns(raw, kind)
        except parsing.ParseError as exc:
            messages.error(request, f"Nothing was stored. {exc}")
            return render(request, self.template_name, _upload_ctx(form), status=400)
        preset = data.get("preset") or "auto"
        if preset == "auto":
            preset = presets.detect_preset(columns)
        if not columns or (preset == "generic" and not parsing.needs_mapping(columns)):
            guesses = parsing.guess_mapping(columns) if kind == "csv" else None
            passes = []

            def open_direct():
                passes.append(1)  # the first, counting pass needs no field libraries
                normalise = len(passes) > 1
                return presets.open_prepared(
                    raw, kind, guesses, refused=refused, normalise=normalise
                )

            response = _ingest(request, open_direct, source, batch_id, refused)
            return response or render(request, self.template_name, _upload_ctx(form), status=400)
        # Keep the file for the mapping step (streamed to disk, never whole in memory).
        UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        path = UPLOAD_DIR / f"{token}.csv"
        upload.seek(0)
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        request.session[SESSION_KEY] = {
            "token": token,
            "name": upload.name,
            "source": source,
            "batch_id": batch_id,
            "headers": columns,
            "kind": kind,
            "preset": preset,
            "samples": samples,
        }
        return redirect("intake:batch_upload_map")


class BatchUploadMapView(ActorRequiredMixin, View):
    """Map a file's columns (CSV headers, JSON dotted paths) to the raw fields, with sample
    values, then ingest it. The mapping saved for the file's source and preset (by anyone,
    ``intake.saved_mapping``) pre-fills the step unless ``?saved=0``; "remember" (ticked by
    default) saves the confirmed one through ``services.mapping_save``."""

    template_name = "intake/batch_upload_map.html"

    def _pending(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending:
            return None, None
        path = UPLOAD_DIR / f"{pending['token']}.csv"
        return (pending, path) if path.exists() else (None, None)

    def _prefill(self, request, pending):
        """The saved mapping of the file's source and preset, whether it is used, the guesses
        and the columns that fell back to the preset's default."""
        preset, headers = pending.get("preset", "generic"), pending["headers"]
        saved = selectors.saved_mapping(source=pending["source"], preset=preset)
        use = saved is not None and request.GET.get("saved") != "0"
        if use:
            guesses, fallback = presets.apply_saved_mapping(headers, preset, saved.mapping)
        else:
            guesses, fallback = presets.guess_mapping(headers, preset), []
        return {"saved": saved, "use_saved": use, "guesses": guesses, "fallback": fallback}

    def _context(self, pending, form, prefill):
        samples = pending.get("samples", {})
        rows = [(field, samples.get(field.label, [])) for field in form.columns()]
        preset = dict(presets.PRESET_CHOICES).get(pending.get("preset", "generic"), "")
        return {"pending": pending, "form": form, "rows": rows, "preset_label": preset, **prefill}

    def get(self, request):
        pending, _ = self._pending(request)
        if not pending:
            messages.info(request, "Upload a CSV file first.")
            return redirect("intake:batch_upload")
        prefill = self._prefill(request, pending)
        form = CsvMappingForm(headers=pending["headers"], guesses=prefill["guesses"])
        return render(request, self.template_name, self._context(pending, form, prefill))

    def post(self, request):
        pending, path = self._pending(request)
        if not pending:
            messages.error(request, "The uploaded file has expired; upload it again.")
            return redirect("intake:batch_upload")
        if "cancel" in request.POST:
            os.unlink(path)
            del request.session[SESSION_KEY]
            messages.info(request, "Upload cancelled; nothing was stored.")
            return redirect("intake:batch_upload")
        prefill = self._prefill(request, pending)
        form = CsvMappingForm(request.POST, headers=pending["headers"], guesses=prefill["guesses"])

        def invalid():
            ctx = self._context(pending, form, prefill)
            return render(request, self.template_name, ctx, status=400)

        if not form.is_valid():
            return invalid()
        mapping = form.mapping()
        kind, preset = pending.get("kind", "csv"), pending.get("preset", "generic")
        remember = form.cleaned_data["remember"]
        save = {
            "source": pending["source"],
            "preset": preset,
            "mapping": mapping,
            "headers": pending["headers"],
            "actor": request.user.get_username(),
        }
        if remember:
            try:  # refused before anything is stored, so a refusal saves nothing at all
                services.mapping_check(**save)
            except services.MappingRefused as exc:
                form.add_error(None, f"The mapping cannot be remembered: {exc}")
                return invalid()
        handles = []
        refused: dict = {}

        def open_rows():
            fh = open(path, "rb")  # noqa: SIM115 - closed below, after both passes
            handles.append(fh)
            return presets.open_prepared(  # the first, counting pass needs no field libraries
                fh, kind, mapping, preset=preset, refused=refused, normalise=len(handles) > 1
            )

        try:
            response = _ingest(request, open_rows, pending["source"], pending["batch_id"], refused)
        finally:
            for fh in handles:
                fh.close()
        if response is None:
            return invalid()
        if remember:
            services.mapping_save(**save)
            messages.info(request, f"Mapping saved: the next {pending['source']} upload uses it.")
        os.unlink(path)
        del request.session[SESSION_KEY]
        return response


class _Unclosing:
    """Wrap an upload so the TextIOWrapper around it does not close it when collected."""

    def __init__(self, raw):
        self._raw = raw

    def __getattr__(self, name):
        return getattr(self._raw, name)

    def readable(self):
        return True

    def writable(self):
        return False

    def seekable(self):
        return True

    @property
    def closed(self):
        return False

    def close(self):
        pass

    def flush(self):
        pass

    def read1(self, n=-1):
        return self._raw.read(n)

    def readinto(self, b):
        data = self._raw.read(len(b))
        b[: len(data)] = data
        return len(data)


def _StringIO(text):  # noqa: N802 - reads like the class it returns
    return io.StringIO(text)


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
