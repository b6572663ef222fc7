from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from outreach_admin.db import schema_table
from outreach_admin.fields import ROLE_CHOICES, created_at, jsonb_default, updated_at
from outreach_admin.models import HistoryRecord
from outreach_admin.stored_json import StoredJSONField


class Campaign(models.Model):
    """An outreach campaign and its running counts."""

    class Type(models.TextChoices):
        COLD_OUTREACH = "cold_outreach", "Cold outreach"
        NURTURE = "nurture", "Nurture"
        FOLLOW_UP = "follow_up", "Follow-up"
        RENEWAL = "renewal", "Renewal"

    class Status(models.TextChoices):
        DRAFT = "draft"
        ACTIVE = "active"
        PAUSED = "paused"
        COMPLETED = "completed"

    campaign_id = models.BigAutoField(primary_key=True)
    name = models.TextField()
    type = models.TextField(
        choices=Type.choices, db_default="cold_outreach", default="cold_outreach"
    )
    status = models.TextField(choices=Status.choices, db_default="draft", default="draft")
    target_roles = ArrayField(models.TextField(choices=ROLE_CHOICES), null=True, blank=True)
    target_count = models.IntegerField(null=True, blank=True)
    sent_count = models.IntegerField(db_default=0, default=0)
    response_count = models.IntegerField(db_default=0, default=0)
    created_by = models.TextField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("marketing", "campaign")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name__regex=r"^\s*$"), name="campaign_name_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(type__in=["cold_outreach", "nurture", "follow_up", "renewal"]),
                name="campaign_type_ck",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "paused", "completed"]),
                name="campaign_status_ck",
            ),
            models.CheckConstraint(
                condition=Q(sent_count__gte=0, response_count__gte=0, target_count__gte=0),
                name="campaign_counts_ck",
            ),
            models.CheckConstraint(
                condition=Q(target_roles__contained_by=["CEO", "CFO", "HR"]),
                name="campaign_target_roles_ck",
            ),
        ]

    def __str__(self):
        return self.name


class CampaignContact(models.Model):
    """A person's membership of a campaign, with the company and role captured when added."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        OPENED = "opened"
        REPLIED = "replied"
        BOUNCED = "bounced"
        UNSUBSCRIBED = "unsubscribed"
        BOOKED = "booked"

    campaign_contact_id = models.BigAutoField(primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    contact = models.ForeignKey(
        "people.Contact", on_delete=models.CASCADE, related_name="campaign_memberships"
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_memberships",
    )
    role_code = models.TextField(choices=ROLE_CHOICES, null=True, blank=True)
    status = models.TextField(choices=Status.choices, db_default="pending", default="pending")
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("marketing", "campaign_contact")
        ordering = ["campaign_contact_id"]
        indexes = [
            models.Index(fields=["contact"], name="campaign_contact_contact_idx"),
            models.Index(fields=["company"], name="campaign_contact_company_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contact"], name="campaign_contact_uq"),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending",
                        "sent",
                        "opened",
                        "replied",
                        "bounced",
                        "unsubscribed",
                        "booked",
                    ]
                ),
                name="campaign_contact_status_ck",
            ),
            models.CheckConstraint(
                condition=Q(role_code__in=["CEO", "CFO", "HR"]), name="campaign_contact_role_ck"
            ),
        ]


class MessageLog(models.Model):
    """One message sent to or received from a person."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound"
        INBOUND = "inbound"

    class Channel(models.TextChoices):
        EMAIL = "email"
        LINKEDIN = "linkedin"
        PHONE = "phone"
        OTHER = "other"

    class MessageType(models.TextChoices):
        INITIAL = "initial"
        FOLLOW_UP = "follow_up", "Follow-up"
        REPLY = "reply"

    class Status(models.TextChoices):
        SENT = "sent"
        OPENED = "opened"
        REPLIED = "replied"
        BOUNCED = "bounced"

    message_log_id = models.BigAutoField(primary_key=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    contact = models.ForeignKey(
        "people.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    direction = models.TextField(
        choices=Direction.choices, db_default="outbound", default="outbound"
    )
    channel = models.TextField(choices=Channel.choices, db_default="email", default="email")
    message_type = models.TextField(choices=MessageType.choices, null=True, blank=True)
    status = models.TextField(choices=Status.choices, null=True, blank=True)
    subject = models.TextField(null=True, blank=True)
    body = models.TextField(null=True, blank=True)
    sent_at = models.DateTimeField(db_default=Now())
    opened_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("marketing", "message_log")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["contact", "-sent_at"], name="message_log_contact_idx"),
            models.Index(fields=["campaign", "-sent_at"], name="message_log_campaign_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["outbound", "inbound"]), name="message_log_direction_ck"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "linkedin", "phone", "other"]),
                name="message_log_channel_ck",
            ),
            models.CheckConstraint(
                condition=Q(message_type__in=["initial", "follow_up", "reply"]),
                name="message_log_type_ck",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["sent", "opened", "replied", "bounced"]),
                name="message_log_status_ck",
            ),
        ]


class BookingEvent(models.Model):
    """A meeting booked with a person at a company."""

    booking_event_id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey("people.Contact", on_delete=models.PROTECT, related_name="bookings")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="bookings"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    event_time = models.DateTimeField()
    source = models.TextField(null=True, blank=True)
    created_by = models.TextField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("marketing", "booking_event")
        ordering = ["-event_time"]
        indexes = [models.Index(fields=["event_time"], name="booking_event_time_idx")]


class AcHandoff(models.Model):
    """A booked company handed to an account coordinator for review."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        REJECTED = "rejected"
        CLOSED = "closed"

    handoff_id = models.BigAutoField(primary_key=True)
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="handoffs"
    )
    contact = models.ForeignKey(
        "people.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="handoffs"
    )
    booking_event = models.ForeignKey(
        BookingEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs"
    )
    notes = models.TextField(null=True, blank=True)
    status = models.TextField(choices=Status.choices, db_default="pending", default="pending")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    reject_reason = models.TextField(null=True, blank=True)
    reviewed_by = models.TextField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_notes = models.TextField(null=True, blank=True)
    created_at = created_at()
    updated_at = updated_at()

    class Meta:
        db_table = schema_table("marketing", "ac_handoff")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="ac_handoff_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected", "closed"]),
                name="ac_handoff_status_ck",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | Q(reject_reason__isnull=False),
                name="ac_handoff_reject_reason_ck",
            ),
        ]


class Attribution(models.Model):
    """A conversion credited to a person and, optionally, a campaign."""

    attribution_id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey(
        "people.Contact", on_delete=models.CASCADE, related_name="attributions"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="attributions"
    )
    conversion_type = models.TextField()
    converted_at = models.DateTimeField(db_default=Now())
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    source_touchpoint = models.TextField(null=True, blank=True)
    final_touchpoint = models.TextField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("marketing", "attribution")
        constraints = [
            models.CheckConstraint(
                condition=Q(conversion_type__in=["meeting", "demo", "signup", "sale"]),
                name="attribution_type_ck",
            )
        ]


class FeedbackReport(models.Model):
    """A dated performance report for a campaign."""

    report_id = models.BigAutoField(primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    report_date = models.DateField()
    metrics = StoredJSONField(db_default=jsonb_default({}), default=dict)
    insights = models.TextField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("marketing", "feedback_report")


class PipelineEvent(models.Model):
    """An event in the intake→golden-record pipeline, about a company or a person."""

    event_id = models.BigAutoField(primary_key=True)
    event_type = models.TextField()
    entity_type = models.TextField(null=True, blank=True)
    entity_id = models.TextField(null=True, blank=True)
    event_data = StoredJSONField(null=True, blank=True)
    created_at = created_at()

    class Meta:
        db_table = schema_table("marketing", "pipeline_events")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["event_type"], name="pipeline_events_type_idx"),
            models.Index(fields=["entity_type", "entity_id"], name="pipeline_events_entity_idx"),
            models.Index(fields=["-created_at"], name="pipeline_events_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(entity_type__in=["company", "person"]), name="pipeline_events_entity_ck"
            )
        ]


class MarketingHistory(HistoryRecord):
    """One recorded change of a campaign, a campaign member or a logged message (by trigger)."""

    row_id = models.BigIntegerField()
    campaign_id = models.BigIntegerField(null=True, blank=True)
    contact_id = models.BigIntegerField(null=True, blank=True)

    class Meta(HistoryRecord.Meta):
        db_table = schema_table("marketing", "history")
        verbose_name_plural = "marketing history"
        indexes = [
            models.Index(fields=["campaign_id", "-changed_at"], name="marketing_history_campaign"),
            models.Index(fields=["contact_id", "-changed_at"], name="marketing_history_contact"),
        ]
