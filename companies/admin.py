import calendar

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery

from companies.models import (
    Company,
    CompanyFieldProvenance,
    CompanyHistory,
    CompanyIntelligence,
    CompanySlot,
)
from outreach_admin.admin import BaseAdmin, ReadOnlyAdmin
from outreach_admin.fields import ROLES
from people.models import Contact


class SlotInlineForm(forms.ModelForm):
    class Meta:
        model = CompanySlot
        fields = ["contact", "last_refreshed_at"]

    def clean_contact(self):
        # The slot-fill trigger refuses these too; checking here turns its error into a message.
        contact = self.cleaned_data.get("contact")
        if contact is None or contact.pk == self.instance.contact_id:
            return contact
        if contact.status == Contact.Status.MERGED:
            raise forms.ValidationError(
                f"{contact} was merged into another record and cannot fill a slot."
            )
        company = self.instance.company if self.instance.company_id else None
        if company is not None and company.status == Company.Status.ARCHIVED:
            raise forms.ValidationError("This company is archived; its slots cannot be filled.")
        return contact


class CompanySlotInline(admin.TabularInline):
    model = CompanySlot
    form = SlotInlineForm
    fields = [
        "role_code",
        "contact",
        "contact_title",
        "contact_email",
        "email_status",
        "filled_at",
        "company_slot_unique_id",
    ]
    readonly_fields = [
        "role_code",
        "contact_title",
        "contact_email",
        "email_status",
        "filled_at",
        "company_slot_unique_id",
    ]
    raw_id_fields = ["contact"]
    extra = 0
    max_num = 3
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The three slots are created with the company (see CompanyAdmin.save_model).
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact", "contact__verification")

    @admin.display(description="title")
    def contact_title(self, obj):
        return obj.contact.title if obj.contact_id else "—"

    @admin.display(description="email")
    def contact_email(self, obj):
        return obj.contact.email if obj.contact_id else "—"

    @admin.display(description="email status")
    def email_status(self, obj):
        if not obj.contact_id:
            return "—"
        verification = getattr(obj.contact, "verification", None)
        return verification.email_status if verification else "gray"


class RenewalMonthFilter(admin.SimpleListFilter):
    title = "renewal month"
    parameter_name = "renewal_month"

    def lookups(self, request, model_admin):
        return [(str(m), calendar.month_name[m]) for m in range(1, 13)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(renewal_month=self.value())
        return queryset


@admin.register(Company)
class CompanyAdmin(BaseAdmin):
    list_display = [
        "company_name",
        "domain",
        "industry",
        "state_region",
        "renewal_month",
        "status",
        "filled_slots",
        "updated_at",
    ]
    list_filter = ["status", RenewalMonthFilter, "source_system"]
    search_fields = ["company_name", "domain", "=company_unique_id", "ein"]
    readonly_fields = [
        "company_unique_id",
        "created_at",
        "updated_at",
        "promoted_from_intake_at",
        "promotion_audit_log_id",
    ]
    inlines = [CompanySlotInline]
    fieldsets = [
        (None, {"fields": ["company_unique_id", "company_name", "status", "industry"]}),
        (
            "Web",
            {
                "fields": [
                    "website_url",
                    "domain",
                    "linkedin_url",
                    "news_url",
                    "facebook_url",
                    "twitter_url",
                ]
            },
        ),
        (
            "Renewal",
            {"fields": ["renewal_month", "renewal_notice_window_days"]},
        ),
        (
            "Firmographics",
            {
                "classes": ["collapse"],
                "fields": [
                    "ein",
                    "employee_count",
                    "revenue",
                    "company_phone",
                    "sic_codes",
                    "founded_year",
                    "keywords",
                    "description",
                ],
            },
        ),
        (
            "Address",
            {
                "classes": ["collapse"],
                "fields": [
                    "address_line1",
                    "address_line2",
                    "city",
                    "state_region",
                    "postal_code",
                    "country",
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
                    "promotion_audit_log_id",
                    "last_site_checked_at",
                    "last_linkedin_checked_at",
                    "last_news_checked_at",
                    "enriched_at",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        # A correlated subquery runs only for the page's rows; a GROUP BY would aggregate the
        # whole table before paging.
        filled = (
            CompanySlot.objects.filter(company=OuterRef("pk"), contact__isnull=False)
            .order_by()
            .values("company")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(filled_slot_count=Subquery(filled, output_field=IntegerField()))
        )

    @admin.display(description="slots filled", ordering="filled_slot_count")
    def filled_slots(self, obj):
        return f"{obj.filled_slot_count or 0}/3"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "domain":
            kwargs["help_text"] = "Leave blank to derive it from the website when saved."
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            CompanySlot.objects.bulk_create(
                [CompanySlot(company=obj, role_code=role) for role in ROLES]
            )


@admin.register(CompanySlot)
class CompanySlotAdmin(BaseAdmin):
    form = SlotInlineForm
    list_display = [
        "company_slot_unique_id",
        "company",
        "role_code",
        "contact",
        "is_filled",
        "filled_at",
        "last_refreshed_at",
    ]
    list_select_related = ["company", "contact"]
    list_filter = ["role_code", "is_filled"]
    search_fields = [
        "=company_slot_unique_id",
        "company__company_name",
        "contact__full_name",
        "contact__email",
    ]
    raw_id_fields = ["contact"]
    readonly_fields = [
        "company_slot_unique_id",
        "company",
        "role_code",
        "is_filled",
        "filled_at",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields[:3] + ["contact", "last_refreshed_at"] + readonly_fields[3:]

    def has_add_permission(self, request):
        # Slots are created with their company, three per company, never one by one.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompanyIntelligence)
class CompanyIntelligenceAdmin(BaseAdmin):
    list_display = ["detected_at", "company", "intelligence_type", "title", "source", "score"]
    list_select_related = ["company"]
    list_filter = ["intelligence_type"]
    search_fields = ["title", "company__company_name", "source"]
    autocomplete_fields = ["company"]
    readonly_fields = ["created_at"]


@admin.register(CompanyHistory)
class CompanyHistoryAdmin(ReadOnlyAdmin):
    list_display = [
        "changed_at",
        "company_id",
        "company_slot_id",
        "table_name",
        "action",
        "changed_fields",
        "changed_by",
    ]
    list_filter = ["table_name", "action"]
    search_fields = ["changed_by", "company_id__exact"]


@admin.register(CompanyFieldProvenance)
class CompanyFieldProvenanceAdmin(ReadOnlyAdmin):
    list_display = ["set_at", "company_id", "field", "outcome", "source", "load_id", "set_by"]
    list_filter = ["outcome", "field", "source"]
    search_fields = ["batch_id", "company_id__exact"]
