from django.contrib import admin

from marketing.models import (
    AcHandoff,
    Attribution,
    BookingEvent,
    Campaign,
    CampaignContact,
    FeedbackReport,
    MarketingHistory,
    MessageLog,
    PipelineEvent,
)
from outreach_admin.admin import BaseAdmin, ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(BaseAdmin):
    list_display = [
        "name",
        "type",
        "status",
        "target_roles",
        "target_count",
        "sent_count",
        "response_count",
        "started_at",
        "created_by",
    ]
    list_filter = ["status", "type"]
    search_fields = ["name", "created_by"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(CampaignContact)
class CampaignContactAdmin(BaseAdmin):
    list_display = [
        "campaign_contact_id",
        "campaign",
        "contact",
        "company",
        "role_code",
        "status",
        "updated_at",
    ]
    list_select_related = ["campaign", "contact", "company"]
    list_filter = ["status", "role_code", "campaign__status"]
    search_fields = [
        "campaign__name",
        "contact__full_name",
        "contact__email",
        "company__company_name",
    ]
    autocomplete_fields = ["campaign", "contact", "company"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(MessageLog)
class MessageLogAdmin(BaseAdmin):
    list_display = [
        "sent_at",
        "contact",
        "campaign",
        "direction",
        "channel",
        "message_type",
        "status",
        "subject",
    ]
    list_select_related = ["contact", "campaign"]
    list_filter = ["direction", "channel", "status", "message_type"]
    search_fields = ["subject", "contact__full_name", "contact__email", "campaign__name"]
    autocomplete_fields = ["contact", "campaign"]
    readonly_fields = ["created_at"]


@admin.register(BookingEvent)
class BookingEventAdmin(BaseAdmin):
    list_display = ["event_time", "company", "contact", "campaign", "source", "created_by"]
    list_select_related = ["company", "contact", "campaign"]
    list_filter = ["source"]
    search_fields = ["company__company_name", "contact__full_name", "campaign__name"]
    autocomplete_fields = ["company", "contact", "campaign"]
    readonly_fields = ["created_at"]


@admin.register(AcHandoff)
class AcHandoffAdmin(BaseAdmin):
    list_display = [
        "handoff_id",
        "created_at",
        "company",
        "contact",
        "status",
        "assigned_to",
        "reviewed_by",
        "reviewed_at",
    ]
    list_select_related = ["company", "contact", "assigned_to"]
    list_filter = ["status"]
    search_fields = ["company__company_name", "contact__full_name", "notes", "reject_reason"]
    autocomplete_fields = ["company", "contact", "booking_event", "assigned_to"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Attribution)
class AttributionAdmin(BaseAdmin):
    list_display = ["converted_at", "contact", "campaign", "conversion_type", "value"]
    list_select_related = ["contact", "campaign"]
    list_filter = ["conversion_type"]
    search_fields = ["contact__full_name", "campaign__name"]
    autocomplete_fields = ["contact", "campaign"]
    readonly_fields = ["created_at"]


@admin.register(FeedbackReport)
class FeedbackReportAdmin(BaseAdmin):
    list_display = ["report_date", "campaign", "insights"]
    list_select_related = ["campaign"]
    search_fields = ["campaign__name", "insights"]
    autocomplete_fields = ["campaign"]
    readonly_fields = ["created_at"]


@admin.register(PipelineEvent)
class PipelineEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event_type", "entity_type", "entity_id"]
    list_filter = ["event_type", "entity_type"]
    search_fields = ["event_type", "=entity_id"]


@admin.register(MarketingHistory)
class MarketingHistoryAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "table_name",
        "row_id",
        "campaign_id",
        "contact_id",
        "action",
        "changed_fields",
        "changed_by",
    ]
    list_filter = ["table_name", "action"]
    search_fields = ["changed_by", "campaign_id__exact", "contact_id__exact"]
