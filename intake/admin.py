from django.contrib import admin, messages

from intake.models import (
    ActorUsageLog,
    AuditLog,
    BatchSummary,
    CompanyRawIntake,
    LinkedinRefreshJob,
    PleCycle,
    PleLog,
    PleStep,
    RawLoad,
    SavedMapping,
    ShqErrorLog,
    UploadJob,
    VaultContact,
    WorkerAuthFailure,
    WorkerToken,
    WorkItemLease,
)
from intake.services import mapping_delete, worker_token_create
from outreach_admin.admin import BaseAdmin, ReadOnlyAdmin, ReadOnlyInline


@admin.register(RawLoad)
class RawLoadAdmin(ReadOnlyAdmin):
    list_display = ["load_id", "created_at", "batch_id", "source", "raw_email", "status"]
    list_filter = ["status", "source"]
    search_fields = ["=batch_id", "raw_data__email"]

    @admin.display(description="email")
    def raw_email(self, obj):
        return (obj.raw_data or {}).get("email") if isinstance(obj.raw_data, dict) else None


@admin.register(BatchSummary)
class BatchSummaryAdmin(ReadOnlyAdmin):
    list_display = [
        "batch_id",
        "source",
        "load_day",
        "loads_total",
        "loads_pending",
        "last_created",
    ]
    list_filter = ["source"]
    search_fields = ["=batch_id"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["log_id", "created_at", "action", "user_name", "batch_id", "record_count"]
    list_filter = ["action"]
    search_fields = ["=batch_id", "user_name", "action"]


@admin.register(VaultContact)
class VaultContactAdmin(ReadOnlyAdmin):
    list_display = [
        "contact_id",
        "email",
        "name",
        "company",
        "title",
        "source",
        "status",
        "score",
        "people_contact",
    ]
    list_select_related = ["people_contact"]
    list_filter = ["status", "source"]
    search_fields = ["email", "name", "company"]


@admin.register(CompanyRawIntake)
class CompanyRawIntakeAdmin(BaseAdmin):
    list_display = [
        "intake_id",
        "uploaded_at",
        "company_name",
        "website",
        "state",
        "validation_status",
        "promoted_to_unique_id",
    ]
    list_filter = ["validation_status", "source"]
    search_fields = ["company_name", "website", "=promoted_to_unique_id"]
    readonly_fields = ["promoted_to_unique_id", "uploaded_at", "validated_at"]


class PleStepInline(ReadOnlyInline):
    model = PleStep
    fields = ["step_name", "step_type", "status", "counts", "executed_at", "completed_at"]
    readonly_fields = fields


@admin.register(PleCycle)
class PleCycleAdmin(ReadOnlyAdmin):
    list_display = ["cycle_id", "cycle_name", "status", "started_by", "started_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["cycle_name", "started_by"]
    inlines = [PleStepInline]


class PleLogInline(ReadOnlyInline):
    model = PleLog
    fields = ["logged_at", "log_level", "message"]
    readonly_fields = fields
    show_change_link = False


@admin.register(PleStep)
class PleStepAdmin(ReadOnlyAdmin):
    list_display = ["step_id", "cycle", "step_name", "step_type", "status", "executed_at"]
    list_select_related = ["cycle"]
    list_filter = ["status"]
    search_fields = ["step_name", "cycle__cycle_name"]
    inlines = [PleLogInline]


@admin.register(PleLog)
class PleLogAdmin(ReadOnlyAdmin):
    list_display = ["log_id", "logged_at", "step", "log_level", "message"]
    list_select_related = ["step"]
    list_filter = ["log_level"]
    search_fields = ["message"]


@admin.register(ShqErrorLog)
class ShqErrorLogAdmin(BaseAdmin):
    list_display = ["id", "created_at", "error_type", "severity", "error_message", "resolved"]
    list_filter = ["severity", "resolved", "error_type"]
    search_fields = ["error_message", "error_type", "=unique_id"]
    readonly_fields = ["unique_id", "created_at", "updated_at"]


@admin.register(LinkedinRefreshJob)
class LinkedinRefreshJobAdmin(BaseAdmin):
    list_display = ["job_id", "requested_at", "person_unique_id", "status", "completed_at"]
    list_filter = ["status"]
    search_fields = ["=person_unique_id", "linkedin_url", "=apify_run_id"]


@admin.register(ActorUsageLog)
class ActorUsageLogAdmin(BaseAdmin):
    list_display = ["log_id", "actor_id", "run_id", "status", "started_at", "compute_units"]
    list_filter = ["status"]
    search_fields = ["actor_id", "=run_id"]
    readonly_fields = ["created_at"]


@admin.register(WorkerToken)
class WorkerTokenAdmin(BaseAdmin):
    list_display = ["name", "kind", "active", "rate_limit_per_minute", "last_used_at", "created_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    fields = ["name", "kind", "active", "rate_limit_per_minute", "last_used_at", "created_at"]
    readonly_fields = ["last_used_at", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # The plain token exists only here: the service stores its SHA-256 and hands it back once.
        row, token = worker_token_create(
            name=obj.name, kind=obj.kind, actor=request.user.get_username()
        )
        changed = [
            f for f in ("active", "rate_limit_per_minute") if getattr(obj, f) != getattr(row, f)
        ]
        for f in changed:
            setattr(row, f, getattr(obj, f))
        if changed:
            row.save(update_fields=changed)
        obj.__dict__.update(row.__dict__)
        messages.warning(
            request,
            f"Token for worker {row.name}: {token} — copy it now; only its hash is stored and "
            "it cannot be shown again.",
        )


@admin.register(WorkItemLease)
class WorkItemLeaseAdmin(BaseAdmin):
    list_display = ["lease_id", "queue", "item_key", "worker", "leased_at", "leased_until"]
    list_select_related = ["worker"]
    list_filter = ["queue"]
    search_fields = ["=item_key", "worker__name"]

    def get_queryset(self, request):
        # select_related reads every column of the worker; the app role has no token_hash.
        return super().get_queryset(request).defer("worker__token_hash")

    # Leases are taken and released by the worker API; deleting one frees a stuck item.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerAuthFailure)
class WorkerAuthFailureAdmin(ReadOnlyAdmin):
    """Addresses that presented wrong worker tokens this minute or last (written by the API)."""

    list_display = ["client", "window_start", "failures"]
    search_fields = ["=client"]
    ordering = ["-window_start", "client"]


@admin.register(SavedMapping)
class SavedMappingAdmin(BaseAdmin):
    """Mappings are saved from the upload page (validated, audited); the admin shows them and
    deletes a stale one through the service, which writes the audit row."""

    list_display = ["source", "preset", "updated_by", "updated_at", "column_count"]
    list_filter = ["preset"]
    search_fields = ["source", "updated_by"]
    fields = ["source", "preset", "mapping", "headers", "updated_by", "updated_at"]
    readonly_fields = fields

    @admin.display(description="columns")
    def column_count(self, obj):
        return len(obj.mapping) if isinstance(obj.mapping, dict) else None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        mapping_delete(mapping_id=obj.pk, actor=request.user.get_username())

    def delete_queryset(self, request, queryset):
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            mapping_delete(mapping_id=pk, actor=request.user.get_username())


@admin.register(UploadJob)
class UploadJobAdmin(ReadOnlyAdmin):
    """Jobs are queued from the upload page and run by ``manage.py process_uploads``."""

    list_display = [
        "job_id",
        "file_name",
        "batch_id",
        "status",
        "rows_done",
        "rows_total",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["=batch_id", "file_name", "created_by"]
