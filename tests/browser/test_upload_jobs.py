"""A large upload in a real browser (issue 18): queued as a background job, the job page shows
its progress bar while the worker runs and refreshes itself until the job is done."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from intake import services
from intake.models import UploadJob
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ROWS = [
    {"email": f"person{n}@big-upload.example", "name": f"Person {n}", "company": "Big Upload Co"}
    for n in range(10)
]


class _WorkerDied(BaseException):  # like a kill: not caught as a job failure
    pass


def _die_after_four_rows(job):
    if job.rows_done >= 4:
        raise _WorkerDied


def test_large_upload_job_page_shows_progress_until_done(
    signed_in_page, live_server, coordinator, tmp_path, settings
):
    """Upload over the threshold → job page (queued, Cancel, self-refreshing) → the worker
    stores 4 of 10 rows (progress 40%) → then the rest → the page shows Done and the batch."""
    settings.INTAKE_BACKGROUND_UPLOAD_MB = 0.0001  # ~100 bytes: this file is "large"
    coordinator.groups.add(Group.objects.get_or_create(name="coordinator")[0])
    page = signed_in_page
    path = tmp_path / "big-upload.json"
    path.write_text(json.dumps(ROWS))

    page.goto(f"{live_server.url}/intake/upload/")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Source").select_option("apollo")
    page.get_by_label("Batch id").fill("big-upload")
    page.get_by_role("button", name="Upload and store").click()
    page.wait_for_url("**/intake/uploads/*/")
    expect(page.get_by_text("ingested in the background as upload job")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel this upload")).to_be_visible()
    job = UploadJob.objects.get()
    assert job.status == "queued"

    with pytest.raises(_WorkerDied):  # a worker that stops after two chunks of 2
        services.upload_job_run(
            services.upload_job_claim(), chunk_size=2, on_chunk=_die_after_four_rows
        )
    page.reload()
    expect(page.get_by_text("4 of 10 rows · 40%")).to_be_visible()
    assert page.locator("progress#job-progress").get_attribute("value") == "4"
    expect(page.get_by_role("button", name="Cancel this upload")).to_have_count(0)
    screenshot(page, "intake-upload-job-running")

    old = timezone.now() - dt.timedelta(minutes=services.upload_jobs.STALE_MINUTES + 1)
    UploadJob.objects.filter(pk=job.pk).update(updated_at=old)  # its worker died
    call_command("process_uploads", once=True, chunk_size=2, verbosity=0)
    # no reload: the page's own refresh (every 2 s while unfinished) picks up the result
    expect(page.get_by_text("10 of 10 rows · 100%")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("link", name="Open batch big-upload")).to_be_visible()
    screenshot(page, "intake-upload-job-done")
    assert UploadJob.objects.get().inserted == 10
