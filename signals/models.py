from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from outreach_admin.db import schema_table
from outreach_admin.fields import created_at, jsonb_default
from outreach_admin.models import HistoryRecord
from outreach_admin.stored_json import StoredJSONField


class Signal(models.Model):
    """A buying-intent signal about a company (and optionally one of its people)."""

    signal_id = models.BigAutoField(primary_key=True)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="signals"
    )
    contact = models.ForeignKey(
        "people.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    reason = models.TextField()
    signal_strength = models.SmallIntegerField(db_default=50, default=50)
    payload = StoredJSONField(db_default=jsonb_default({}), default=dict)
    dedupe_key = models.TextField(unique=True, null=True, blank=True)
    created_at = created_at()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = schema_table("bit", "signal")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="signal_company_idx"),
            models.Index(fields=["reason"], name="signal_reason_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(processed_at__isnull=True),
                name="signal_unprocessed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(signal_strength__gte=0, signal_strength__lte=100),
                name="signal_strength_ck",
            ),
            models.CheckConstraint(
                condition=~Q(reason__regex=r"^\s*$"), name="signal_reason_not_blank"
            ),
        ]


class CompanyScore(models.Model):
    """The current intent score of a company with its breakdown."""

    company = models.OneToOneField(
        "companies.Company",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score",
        db_column="company_id",
    )
    total_score = models.IntegerField(db_default=0)
    signal_breakdown = StoredJSONField(db_default=jsonb_default({}))
    calculated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = schema_table("bit", "company_score")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_score__gte=0, total_score__lte=100), name="company_score_range_ck"
            )
        ]


class ContactScore(models.Model):
    """The current engagement score of a person with its breakdown."""

    contact = models.OneToOneField(
        "people.Contact",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="score",
        db_column="contact_id",
    )
    engagement_score = models.IntegerField(db_default=0)
    activity_breakdown = StoredJSONField(db_default=jsonb_default({}))
    calculated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = schema_table("bit", "contact_score")
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement_score__gte=0, engagement_score__lte=100),
                name="contact_score_range_ck",
            )
        ]


class SignalHistory(HistoryRecord):
    """One recorded change of a signal, e.g. marking it processed (written by a trigger)."""

    row_id = models.BigIntegerField()
    company_id = models.BigIntegerField(null=True, blank=True)
    contact_id = models.BigIntegerField(null=True, blank=True)

    class Meta(HistoryRecord.Meta):
        db_table = schema_table("bit", "history")
        verbose_name_plural = "signal history"
        indexes = [
            models.Index(fields=["company_id", "-changed_at"], name="signal_history_company"),
        ]
