"""Background uploads (``intake.upload_job``): a file too large to ingest inside a request is
stored on disk by the upload view and queued here; ``manage.py process_uploads`` claims it and
ingests it chunk by chunk, committing each chunk with the job's progress so other sessions (the
job page) see ``rows_done`` grow.

Unlike the inline upload (``upload_ingest``: one savepoint, stored whole or not at all), a job
commits per chunk: a failure after the first chunk leaves the rows stored so far in the batch,
and the job's error says how many. A parse error in the first, counting pass fails the job before
anything is stored. A job whose worker died (``running`` without progress for
``STALE_MINUTES``) is claimed again and resumes after its last committed chunk (``rows_done``
is committed with the chunk, so no row is stored twice).

Every state change writes an ``intake.audit_log`` row (``upload_job_queued``, ``_started``,
``_done``, ``_failed``, ``_cancelled``) naming the acting user: the creator for the worker's
steps (it acts for them), the canceller for a cancel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import os
from collections.abc import Callable, Mapping

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from intake import presets
from intake.models import AuditLog, UploadJob
from intake.parsing import ParseError
from intake.services.ingest import INGEST_CHUNK_ROWS, IngestTotals, batch_ingest, report_lines
from outreach_admin.db import acting_as
from outreach_admin.permissions import username_can_act

logger = logging.getLogger(__name__)

STALE_MINUTES = 10
MESSAGES_KEPT = 10
KINDS = ("csv", "json")


class UploadJobRefused(Exception):
    """A job that cannot be created or cancelled; the message says why. Nothing was written."""


def _audit(action: str, job: UploadJob, actor: str, **details) -> None:
    AuditLog.objects.create(
        action=action,
        user_name=actor,
        batch_id=job.batch_id,
        record_count=details.pop("rows", None),
        details={"job_id": job.pk, "file": job.file_name, **details},
    )


def _remove(path: str) -> None:
    """The job's stored file is removed once the job has ended (done, failed or cancelled)."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def _check_actor(actor: str, what: str) -> None:
    if not username_can_act(actor):
        raise UploadJobRefused(
            f"Only coordinators and admins can {what}; {str(actor)[:60]!r} may not."
        )


@transaction.atomic
def upload_job_create(
    *,
    batch_id: str,
    source: str,
    file_name: str,
    file_path: str,
    kind: str,
    preset: str = "generic",
    mapping: Mapping[str, str] | None = None,
    actor: str,
) -> UploadJob:
    """Queue the stored file ``file_path`` for ``manage.py process_uploads``; an audit row
    ``upload_job_queued`` names ``actor``. ``UploadJobRefused`` (nothing written) for an actor
    who may not upload, a missing file, an unknown kind or a blank batch/source."""
    _check_actor(actor, "upload files")
    if kind not in KINDS:
        raise UploadJobRefused(f"Unknown file kind {str(kind)[:20]!r}; csv or json.")
    if not str(batch_id).strip() or not str(source).strip():
        raise UploadJobRefused("The batch id and the source are required.")
    if not os.path.isfile(file_path):
        raise UploadJobRefused("The uploaded file is gone; upload it again.")
    job = UploadJob.objects.create(
        batch_id=batch_id,
        source=source,
        file_name=file_name[:255],
        file_path=file_path,
        file_bytes=os.path.getsize(file_path),
        kind=kind,
        preset=preset,
        mapping=dict(mapping) if mapping is not None else None,
        created_by=actor,
    )
    _audit("upload_job_queued", job, actor, bytes=job.file_bytes)
    return job


def upload_job_claim(*, stale_minutes: int = STALE_MINUTES) -> UploadJob | None:
    """Claim the oldest queued job, or a ``running`` one without progress for
    ``stale_minutes`` (its worker died), and mark it running; None when there is none.

    ``FOR UPDATE SKIP LOCKED``: two workers never claim the same job. Commits before returning
    (its own transaction as the app role), so the job page shows "running" at once."""
    stale = timezone.now() - dt.timedelta(minutes=stale_minutes)
    with acting_as(None):
        job = (
            UploadJob.objects.select_for_update(skip_locked=True)
            .filter(Q(status="queued") | Q(status="running", updated_at__lt=stale))
            .order_by("job_id")
            .first()
        )
        if job is None:
            return None
        resumed = job.status == "running"
        job.status = "running"
        if job.started_at is None:
            job.started_at = timezone.now()
        UploadJob.objects.filter(pk=job.pk).update(
            status="running", started_at=job.started_at, updated_at=Now()
        )
        _audit(
            "upload_job_resumed" if resumed else "upload_job_started",
            job,
            job.created_by,
            rows_done=job.rows_done,
        )
    return job


def _open_rows(job: UploadJob, refused: dict, *, normalise: bool):
    """The job's file read, mapped and normalised like the upload page does it."""
    fh = open(job.file_path, "rb")  # noqa: SIM115 - closed when the generator ends
    try:
        yield from presets.open_prepared(
            fh, job.kind, job.mapping, preset=job.preset, refused=refused, normalise=normalise
        )
    finally:
        fh.close()


def _finish(job: UploadJob, status: str, *, error: str = "", action: str, **details) -> None:
    with acting_as(job.created_by):
        UploadJob.objects.filter(pk=job.pk).update(
            status=status, error=error, finished_at=Now(), updated_at=Now()
        )
        _audit(action, job, job.created_by, rows_done=job.rows_done, **details)
    job.refresh_from_db()
    _remove(job.file_path)


def _messages(job: UploadJob, refused: dict, totals: IngestTotals) -> list[str]:
    """The job's first ``MESSAGES_KEPT`` report lines: those kept so far, then this chunk's."""
    lines = list(job.messages or [])
    for line in report_lines(totals.skip_messages, refused):
        if len(lines) >= MESSAGES_KEPT:
            break
        if line not in lines:
            lines.append(line)
    return lines


def upload_job_run(
    job: UploadJob,
    *,
    chunk_size: int = INGEST_CHUNK_ROWS,
    on_chunk: Callable[[UploadJob], None] | None = None,
) -> UploadJob:
    """Ingest a claimed job's file, one committed transaction per chunk of ``chunk_size`` rows.

    First pass: count the rows (a ``ParseError`` or an empty file fails the job; nothing was
    stored). Second pass: skip the ``rows_done`` rows a dead worker already committed, then per
    chunk call ``intake.f_ingest_json`` (``batch_ingest``) and add its counts to the job in the
    same transaction, acting for the job's creator. Any exception fails the job with a message
    naming how many rows were stored and stay; it is never re-raised (the worker moves on).
    ``on_chunk(job)`` is called after each committed chunk (the command's progress line).
    """
    refused: dict = {}
    try:
        total = sum(1 for _ in _open_rows(job, refused, normalise=False))
    except (ParseError, OSError) as exc:
        _finish(job, "failed", error=f"Nothing was stored. {exc}", action="upload_job_failed")
        return job
    if not total:
        _finish(
            job,
            "failed",
            error="Nothing was stored: the file has no rows.",
            action="upload_job_failed",
        )
        return job
    with acting_as(job.created_by):
        UploadJob.objects.filter(pk=job.pk).update(rows_total=total, updated_at=Now())
    job.rows_total = total
    refused.clear()
    try:
        rows = itertools.islice(_open_rows(job, refused, normalise=True), job.rows_done, None)
        while chunk := list(itertools.islice(rows, chunk_size)):
            _run_chunk(job, chunk, refused)
            if on_chunk:
                on_chunk(job)
    except Exception as exc:  # noqa: BLE001 - any failure fails the job, never the worker
        logger.exception("upload job %s failed", job.pk)
        stored = job.inserted + job.duplicate
        error = (
            f"Failed after {job.rows_done:,} of {total:,} rows: {str(exc)[:400]} "
            f"The {stored:,} rows stored before the failure stay in batch {job.batch_id}."
            if job.rows_done
            else f"Nothing was stored. {str(exc)[:400]}"
        )
        _finish(job, "failed", error=error, action="upload_job_failed")
        return job
    _finish(
        job,
        "done",
        action="upload_job_done",
        inserted=job.inserted,
        duplicate=job.duplicate,
        skipped=job.skipped,
    )
    return job


def _run_chunk(job: UploadJob, chunk: list, refused: dict) -> None:
    """One chunk and the job's counters, committed together (acting for the creator): the
    outermost transaction (durable), so other sessions see the progress at once."""
    with transaction.atomic(durable=True), acting_as(job.created_by):
        result = batch_ingest(
            rows=chunk, source=job.source, batch_id=job.batch_id, pending_rows=False
        )
        totals = IngestTotals()
        totals.add(result, job.rows_done)
        lines = _messages(job, refused, totals)
        UploadJob.objects.filter(pk=job.pk).update(
            rows_done=F("rows_done") + len(chunk),
            inserted=F("inserted") + result.inserted,
            duplicate=F("duplicate") + result.duplicate,
            skipped=F("skipped") + result.skipped,
            messages=lines,
            updated_at=Now(),
        )
    job.rows_done += len(chunk)
    job.inserted += result.inserted
    job.duplicate += result.duplicate
    job.skipped += result.skipped
    job.messages = lines


@transaction.atomic
def upload_job_cancel(*, job_id: int, actor: str) -> UploadJob:
    """Cancel a queued job (its file is removed, nothing was stored); an audit row
    ``upload_job_cancelled`` names ``actor``. ``UploadJobRefused`` when the actor may not or
    the job is no longer queued (a worker took it first)."""
    _check_actor(actor, "cancel uploads")
    job = UploadJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise UploadJobRefused(f"There is no upload job {job_id}.")
    if job.status != "queued":
        raise UploadJobRefused(
            f"Upload job {job_id} is {job.status}; only a queued job can be cancelled."
        )
    UploadJob.objects.filter(pk=job.pk).update(
        status="cancelled", finished_at=Now(), updated_at=Now()
    )
    _audit("upload_job_cancelled", job, actor)
    job.refresh_from_db()
    _remove(job.file_path)
    return job
