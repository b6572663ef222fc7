from django.contrib.postgres.indexes import HashIndex
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.functions import Now

from outreach_admin.db import schema_table
from outreach_admin.fields import created_at, jsonb_default, updated_at
from outreach_admin.stored_json import StoredJSONField


class RawLoad(models.Model):
    """One raw JSON row as it arrived; written only by ``intake.f_ingest_json`` (RLS)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        PROMOTED = "promoted"
        FAILED = "failed"
        DUPLICATE = "duplicate"

    load_id = models.BigAutoField(primary_key=True)
    batch_id = models.TextField()
    source = models.TextField()
    raw_data = StoredJSONField()
    status = models.TextField(choices=Status.choices, db_default="pending")
    created_at = created_at()
    promoted_at = models.DateTimeField(null=True, blank=True)
    metadata = StoredJSONField(db_default=jsonb_default({}))

    class Meta:
        db_table = schema_table("intake", "raw_loads")
        ordering = ["-load_id"]
        indexes = [
            models.Index(fields=["batch_id"], name="idx_raw_loads_batch_id"),
            models.Index(fields=["source"], name="idx_raw_loads_source"),
            models.Index(fields=["status"], name="idx_raw_loads_status"),
            models.Index(fields=["-created_at"], name="idx_raw_loads_created_at"),
            # hash: no entry-size limit for an oversized raw e-mail (migration 0050)
            HashIndex(KT("raw_data__email"), name="idx_raw_loads_raw_data_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "promoted", "failed", "duplicate"]),
                name="raw_loads_status_ck",
            )
        ]


class AuditLog(models.Model):
    """Append-only trail of every intake operation (ingest, promote, merge re-links)."""

    log_id = models.BigAutoField(primary_key=True)
    action = models.TextField()
    user_name = models.TextField(
        db_default=models.Func(
            function="CURRENT_USER", template="CURRENT_USER", output_field=models.TextField()
        )
    )
    batch_id = models.TextField(null=True, blank=True)
    load_id = models.BigIntegerField(null=True, blank=True)
    contact_id = models.BigIntegerField(null=True, blank=True)
    record_count = models.IntegerField(null=True, blank=True)
    details = StoredJSONField(db_default=jsonb_default({}))
    created_at = created_at()

    class Meta:
        db_table = schema_table("intake", "audit_log")
        ordering = ["-log_id"]
        indexes = [
            models.Index(fields=["batch_id"], name="audit_log_batch_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_log_action_idx"),
        ]


class VaultContact(models.Model):
    """A promoted, validated contact keyed by email; written only by ``vault`` functions (RLS)."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        INACTIVE = "inactive"
        BOUNCED = "bounced"
        UNSUBSCRIBED = "unsubscribed"

    contact_id = models.BigAutoField(primary_key=True)
    email = models.TextField(unique=True)
    name = models.TextField(null=True, blank=True)
    phone = models.TextField(null=True, blank=True)
    company = models.TextField(null=True, blank=True)
    title = models.TextField(null=True, blank=True)
    source = models.TextField()
    tags = StoredJSONField(db_default=jsonb_default([]))
    custom_fields = StoredJSONField(db_default=jsonb_default({}))
    load = models.ForeignKey(
        RawLoad,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vault_contacts",
        db_column="load_id",
    )
    people_contact = models.ForeignKey(
        "people.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vault_contacts",
        db_column="people_contact_id",
    )
    created_at = created_at()
    updated_at = updated_at()
    last_activity_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, db_default=0)
    status = models.TextField(choices=Status.choices, db_default="active")

    class Meta:
        db_table = schema_table("vault", "contacts")
        ordering = ["-contact_id"]
        indexes = [
            models.Index(fields=["source"], name="idx_contacts_source"),
            models.Index(fields=["-created_at"], name="idx_contacts_created_at"),
            models.Index(fields=["-score"], name="idx_contacts_score"),
            models.Index(fields=["status"], name="idx_contacts_status"),
            models.Index(fields=["company"], name="idx_contacts_company"),
            models.Index(fields=["people_contact"], name="idx_contacts_people_contact"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="vault_contacts_score_ck"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "bounced", "unsubscribed"]),
                name="vault_contacts_status_ck",
            ),
        ]


class CompanyRawIntake(models.Model):
    """A raw company row staged for promotion into ``company.company`` with its three slots."""

    class ValidationStatus(models.TextChoices):
        PENDING = "pending"
        VALIDATED = "validated"
        REJECTED = "rejected"
        PROMOTED = "promoted"

    intake_id = models.BigAutoField(primary_key=True)
    company_name = models.TextField(null=True, blank=True)
    industry = models.TextField(null=True, blank=True)
    website = models.TextField(null=True, blank=True)
    linkedin_url = models.TextField(null=True, blank=True)
    employee_count = models.IntegerField(null=True, blank=True)
    city = models.TextField(null=True, blank=True)
    state = models.TextField(null=True, blank=True)
    country = models.TextField(null=True, blank=True)
    renewal_month = models.SmallIntegerField(null=True, blank=True)
    raw_data = StoredJSONField(db_default=jsonb_default({}))
    source = models.TextField(db_default="manual")
    validation_status = models.TextField(choices=ValidationStatus.choices, db_default="pending")
    validation_errors = StoredJSONField(null=True, blank=True)
    promoted_to_unique_id = models.TextField(null=True, blank=True)
    uploaded_at = models.DateTimeField(db_default=Now())
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = schema_table("intake", "company_raw_intake")
        ordering = ["-intake_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(validation_status__in=["pending", "validated", "rejected", "promoted"]),
                name="company_raw_intake_status_ck",
            )
        ]


class PleCycle(models.Model):
    """One pipeline run (ingest, promote, duplicate scan, signal generation…)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"

    cycle_id = models.BigAutoField(primary_key=True)
    cycle_name = models.TextField()
    status = models.TextField(choices=Status.choices, db_default="pending")
    started_by = models.TextField(null=True, blank=True)
    counts = StoredJSONField(db_default=jsonb_default({}))
    started_at = models.DateTimeField(db_default=Now())
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = schema_table("ple", "cycle")
        ordering = ["-cycle_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "completed", "failed"]),
                name="ple_cycle_status_ck",
            )
        ]


class PleStep(models.Model):
    """A step of a pipeline run."""

    step_id = models.BigAutoField(primary_key=True)
    cycle = models.ForeignKey(PleCycle, on_delete=models.CASCADE, related_name="steps")
    step_name = models.TextField()
    step_type = models.TextField(null=True, blank=True)
    status = models.TextField(db_default="pending")
    counts = StoredJSONField(db_default=jsonb_default({}))
    executed_at = models.DateTimeField(db_default=Now())
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = schema_table("ple", "step")
        ordering = ["step_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "completed", "failed"]),
                name="ple_step_status_ck",
            )
        ]


class PleLog(models.Model):
    """A log line of a pipeline step."""

    log_id = models.BigAutoField(primary_key=True)
    step = models.ForeignKey(PleStep, on_delete=models.CASCADE, related_name="logs")
    log_level = models.TextField(db_default="info")
    message = models.TextField()
    logged_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = schema_table("ple", "log")
        ordering = ["log_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(log_level__in=["debug", "info", "warning", "error"]),
                name="ple_log_level_ck",
            )
        ]


class ShqErrorLog(models.Model):
    """A system-wide error record."""

    id = models.BigAutoField(primary_key=True)
    unique_id = models.TextField(unique=True, null=True, blank=True)
    error_type = models.TextField(null=True, blank=True)
    error_message = models.TextField(null=True, blank=True)
    stack_trace = models.TextField(null=True, blank=True)
    context = StoredJSONField(db_default=jsonb_default({}))
    severity = models.TextField(null=True, blank=True)
    resolved = models.BooleanField(db_default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = "shq_error_log"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["error_type"], name="shq_error_type_idx"),
            models.Index(fields=["severity"], name="shq_error_severity_idx"),
            models.Index(fields=["resolved"], name="shq_error_resolved_idx"),
            models.Index(fields=["-created_at"], name="shq_error_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=["critical", "high", "medium", "low"]),
                name="shq_error_severity_ck",
            )
        ]


class LinkedinRefreshJob(models.Model):
    """A LinkedIn profile refresh job run through an Apify actor."""

    job_id = models.BigAutoField(primary_key=True)
    person_unique_id = models.TextField()
    linkedin_url = models.TextField()
    apify_run_id = models.TextField(null=True, blank=True)
    status = models.TextField(db_default="pending")
    requested_at = models.DateTimeField(db_default=Now())
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result_data = StoredJSONField(null=True, blank=True)
    error_message = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "linkedin_refresh_jobs"
        ordering = ["-job_id"]
        indexes = [
            models.Index(fields=["person_unique_id"], name="linkedin_job_person_idx"),
            models.Index(fields=["status"], name="linkedin_job_status_idx"),
            models.Index(fields=["-requested_at"], name="linkedin_job_requested_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "completed", "failed"]),
                name="linkedin_job_status_ck",
            )
        ]


class ActorUsageLog(models.Model):
    """Usage and cost of one Apify actor run."""

    log_id = models.BigAutoField(primary_key=True)
    actor_id = models.TextField()
    run_id = models.TextField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.TextField(null=True, blank=True)
    compute_units = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    dataset_items = models.IntegerField(null=True, blank=True)
    error_message = models.TextField(null=True, blank=True)
    metadata = StoredJSONField(db_default=jsonb_default({}))
    created_at = created_at()

    class Meta:
        db_table = "actor_usage_log"
        ordering = ["-log_id"]
        indexes = [
            models.Index(fields=["actor_id"], name="actor_usage_actor_idx"),
            models.Index(fields=["run_id"], name="actor_usage_run_idx"),
            models.Index(fields=["status"], name="actor_usage_status_idx"),
            models.Index(fields=["-started_at"], name="actor_usage_started_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["SUCCEEDED", "FAILED", "TIMED-OUT", "RUNNING", "ABORTED"]),
                name="actor_usage_status_ck",
            )
        ]


class WorkerTokenManager(models.Manager):
    """Leaves ``token_hash`` out of every query: the runtime role has no SELECT on that column
    (intake 0091); the API checks a token through ``intake.worker_authenticate``."""

    def get_queryset(self):
        return super().get_queryset().defer("token_hash")


class WorkerToken(models.Model):
    """An API credential of one external worker (scraper or verifier); only its SHA-256 is kept."""

    class Kind(models.TextChoices):
        SCRAPER = "scraper"
        VERIFIER = "verifier"

    token_id = models.BigAutoField(primary_key=True)
    name = models.TextField(unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.TextField(choices=Kind.choices)
    active = models.BooleanField(db_default=True, default=True)
    rate_limit_per_minute = models.IntegerField(db_default=600, default=600)
    rate_window_start = models.DateTimeField(null=True, blank=True, editable=False)
    rate_count = models.IntegerField(db_default=0, default=0, editable=False)
    created_at = created_at()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = WorkerTokenManager()

    class Meta:
        db_table = schema_table("intake", "worker_token")
        base_manager_name = "objects"  # lease.worker loads without the hash too
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["scraper", "verifier"]), name="worker_token_kind_ck"
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"), name="worker_token_hash_ck"
            ),
            models.CheckConstraint(
                condition=Q(rate_limit_per_minute__gt=0), name="worker_token_rate_ck"
            ),
        ]

    def __str__(self):
        return self.name


class WorkerAuthFailure(models.Model):
    """Wrong worker-API tokens from one client address in the current one-minute window; over
    ``WORKER_AUTH_FAILURES_PER_MINUTE`` the address gets 429 until the window ends, valid token
    or not, so tokens cannot be guessed at speed. Written by ``intake.services.workers``."""

    client = models.TextField(primary_key=True)
    window_start = models.DateTimeField()
    failures = models.IntegerField()

    class Meta:
        db_table = schema_table("intake", "worker_auth_failure")
        constraints = [
            models.CheckConstraint(condition=Q(failures__gt=0), name="worker_auth_failure_ck"),
        ]


class WorkItemLease(models.Model):
    """A freshness-queue item handed to a worker until ``leased_until``; one lease per item."""

    class Queue(models.TextChoices):
        COMPANY_URLS = "company_urls"
        PROFILE_URLS = "profile_urls"
        EMAIL_RECHECK = "email_recheck"

    lease_id = models.BigAutoField(primary_key=True)
    queue = models.TextField(choices=Queue.choices)
    item_key = models.TextField()
    worker = models.ForeignKey(
        WorkerToken, on_delete=models.CASCADE, related_name="leases", db_column="worker_id"
    )
    leased_at = models.DateTimeField(db_default=Now())
    leased_until = models.DateTimeField()

    class Meta:
        db_table = schema_table("intake", "work_item_lease")
        ordering = ["lease_id"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "item_key"], name="work_item_lease_item_uq"),
            models.CheckConstraint(
                condition=Q(queue__in=["company_urls", "profile_urls", "email_recheck"]),
                name="work_item_lease_queue_ck",
            ),
        ]
        indexes = [models.Index(fields=["worker", "queue"], name="work_item_lease_worker_idx")]


class BatchSummary(models.Model):
    """Load counts of one batch, source and UTC day, kept by statement triggers on raw_loads."""

    summary_id = models.BigAutoField(primary_key=True)
    batch_id = models.TextField()
    source = models.TextField()
    load_day = models.DateField()
    loads_total = models.BigIntegerField(db_default=0)
    loads_pending = models.BigIntegerField(db_default=0)
    loads_promoted = models.BigIntegerField(db_default=0)
    loads_duplicate = models.BigIntegerField(db_default=0)
    loads_failed = models.BigIntegerField(db_default=0)
    first_created = models.DateTimeField()
    last_created = models.DateTimeField()
    first_load_id = models.BigIntegerField()
    ingested_by = models.TextField(null=True, blank=True)

    class Meta:
        db_table = schema_table("intake", "batch_summary")
        ordering = ["-last_created"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch_id", "source", "load_day"], name="batch_summary_key_uq"
            )
        ]
        indexes = [models.Index(fields=["-last_created"], name="batch_summary_last_idx")]


class SavedMapping(models.Model):
    """The column mapping last confirmed on the upload page for files of one source and preset,
    shared by everyone who uploads them; written only by ``intake.services.mapping_save``."""

    mapping_id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=100)
    preset = models.TextField()
    # column (CSV header or JSON dotted path) → raw field, "__keep__" or "__ignore__"
    mapping = StoredJSONField()
    # the columns of the file it was confirmed on, in file order (its header signature)
    headers = StoredJSONField()
    updated_by = models.TextField()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("intake", "saved_mapping")
        ordering = ["source", "preset"]
        constraints = [
            models.UniqueConstraint(fields=["source", "preset"], name="saved_mapping_key_uq"),
            models.CheckConstraint(
                condition=Q(preset__in=["apollo", "hubspot", "apify", "generic"]),
                name="saved_mapping_preset_ck",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="saved_mapping_source_ck"),
        ]

    def __str__(self):
        return f"{self.source} / {self.preset}"


class UploadJob(models.Model):
    """A large upload ingested in the background by ``manage.py process_uploads``, with its
    progress; written only by ``intake.services.upload_jobs``."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"
        CANCELLED = "cancelled"

    job_id = models.BigAutoField(primary_key=True)
    batch_id = models.TextField()
    source = models.TextField()
    file_name = models.TextField()
    # where the view stored the file (the worker reads it, then removes it)
    file_path = models.TextField()
    file_bytes = models.BigIntegerField(db_default=0)
    kind = models.TextField()  # csv / json, as sniffed by intake.parsing
    preset = models.TextField(db_default="generic")  # intake.presets name, never "auto"
    mapping = StoredJSONField(null=True, blank=True)  # column → raw field; None: rows' own keys
    status = models.TextField(choices=Status.choices, db_default="queued")
    rows_total = models.BigIntegerField(null=True, blank=True)
    rows_done = models.BigIntegerField(db_default=0)
    inserted = models.BigIntegerField(db_default=0)
    duplicate = models.BigIntegerField(db_default=0)
    skipped = models.BigIntegerField(db_default=0)
    messages = StoredJSONField(db_default=jsonb_default([]))  # first skip/refusal lines
    error = models.TextField(blank=True, db_default="")
    created_by = models.TextField()
    created_at = created_at()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("intake", "upload_job")
        ordering = ["-job_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed", "cancelled"]),
                name="upload_job_status_ck",
            ),
            models.CheckConstraint(condition=Q(rows_done__gte=0), name="upload_job_rows_done_ck"),
        ]
        indexes = [
            # the worker's claim: oldest queued (or stale running) first
            models.Index(
                fields=["status", "job_id"],
                name="upload_job_open_idx",
                condition=Q(status__in=["queued", "running"]),
            ),
        ]

    def __str__(self):
        return f"Upload {self.job_id} ({self.batch_id})"

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled")

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == "done" else 0
        return min(100, self.rows_done * 100 // self.rows_total)
