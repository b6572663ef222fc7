"""Background uploads (issue 18): a file over INTAKE_BACKGROUND_UPLOAD_MB becomes an
intake.upload_job; ``manage.py process_uploads`` ingests it chunk by chunk with progress; the job
page shows it; failures, cancels, stale jobs and viewers are handled."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.models import AuditLog, RawLoad, UploadJob
from intake.views import UPLOAD_DIR
from tests import builders as b

URL = reverse("intake:batch_upload")
MAP_URL = reverse("intake:batch_upload_map")
ROWS = [{"email": f"row{n}@jobs.example", "name": f"Row {n}"} for n in range(5)]


@pytest.fixture(autouse=True)
def _background_everything(settings):
    """Every uploaded file is "large" (the threshold is a few bytes)."""
    settings.INTAKE_BACKGROUND_UPLOAD_MB = 0.00001


@pytest.fixture
def coordinator(db):
    return b.user("jobs-coord", group="coordinator")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _post(client, content, name="rows.json", *, batch="job-1", source="apollo"):
    data = {"source": source, "batch_id": batch, "file": SimpleUploadedFile(name, content)}
    return client.post(URL, data)


def _job_file(tmp_path, rows, name="rows.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return path


def _queue(coordinator, path, *, batch="job-1", kind="json", mapping=None, preset="generic"):
    return services.upload_job_create(
        batch_id=batch,
        source="apollo",
        file_name=path.name,
        file_path=str(path),
        kind=kind,
        preset=preset,
        mapping=mapping,
        actor=coordinator.username,
    )


def _actions(job):
    return list(
        AuditLog.objects.filter(details__job_id=job.pk)
        .order_by("log_id")
        .values_list("action", "user_name")
    )


def test_a_large_upload_becomes_a_queued_job_and_stores_nothing_yet(coordinator_client):
    """Over the threshold the request only stores the file and queues a job (audited); the
    response goes to the job page."""
    response = _post(coordinator_client, json.dumps(ROWS).encode())
    job = UploadJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("intake:upload_job", args=[job.pk])
    assert (job.status, job.batch_id, job.kind, job.created_by) == (
        "queued",
        "job-1",
        "json",
        "jobs-coord",
    )
    assert Path(job.file_path).is_file() and Path(job.file_path).parent == UPLOAD_DIR
    assert not RawLoad.objects.exists()
    assert _actions(job) == [("upload_job_queued", "jobs-coord")]


def test_the_upload_page_names_the_background_threshold(coordinator_client, settings):
    """The upload form says from which size a file goes to the background, with the list."""
    settings.INTAKE_BACKGROUND_UPLOAD_MB = 5
    html = coordinator_client.get(URL).content.decode()
    assert "files over 5 MB are ingested in the background" in html
    assert reverse("intake:upload_job_list") in html


def test_small_uploads_stay_inline(coordinator_client, settings):
    """Under the threshold nothing changes: the rows are stored in the request, no job."""
    settings.INTAKE_BACKGROUND_UPLOAD_MB = 5
    response = _post(coordinator_client, json.dumps(ROWS).encode())
    assert response.url == reverse("intake:batch", args=["job-1"])
    assert RawLoad.objects.filter(batch_id="job-1").count() == 5
    assert not UploadJob.objects.exists()


def test_process_uploads_once_ingests_the_job(coordinator_client, capsys):
    """The worker command claims the job, stores every row in its batch with the right counts,
    marks it done, removes the file and audits each step for the uploader."""
    rows = [*ROWS, ROWS[0], {"name": "no email"}]
    _post(coordinator_client, json.dumps(rows).encode())
    job = UploadJob.objects.get()
    call_command("process_uploads", once=True)
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done) == ("done", 7, 7)
    assert (job.inserted, job.duplicate, job.skipped) == (5, 1, 1)
    assert job.started_at and job.finished_at and not job.error
    loads = RawLoad.objects.filter(batch_id="job-1")
    assert loads.filter(status="pending").count() == 5
    assert loads.filter(status="duplicate").count() == 1
    assert not Path(job.file_path).exists()
    assert _actions(job) == [
        ("upload_job_queued", "jobs-coord"),
        ("upload_job_started", "jobs-coord"),
        ("upload_job_done", "jobs-coord"),
    ]
    assert any("skipped" in line for line in job.messages)
    assert f"Upload job {job.pk}: done, 7 rows" in capsys.readouterr().out
    call_command("process_uploads", once=True)  # nothing left: returns at once
    assert RawLoad.objects.filter(batch_id="job-1").count() == 6


def test_rows_done_grows_by_one_chunk_at_a_time(coordinator, tmp_path):
    """Each chunk commits its rows with the job's progress: the stored rows_done after each
    chunk of 2 is 2, 4, then 5, and equals the loads stored so far."""
    job = _queue(coordinator, _job_file(tmp_path, ROWS))
    seen = []

    def record(running):
        stored = UploadJob.objects.get(pk=running.pk)
        seen.append((stored.rows_done, RawLoad.objects.filter(batch_id="job-1").count()))

    services.upload_job_run(services.upload_job_claim(), chunk_size=2, on_chunk=record)
    assert seen == [(2, 2), (4, 4), (5, 5)]
    assert UploadJob.objects.get(pk=job.pk).status == "done"


def test_an_unreadable_file_fails_the_job_with_a_message_and_stores_nothing(
    coordinator_client, coordinator
):
    """A file whose first rows read (so the upload page queues it) but that breaks further on
    fails the job in the counting pass: "Nothing was stored", no loads, and the job page shows
    the error (no 500)."""
    good = "\n".join(json.dumps({"email": f"g{n}@b.example"}) for n in range(600))
    _post(coordinator_client, (good + '\n{"email": broken\n').encode(), "rows.jsonl")
    job = UploadJob.objects.get()
    call_command("process_uploads", once=True)
    job.refresh_from_db()
    assert job.status == "failed" and job.error.startswith("Nothing was stored.")
    assert not RawLoad.objects.exists()
    page = coordinator_client.get(reverse("intake:upload_job", args=[job.pk]))
    assert page.status_code == 200 and job.error in page.content.decode()
    assert _actions(job)[-1] == ("upload_job_failed", "jobs-coord")


def test_a_failure_after_some_chunks_keeps_the_stored_rows_and_says_so(coordinator, tmp_path):
    """A file that breaks mid-way (here: rewritten between chunks) fails the job; the chunks
    committed before stay, and the error names how many rows were stored and where."""
    rows = [{"email": f"m{n}@mid.example", "note": "x" * 400} for n in range(1000)]
    path = _job_file(tmp_path, rows)
    job = _queue(coordinator, path)

    def corrupt(running):
        if running.rows_done == 100:
            with open(path, "r+b") as fh:
                fh.seek(300_000)  # past what the reader has buffered
                fh.write(b'\n{"email": broken\n' * 20)

    services.upload_job_run(services.upload_job_claim(), chunk_size=100, on_chunk=corrupt)
    job.refresh_from_db()
    assert job.status == "failed", job.error
    stored = RawLoad.objects.filter(batch_id="job-1").count()
    assert stored == job.rows_done == job.inserted > 0
    assert f"Failed after {job.rows_done:,} of 1,000 rows" in job.error
    assert f"The {stored:,} rows stored before the failure stay in batch job-1." in job.error


def test_a_stale_running_job_is_reclaimed_and_resumes_after_its_last_chunk(coordinator, tmp_path):
    """A running job without progress for STALE_MINUTES (its worker died) is claimed again and
    continues after rows_done, storing no row twice; a fresh running job is left alone."""
    job = _queue(coordinator, _job_file(tmp_path, ROWS))
    claimed = services.upload_job_claim()
    seen = []
    with pytest.raises(KeyboardInterrupt):  # the worker dies after its first chunk

        def die(running):
            seen.append(running.rows_done)
            raise KeyboardInterrupt

        services.upload_job_run(claimed, chunk_size=2, on_chunk=die)
    assert seen == [2] and UploadJob.objects.get(pk=job.pk).status == "running"
    assert services.upload_job_claim() is None  # still fresh: its worker may be alive
    old = timezone.now() - dt.timedelta(minutes=services.upload_jobs.STALE_MINUTES + 1)
    UploadJob.objects.filter(pk=job.pk).update(updated_at=old)
    again = services.upload_job_claim()
    assert again.pk == job.pk and again.rows_done == 2
    services.upload_job_run(again, chunk_size=2)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.inserted, job.duplicate) == ("done", 5, 5, 0)
    assert RawLoad.objects.filter(batch_id="job-1").count() == 5
    assert [a for a, _ in _actions(job)][-2:] == ["upload_job_resumed", "upload_job_done"]


def test_cancel_a_queued_job(coordinator_client):
    """Cancel ends a queued job (file removed, audited, nothing stored); a second cancel is
    refused with a message and changes nothing."""
    _post(coordinator_client, json.dumps(ROWS).encode())
    job = UploadJob.objects.get()
    url = reverse("intake:upload_job_cancel", args=[job.pk])
    response = coordinator_client.post(url)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled" and job.finished_at and not Path(job.file_path).exists()
    assert _actions(job)[-1] == ("upload_job_cancelled", "jobs-coord")
    response = coordinator_client.post(url, follow=True)
    assert "only a queued job can be cancelled" in response.content.decode()
    assert len(_actions(job)) == 2
    call_command("process_uploads", once=True)
    assert not RawLoad.objects.exists()


def test_a_running_job_cannot_be_cancelled(coordinator, tmp_path):
    """Only queued jobs are cancelled: a claimed job is refused by the service."""
    job = _queue(coordinator, _job_file(tmp_path, ROWS))
    services.upload_job_claim()
    with pytest.raises(services.UploadJobRefused, match="is running"):
        services.upload_job_cancel(job_id=job.pk, actor=coordinator.username)


def test_viewers_get_403_on_create_and_cancel(client, coordinator, tmp_path):
    """A viewer may look at a job but cannot queue one or cancel one (view 403, service
    refusal); nothing changes."""
    job = _queue(coordinator, _job_file(tmp_path, ROWS))
    viewer = b.user("jobs-viewer", group="viewer")
    client.force_login(viewer)
    assert client.get(reverse("intake:upload_job", args=[job.pk])).status_code == 200
    assert _post(client, json.dumps(ROWS).encode()).status_code == 403
    assert client.post(reverse("intake:upload_job_cancel", args=[job.pk])).status_code == 403
    with pytest.raises(services.UploadJobRefused, match="Only coordinators"):
        services.upload_job_cancel(job_id=job.pk, actor=viewer.username)
    with pytest.raises(services.UploadJobRefused, match="Only coordinators"):
        _queue(viewer, _job_file(tmp_path, ROWS, "other.jsonl"))
    assert UploadJob.objects.get().status == "queued"


@pytest.mark.parametrize("status", ["queued", "running", "done", "failed", "cancelled"])
def test_the_job_page_renders_each_status_in_bounded_queries(
    coordinator_client, coordinator, tmp_path, status, django_assert_max_num_queries
):
    """Every status renders with a <progress> bar and percentage; the page refreshes itself
    only while the job is unfinished; Cancel shows only while queued; a fixed query count."""
    job = _queue(coordinator, _job_file(tmp_path, ROWS))
    UploadJob.objects.filter(pk=job.pk).update(
        status=status,
        rows_total=5,
        rows_done=2 if status != "done" else 5,
        inserted=2,
        error="Nothing was stored. boom" if status == "failed" else "",
    )
    url = reverse("intake:upload_job", args=[job.pk])
    with django_assert_max_num_queries(8):
        page = coordinator_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<progress id="job-progress"' in html
    percent = "100%" if status == "done" else "40%"
    assert percent in html
    assert ('http-equiv="refresh"' in html) == (status in ("queued", "running"))
    assert ("Cancel this upload" in html) == (status == "queued")
    assert (reverse("intake:batch", args=["job-1"]) in html) == (status in ("done", "failed"))
    status_json = coordinator_client.get(url, {"format": "json"}).json()
    assert status_json["status"] == status and status_json["rows_done"] in (2, 5)


def test_the_job_list_shows_jobs_in_bounded_queries(
    coordinator_client, coordinator, tmp_path, django_assert_max_num_queries
):
    """The list of background uploads shows each job with its progress, in fixed queries."""
    for n in range(3):
        _queue(coordinator, _job_file(tmp_path, ROWS, f"f{n}.jsonl"), batch=f"job-{n}")
    with django_assert_max_num_queries(8):
        page = coordinator_client.get(reverse("intake:upload_job_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert all(f"f{n}.jsonl" in html for n in range(3)) and "0 / ? rows (0%)" in html


def test_a_large_file_through_the_mapping_step_becomes_a_job_with_its_mapping(coordinator_client):
    """A file that needs the mapping step is queued after the mapping is confirmed; the worker
    applies that mapping (and "remember" saves it at once)."""
    body = b"Work Email,Full Name\nann@acme.example,Ann Lee\nbo@acme.example,Bo Chen\n"
    response = _post(coordinator_client, body, "apollo.csv", source="manual")
    assert response.url == MAP_URL
    response = coordinator_client.post(
        MAP_URL, {"col_0": "email", "col_1": "name", "remember": "1"}
    )
    job = UploadJob.objects.get()
    assert response.url == reverse("intake:upload_job", args=[job.pk])
    assert job.mapping == {"Work Email": "email", "Full Name": "name"} and job.kind == "csv"
    call_command("process_uploads", once=True)
    names = sorted(RawLoad.objects.values_list("raw_data__name", flat=True))
    assert names == ["Ann Lee", "Bo Chen"]


@pytest.mark.owner
def test_the_app_role_may_read_add_and_update_jobs_but_never_delete_them(db):
    """intake.upload_job grants (0110): SELECT, INSERT, UPDATE for outreach_app; no DELETE,
    TRUNCATE, REFERENCES or TRIGGER (jobs are the record of what each upload stored)."""
    from django.db import connection

    with connection.cursor() as cursor:
        granted = {}
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            cursor.execute(
                "SELECT has_table_privilege('outreach_app', 'intake.upload_job', %s)", [privilege]
            )
            granted[privilege] = cursor.fetchone()[0]
    assert granted == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": True,
        "DELETE": False,
        "TRUNCATE": False,
        "TRIGGER": False,
    }
