from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least, Lower, Now

from outreach_admin.db import schema_table
from outreach_admin.fields import (
    EMAIL_STATUS_CHOICES,
    barton_default,
    barton_pattern,
    created_at,
    http_url_validator,
    jsonb_default,
    updated_at,
)
from outreach_admin.models import FieldProvenanceRecord, HistoryRecord
from outreach_admin.stored_json import StoredJSONField

EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
E164_RE = r"^\+[1-9][0-9]{6,14}$"


class Contact(models.Model):
    """Golden record of a person; merged duplicates stay as ``merged`` pointing at the survivor."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        INACTIVE = "inactive", "Left the company"
        BOUNCED = "bounced"
        UNSUBSCRIBED = "unsubscribed"
        MERGED = "merged"

    contact_id = models.BigAutoField(primary_key=True)
    unique_id = models.TextField(unique=True, db_default=barton_default("04.04.02"), editable=False)
    full_name = models.TextField()
    first_name = models.TextField(null=True, blank=True)
    last_name = models.TextField(null=True, blank=True)
    title = models.TextField(null=True, blank=True)
    seniority = models.TextField(null=True, blank=True)
    department = models.TextField(null=True, blank=True)
    email = models.TextField(null=True, blank=True)
    phone = models.TextField(null=True, blank=True)
    work_phone_e164 = models.TextField(null=True, blank=True)
    personal_phone_e164 = models.TextField(null=True, blank=True)
    linkedin_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    profile_source_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    twitter_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    facebook_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    location = models.TextField(null=True, blank=True)
    bio = models.TextField(null=True, blank=True)
    skills = ArrayField(models.TextField(), null=True, blank=True)
    education = models.TextField(null=True, blank=True)
    certifications = ArrayField(models.TextField(), null=True, blank=True)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    status = models.TextField(choices=Status.choices, db_default="active", default="active")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="absorbed"
    )
    source_system = models.TextField(db_default="manual", default="manual")
    source_record_id = models.TextField(null=True, blank=True)
    promoted_from_intake_at = models.DateTimeField(null=True, blank=True)
    last_profile_checked_at = models.DateTimeField(null=True, blank=True)
    enriched_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("people", "contact")
        ordering = ["full_name"]
        indexes = [
            models.Index(Lower("full_name"), name="contact_full_name_lower_idx"),
            models.Index(fields=["company"], name="contact_company_idx"),
            models.Index(fields=["linkedin_url"], name="contact_linkedin_idx"),
            models.Index(fields=["status"], name="contact_status_idx"),
            models.Index(fields=["title"], name="contact_title_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(full_name__regex=r"^\s*$"), name="contact_full_name_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(unique_id__regex=barton_pattern("04.04.02")),
                name="contact_unique_id_format",
            ),
            models.CheckConstraint(condition=Q(email__regex=EMAIL_RE), name="contact_email_format"),
            models.CheckConstraint(
                condition=Q(work_phone_e164__regex=E164_RE), name="contact_work_phone_e164"
            ),
            models.CheckConstraint(
                condition=Q(personal_phone_e164__regex=E164_RE), name="contact_personal_phone_e164"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "bounced", "unsubscribed", "merged"]),
                name="contact_status_ck",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="merged", merged_into__isnull=False)
                    | (~Q(status="merged") & Q(merged_into__isnull=True))
                ),
                name="contact_merged_into_ck",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("contact_id")),
                name="contact_not_merged_into_self",
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~Q(status="merged"), name="contact_email_live_uq"
            ),
        ]

    def __str__(self):
        return self.full_name


class ContactVerification(models.Model):
    """The current verification status of a person's email (one row per person)."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verification",
        db_column="contact_id",
    )
    email = models.TextField(null=True, blank=True)
    email_status = models.TextField(choices=EMAIL_STATUS_CHOICES, db_default="gray", default="gray")
    email_checked_at = models.DateTimeField(null=True, blank=True)
    email_confidence = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    email_source_url = models.TextField(null=True, blank=True)
    provider = models.TextField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("people", "contact_verification")
        indexes = [
            models.Index(fields=["email_status"], name="contact_verif_status_idx"),
            models.Index(fields=["email_checked_at"], name="contact_verif_checked_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status__in=["green", "yellow", "red", "gray"]),
                name="contact_verif_status_ck",
            ),
            models.CheckConstraint(
                condition=Q(email_confidence__gte=0, email_confidence__lte=100),
                name="contact_verif_confidence_ck",
            ),
        ]


class EmailVerification(models.Model):
    """One verification result; recording it also updates ``ContactVerification`` (trigger)."""

    verification_id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="email_verifications"
    )
    email = models.TextField(null=True, blank=True)
    email_status = models.TextField(choices=EMAIL_STATUS_CHOICES)
    confidence = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    provider = models.TextField(null=True, blank=True)
    source_url = models.TextField(null=True, blank=True)
    result = StoredJSONField(db_default=jsonb_default({}), default=dict)
    verified_at = models.DateTimeField(db_default=Now())
    created_at = created_at()

    class Meta:
        db_table = schema_table("people", "email_verification")
        ordering = ["-verified_at"]
        indexes = [models.Index(fields=["contact", "-verified_at"], name="email_verif_contact_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status__in=["green", "yellow", "red", "gray"]),
                name="email_verif_status_ck",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=100),
                name="email_verif_confidence_ck",
            ),
        ]


class ResolutionQueue(models.Model):
    """A candidate duplicate pair with its evidence; one row per unordered pair, ever."""

    class ConflictType(models.TextChoices):
        EMAIL = "email"
        LINKEDIN = "linkedin"
        PHONE = "phone"
        NAME_COMPANY = "name_company"
        NAME_SIMILAR = "name_similar"

    class Status(models.TextChoices):
        PENDING = "pending"
        MERGED = "merged"
        NOT_DUPLICATE = "not_duplicate"
        DEFERRED = "deferred"
        JOB_CHANGE = "job_change", "Job change"

    resolution_id = models.BigAutoField(primary_key=True)
    contact_primary = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    contact_duplicate = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    conflict_type = models.TextField(choices=ConflictType.choices)
    score = models.DecimalField(max_digits=4, decimal_places=3)
    evidence = StoredJSONField(db_default=jsonb_default({}), default=dict)
    recommendation = models.TextField(null=True, blank=True)
    resolution_status = models.TextField(
        choices=Status.choices, db_default="pending", default="pending"
    )
    resolved_by = models.TextField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("people", "resolution_queue")
        ordering = ["-score", "resolution_id"]
        indexes = [
            models.Index(fields=["resolution_status", "-score"], name="resolution_status_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                Least("contact_primary", "contact_duplicate"),
                Greatest("contact_primary", "contact_duplicate"),
                name="resolution_pair_uq",
            ),
            models.CheckConstraint(
                condition=~Q(contact_primary=models.F("contact_duplicate")),
                name="resolution_distinct_ck",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="resolution_score_ck"
            ),
            models.CheckConstraint(
                condition=Q(
                    conflict_type__in=["email", "linkedin", "phone", "name_company", "name_similar"]
                ),
                name="resolution_conflict_type_ck",
            ),
            models.CheckConstraint(
                condition=Q(
                    resolution_status__in=[
                        "pending",
                        "merged",
                        "not_duplicate",
                        "deferred",
                        "job_change",
                    ]
                ),
                name="resolution_status_ck",
            ),
        ]


class MergeLog(models.Model):
    """What one merge did: survivor, absorbed person, chosen values and every re-pointed row."""

    merge_id = models.BigAutoField(primary_key=True)
    survivor = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="merges_won")
    absorbed = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="merges_lost")
    resolution = models.ForeignKey(
        ResolutionQueue, on_delete=models.SET_NULL, null=True, blank=True, related_name="merges"
    )
    chosen_values = StoredJSONField(db_default=jsonb_default({}), default=dict)
    survivor_before = StoredJSONField(db_default=jsonb_default({}), default=dict)
    absorbed_before = StoredJSONField(db_default=jsonb_default({}), default=dict)
    moved_rows = StoredJSONField(db_default=jsonb_default({}), default=dict)
    merged_by = models.TextField()
    merged_at = models.DateTimeField(db_default=Now())
    undone_by = models.TextField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = schema_table("people", "merge_log")
        ordering = ["-merged_at"]


class PersonIntelligence(models.Model):
    """Something observed about a person (LinkedIn profile data, a job change, a scrape)."""

    intelligence_id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="intelligence")
    intelligence_type = models.TextField()
    previous_value = models.TextField(null=True, blank=True)
    new_value = models.TextField(null=True, blank=True)
    linkedin_data = StoredJSONField(null=True, blank=True)
    skills = ArrayField(models.TextField(), null=True, blank=True)
    experience = StoredJSONField(null=True, blank=True)
    education = StoredJSONField(null=True, blank=True)
    payload = StoredJSONField(null=True, blank=True)
    detected_at = models.DateTimeField(db_default=Now())
    stale_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("people", "intelligence")
        ordering = ["-detected_at"]
        verbose_name_plural = "person intelligence"
        indexes = [
            models.Index(fields=["contact", "-detected_at"], name="person_intel_contact_idx")
        ]


class Enrichment(models.Model):
    """One enrichment job run by an agent (Apify, Abacus, Firecrawl…) for a person."""

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"

    enrichment_id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="enrichments")
    agent_name = models.TextField()
    enrichment_type = models.TextField()
    status = models.TextField(choices=Status.choices, db_default="pending", default="pending")
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result = StoredJSONField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("people", "enrichment")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "completed", "failed"]),
                name="enrichment_status_ck",
            )
        ]


class PersonHistory(HistoryRecord):
    """One recorded change of a person (written by a trigger)."""

    contact_id = models.BigIntegerField(db_index=True)

    class Meta(HistoryRecord.Meta):
        db_table = schema_table("people", "history")
        verbose_name_plural = "person history"
        indexes = [models.Index(fields=["contact_id", "-changed_at"], name="person_history_idx")]


class AddressVerification(models.Model):
    """The last status an earlier address of a person had (kept by trigger, migration 0050)."""

    address_verification_id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    email = models.TextField()
    email_status = models.TextField(choices=EMAIL_STATUS_CHOICES)
    email_checked_at = models.DateTimeField(null=True, blank=True)
    email_confidence = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    email_source_url = models.TextField(null=True, blank=True)
    provider = models.TextField(null=True, blank=True)
    saved_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = schema_table("people", "address_verification")


class PersonFieldProvenance(FieldProvenanceRecord):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="provenance")

    class Meta(FieldProvenanceRecord.Meta):
        db_table = schema_table("people", "field_provenance")
        indexes = [
            models.Index(fields=["contact", "field", "-set_at"], name="person_provenance_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["applied", "rejected"]), name="person_provenance_outcome"
            )
        ]
