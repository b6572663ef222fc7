from django.contrib import admin

from outreach_admin.admin import BaseAdmin, ReadOnlyAdmin
from signals.models import CompanyScore, ContactScore, Signal, SignalHistory


@admin.register(Signal)
class SignalAdmin(BaseAdmin):
    list_display = [
        "created_at",
        "company",
        "contact",
        "reason",
        "signal_strength",
        "dedupe_key",
        "processed_at",
    ]
    list_select_related = ["company", "contact"]
    list_filter = ["reason"]
    search_fields = ["company__company_name", "reason", "=dedupe_key"]
    autocomplete_fields = ["company", "contact"]
    readonly_fields = ["created_at"]


@admin.register(CompanyScore)
class CompanyScoreAdmin(BaseAdmin):
    list_display = ["company", "total_score", "calculated_at"]
    list_select_related = ["company"]
    search_fields = ["company__company_name"]
    autocomplete_fields = ["company"]


@admin.register(ContactScore)
class ContactScoreAdmin(BaseAdmin):
    list_display = ["contact", "engagement_score", "calculated_at"]
    list_select_related = ["contact"]
    search_fields = ["contact__full_name", "contact__email"]
    autocomplete_fields = ["contact"]


@admin.register(SignalHistory)
class SignalHistoryAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "row_id",
        "company_id",
        "contact_id",
        "action",
        "changed_fields",
        "changed_by",
    ]
    list_filter = ["action"]
    search_fields = ["changed_by", "company_id__exact", "row_id__exact"]
