from django.contrib import admin

from outreach_admin.admin import BaseAdmin, ReadOnlyAdmin
from people.models import (
    AddressVerification,
    Contact,
    ContactVerification,
    EmailVerification,
    Enrichment,
    MergeLog,
    PersonFieldProvenance,
    PersonHistory,
    PersonIntelligence,
    ResolutionQueue,
)


class ContactVerificationInline(admin.StackedInline):
    model = ContactVerification
    fields = ["email", "email_status", "email_confidence", "email_checked_at", "provider"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        # The current status follows recorded results (people.email_verification trigger).
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(BaseAdmin):
    list_display = [
        "full_name",
        "title",
        "company",
        "email",
        "verification__email_status",
        "status",
        "source_system",
        "updated_at",
    ]
    list_select_related = ["company", "verification"]
    list_filter = ["status", "verification__email_status", "source_system"]
    search_fields = ["full_name", "email", "=unique_id", "linkedin_url", "title"]
    autocomplete_fields = ["company"]
    raw_id_fields = ["merged_into"]
    readonly_fields = ["unique_id", "created_at", "updated_at", "promoted_from_intake_at"]
    inlines = [ContactVerificationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "unique_id",
                    "full_name",
                    "first_name",
                    "last_name",
                    "title",
                    "company",
                    "status",
                    "merged_into",
                ]
            },
        ),
        (
            "Contact details",
            {
                "fields": [
                    "email",
                    "phone",
                    "work_phone_e164",
                    "personal_phone_e164",
                    "linkedin_url",
                    "profile_source_url",
                    "twitter_url",
                    "facebook_url",
                    "location",
                ]
            },
        ),
        (
            "Profile",
            {
                "classes": ["collapse"],
                "fields": [
                    "seniority",
                    "department",
                    "bio",
                    "skills",
                    "education",
                    "certifications",
                ],
            },
        ),
        (
            "Source and freshness",
            {
                "classes": ["collapse"],
                "fields": [
                    "source_system",
                    "source_record_id",
                    "promoted_from_intake_at",
                    "last_profile_checked_at",
                    "enriched_at",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]


@admin.register(ContactVerification)
class ContactVerificationAdmin(BaseAdmin):
    list_display = ["contact", "email_status", "email_confidence", "email_checked_at", "provider"]
    list_select_related = ["contact"]
    list_filter = ["email_status", "provider"]
    search_fields = ["contact__full_name", "contact__email"]
    autocomplete_fields = ["contact"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(EmailVerification)
class EmailVerificationAdmin(BaseAdmin):
    list_display = ["verified_at", "contact", "email", "email_status", "confidence", "provider"]
    list_select_related = ["contact"]
    list_filter = ["email_status", "provider"]
    search_fields = ["email", "contact__full_name"]
    autocomplete_fields = ["contact"]
    readonly_fields = ["created_at"]


@admin.register(ResolutionQueue)
class ResolutionQueueAdmin(BaseAdmin):
    list_display = [
        "resolution_id",
        "contact_primary",
        "contact_duplicate",
        "conflict_type",
        "score",
        "resolution_status",
        "resolved_by",
        "created_at",
    ]
    list_select_related = ["contact_primary", "contact_duplicate"]
    list_filter = ["resolution_status", "conflict_type"]
    search_fields = [
        "contact_primary__full_name",
        "contact_duplicate__full_name",
        "contact_primary__email",
        "contact_duplicate__email",
    ]
    autocomplete_fields = ["contact_primary", "contact_duplicate"]
    readonly_fields = ["created_at"]


@admin.register(MergeLog)
class MergeLogAdmin(ReadOnlyAdmin):
    list_display = ["merge_id", "merged_at", "survivor", "absorbed", "merged_by", "undone_at"]
    list_select_related = ["survivor", "absorbed"]
    search_fields = ["survivor__full_name", "absorbed__full_name", "merged_by"]


@admin.register(PersonIntelligence)
class PersonIntelligenceAdmin(BaseAdmin):
    list_display = ["detected_at", "contact", "intelligence_type", "previous_value", "new_value"]
    list_select_related = ["contact"]
    list_filter = ["intelligence_type"]
    search_fields = ["contact__full_name", "new_value"]
    autocomplete_fields = ["contact"]
    readonly_fields = ["created_at"]


@admin.register(Enrichment)
class EnrichmentAdmin(BaseAdmin):
    list_display = ["created_at", "contact", "agent_name", "enrichment_type", "status"]
    list_select_related = ["contact"]
    list_filter = ["status", "agent_name"]
    search_fields = ["contact__full_name", "agent_name"]
    autocomplete_fields = ["contact"]
    readonly_fields = ["created_at"]


@admin.register(PersonHistory)
class PersonHistoryAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "contact_id",
        "table_name",
        "action",
        "changed_fields",
        "changed_by",
    ]
    list_filter = ["table_name", "action"]
    search_fields = ["changed_by", "contact_id__exact"]


@admin.register(AddressVerification)
class AddressVerificationAdmin(ReadOnlyAdmin):
    list_display = ["saved_at", "contact", "email", "email_status", "email_checked_at", "provider"]
    list_select_related = ["contact"]
    list_filter = ["email_status"]
    search_fields = ["email", "contact__full_name"]


@admin.register(PersonFieldProvenance)
class PersonFieldProvenanceAdmin(ReadOnlyAdmin):
    list_display = ["set_at", "contact_id", "field", "outcome", "source", "load_id", "set_by"]
    list_filter = ["outcome", "field", "source"]
    search_fields = ["batch_id", "contact_id__exact"]
