"""The upload page, its mapping step and background upload jobs."""

import io
import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from intake import parsing, presets, selectors, services
from intake.filters import UploadJobFilterSet
from intake.forms import BatchUploadForm, CsvMappingForm, default_batch_id, max_upload_bytes
from intake.models import UploadJob
from intake.tables import UploadJobTable
from intake.views.batches import _batch_url
from outreach_admin.permissions import ActorRequiredMixin, can_act
from outreach_admin.views import ActionView, ObjectListView

UPLOAD_DIR = Path(tempfile.gettempdir()) / "outreach-intake-uploads"
SESSION_KEY = "intake_pending_csv"


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
    for line in services.report_lines(totals.skip_messages, refused)[:10]:
        messages.warning(request, line)
    if totals.skipped > 10:
        messages.warning(
            request, f"…and {totals.skipped - 10} more rows skipped (no usable email)."
        )
    return redirect(_batch_url(batch_id))


def _in_background(size: int) -> bool:
    """Files over ``INTAKE_BACKGROUND_UPLOAD_MB`` become an upload job (issue 18: a
    1,000,000-row file timed out inside the request)."""
    return size > settings.INTAKE_BACKGROUND_UPLOAD_MB * 1048576


def _store(upload, kind: str) -> Path:
    """Stream the upload to ``UPLOAD_DIR`` (never whole in memory); its path."""
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    path = UPLOAD_DIR / f"{uuid.uuid4().hex}.{kind}"
    upload.seek(0)
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _queue(request, data, name, path, kind, preset, mapping, remember=None):
    """Queue the stored file as an upload job (and save the mapping when asked); the job page."""
    actor = request.user.get_username()
    try:
        job = services.upload_job_create(
            batch_id=data["batch_id"],
            source=data["source"],
            file_name=name,
            file_path=str(path),
            kind=kind,
            preset=preset,
            mapping=mapping,
            actor=actor,
        )
    except services.UploadJobRefused as exc:
        path.unlink(missing_ok=True)
        messages.error(request, str(exc))
        return redirect("intake:batch_upload")
    if remember:
        services.mapping_save(**remember)
        messages.info(request, f"Mapping saved: the next {data['source']} upload uses it.")
    messages.success(
        request,
        f"{name} is large: it is ingested in the background as upload job {job.pk}. "
        "This page shows its progress; you may leave it.",
    )
    return redirect("intake:upload_job", pk=job.pk)


def _upload_ctx(form):
    return {
        "form": form,
        "max_mb": max_upload_bytes() // 1048576,
        "background_mb": settings.INTAKE_BACKGROUND_UPLOAD_MB,
    }


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
            if _in_background(upload.size):
                path = _store(upload, kind)
                return _queue(request, data, upload.name, path, kind, "generic", guesses)
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
        path = _store(upload, "csv")
        request.session[SESSION_KEY] = {
            "token": path.stem,
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
        if _in_background(path.stat().st_size):
            response = _queue(
                request,
                pending,
                pending["name"],
                path,
                kind,
                preset,
                mapping,
                remember=save if remember else None,
            )
            del request.session[SESSION_KEY]
            return response
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


class UploadJobListView(ObjectListView):
    queryset = UploadJob.objects.order_by("-job_id")
    table_class = UploadJobTable
    filterset_class = UploadJobFilterSet
    template_name = "intake/upload_job_list.html"


class UploadJobDetailView(View):
    """A background upload's status, progress, counters and error; the page reloads itself
    every two seconds until the job has finished (``?format=json``: the same as JSON)."""

    def get(self, request, pk):
        job = get_object_or_404(UploadJob, pk=pk)
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "job_id": job.pk,
                    "status": job.status,
                    "rows_total": job.rows_total,
                    "rows_done": job.rows_done,
                    "percent": job.percent,
                    "inserted": job.inserted,
                    "duplicate": job.duplicate,
                    "skipped": job.skipped,
                    "error": job.error,
                    "finished": job.finished,
                }
            )
        ctx = {"job": job, "can_act": job.status == "queued" and can_act(request.user)}
        return render(request, "intake/upload_job.html", ctx)


class UploadJobCancelView(ActionView):
    """Cancel a queued upload job (``services.upload_job_cancel``)."""

    model = UploadJob
    error_classes = (services.UploadJobRefused,)
    next_prefix = None

    def get_fallback_url(self):
        return reverse("intake:upload_job", args=[self.object.pk])

    def perform(self, form):
        job = services.upload_job_cancel(
            job_id=self.object.pk, actor=self.request.user.get_username()
        )
        messages.success(self.request, f"Upload job {job.pk} cancelled; nothing was stored.")
        return self.back()
