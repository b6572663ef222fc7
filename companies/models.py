from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear, Lower, Now

from outreach_admin.db import schema_table
from outreach_admin.fields import (
    ROLE_CHOICES,
    barton_default,
    barton_pattern,
    created_at,
    http_url_validator,
    updated_at,
)
from outreach_admin.models import FieldProvenanceRecord, HistoryRecord
from outreach_admin.stored_json import StoredJSONField


class Company(models.Model):
    """Golden record of a target company, with its renewal month and role slots."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        INACTIVE = "inactive"
        ARCHIVED = "archived"

    company_id = models.BigAutoField(primary_key=True)
    company_unique_id = models.TextField(
        unique=True, db_default=barton_default("04.04.01"), editable=False
    )
    company_name = models.TextField()
    domain = models.TextField(unique=True, null=True, blank=True)
    ein = models.TextField(null=True, blank=True)
    website_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    linkedin_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    news_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    facebook_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    twitter_url = models.TextField(null=True, blank=True, validators=[http_url_validator])
    industry = models.TextField(null=True, blank=True)
    employee_count = models.IntegerField(null=True, blank=True)
    revenue = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    company_phone = models.TextField(null=True, blank=True)
    sic_codes = models.TextField(null=True, blank=True)
    founded_year = models.IntegerField(null=True, blank=True)
    keywords = ArrayField(models.TextField(), null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    address_line1 = models.TextField(null=True, blank=True)
    address_line2 = models.TextField(null=True, blank=True)
    city = models.TextField(null=True, blank=True)
    state_region = models.TextField(null=True, blank=True)
    postal_code = models.TextField(null=True, blank=True)
    country = models.TextField(null=True, blank=True)
    renewal_month = models.SmallIntegerField(null=True, blank=True)
    renewal_notice_window_days = models.IntegerField(db_default=120, default=120)
    # Kept by the company_renewal_dates trigger, rolled forward daily (migration 0006).
    next_renewal_date = models.DateField(null=True, blank=True, editable=False)
    campaign_window_start = models.DateField(null=True, blank=True, editable=False)
    status = models.TextField(choices=Status.choices, db_default="active", default="active")
    source_system = models.TextField(db_default="manual", default="manual")
    source_record_id = models.TextField(null=True, blank=True)
    promoted_from_intake_at = models.DateTimeField(null=True, blank=True)
    promotion_audit_log_id = models.BigIntegerField(null=True, blank=True)
    last_site_checked_at = models.DateTimeField(null=True, blank=True)
    last_linkedin_checked_at = models.DateTimeField(null=True, blank=True)
    last_news_checked_at = models.DateTimeField(null=True, blank=True)
    enriched_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("company", "company")
        ordering = ["company_name"]
        verbose_name_plural = "companies"
        indexes = [
            models.Index(Lower("company_name"), name="company_name_lower_idx"),
            models.Index(fields=["industry"], name="company_industry_idx"),
            models.Index(fields=["state_region"], name="company_state_idx"),
            models.Index(fields=["renewal_month"], name="company_renewal_month_idx"),
            models.Index(
                fields=["campaign_window_start", "company_name", "company_id"],
                name="company_window_start_idx",
            ),
            models.Index(fields=["next_renewal_date"], name="company_next_renewal_idx"),
            models.Index(
                fields=["campaign_window_start", "company_id"],
                condition=Q(status="active"),
                name="company_window_active_idx",
            ),
            models.Index(fields=["status"], name="company_status_idx"),
            models.Index(fields=["source_system"], name="company_source_system_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(company_name__regex=r"^\s*$"), name="company_name_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(company_unique_id__regex=barton_pattern("04.04.01")),
                name="company_unique_id_format",
            ),
            models.CheckConstraint(
                condition=Q(employee_count__gte=0), name="company_employee_count_ck"
            ),
            models.CheckConstraint(condition=Q(revenue__gte=0), name="company_revenue_ck"),
            models.CheckConstraint(
                condition=Q(founded_year__gte=1700, founded_year__lte=ExtractYear(Now())),
                name="company_founded_year_ck",
            ),
            models.CheckConstraint(
                condition=Q(renewal_month__gte=1, renewal_month__lte=12),
                name="company_renewal_month_ck",
            ),
            models.CheckConstraint(
                condition=Q(renewal_notice_window_days__gte=0, renewal_notice_window_days__lte=365),
                name="company_renewal_window_ck",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "archived"]), name="company_status_ck"
            ),
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")), name="company_domain_lower_ck"
            ),
        ]

    def __str__(self):
        return self.company_name


class CompanySlot(models.Model):
    """One of a company's three role seats (CEO, CFO, HR), filled by at most one person."""

    company_slot_id = models.BigAutoField(primary_key=True)
    company_slot_unique_id = models.TextField(
        unique=True, db_default=barton_default("04.04.05"), editable=False
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="slots")
    role_code = models.TextField(choices=ROLE_CHOICES)
    contact = models.ForeignKey(
        "people.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )
    is_filled = models.GeneratedField(
        expression=models.ExpressionWrapper(
            Q(contact__isnull=False), output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    filled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("company", "company_slot")
        ordering = ["company_id", "role_code"]
        indexes = [
            models.Index(fields=["role_code"], name="company_slot_role_idx"),
            models.Index(
                fields=["company"], condition=Q(contact__isnull=True), name="company_slot_open_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "role_code"], name="company_slot_company_role_uq"
            ),
            models.CheckConstraint(
                condition=Q(role_code__in=["CEO", "CFO", "HR"]), name="company_slot_role_ck"
            ),
            models.CheckConstraint(
                condition=Q(company_slot_unique_id__regex=barton_pattern("04.04.05")),
                name="company_slot_unique_id_format",
            ),
        ]

    def __str__(self):
        return f"{self.role_code} slot of company {self.company_id}"


class CompanyIntelligence(models.Model):
    """A news item, signal, event or score observed about a company."""

    class Type(models.TextChoices):
        NEWS = "news"
        SIGNAL = "signal"
        EVENT = "event"
        SCORE = "score"
        SCRAPE = "scrape"

    intelligence_id = models.BigAutoField(primary_key=True)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="intelligence")
    intelligence_type = models.TextField(choices=Type.choices)
    source = models.TextField(null=True, blank=True)
    title = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    url = models.TextField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    detected_at = models.DateTimeField(null=True, blank=True)
    payload = StoredJSONField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("company", "intelligence")
        ordering = ["-detected_at"]
        verbose_name_plural = "company intelligence"
        indexes = [
            models.Index(fields=["company", "-detected_at"], name="company_intel_company_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(intelligence_type__in=["news", "signal", "event", "score", "scrape"]),
                name="company_intel_type_ck",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="company_intel_score_ck"
            ),
        ]


class CompanyHistory(HistoryRecord):
    """One recorded change of a company or one of its slots (written by a trigger)."""

    company_id = models.BigIntegerField(db_index=True)
    company_slot_id = models.BigIntegerField(null=True, blank=True)

    class Meta(HistoryRecord.Meta):
        db_table = schema_table("company", "history")
        verbose_name_plural = "company history"
        indexes = [models.Index(fields=["company_id", "-changed_at"], name="company_history_idx")]


class CompanyFieldProvenance(FieldProvenanceRecord):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="provenance")

    class Meta(FieldProvenanceRecord.Meta):
        db_table = schema_table("company", "field_provenance")
        indexes = [
            models.Index(fields=["company", "field", "-set_at"], name="company_provenance_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["applied", "rejected"]), name="company_provenance_outcome"
            )
        ]
