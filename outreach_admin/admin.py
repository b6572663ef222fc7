"""Shared Django admin bases: paging defaults for big tables, permissions that follow the
database grants of the runtime role, and database-rule refusals shown as messages.

Admin requests run under ``SET LOCAL ROLE outreach_app`` (``ActingUserMiddleware``), so a form
the role may not write would only end in a 500 (``42501``). ``BaseAdmin`` therefore hides add,
change and delete wherever the role lacks the grant, and ``ReadOnlyAdmin`` does so always (history,
audit and RLS-protected tables, whose rows are written only by triggers and SQL functions).
"""

from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import DataError, IntegrityError, InternalError, connection, models, transaction
from django.http import HttpResponseRedirect

from outreach_admin.models import SavedView

# Text columns that hold prose; every other TextField is a one-line value (names, URLs, codes).
LONG_TEXT = {
    "description", "bio", "notes", "review_notes", "reject_reason", "body", "insights",
    "error_message", "stack_trace", "message", "recommendation",
}  # fmt: skip

# Django's permission verbs mapped to the table privilege each one needs.
_PRIVILEGES = {"add": "INSERT", "change": "UPDATE", "delete": "DELETE"}


@functools.cache
def app_role_privileges() -> dict[str, frozenset[str]]:
    """Map ``"schema.table"`` to the DML privileges the runtime role holds on it.

    One catalog query per process: grants only change with migrations, which restart the
    server anyway.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname || '.' || c.relname,
                   array_remove(ARRAY[
                       CASE WHEN has_table_privilege(%(role)s, c.oid, 'INSERT') THEN 'INSERT' END,
                       CASE WHEN has_table_privilege(%(role)s, c.oid, 'UPDATE') THEN 'UPDATE' END,
                       CASE WHEN has_table_privilege(%(role)s, c.oid, 'DELETE') THEN 'DELETE' END
                   ], NULL)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """,
            {"role": settings.DB_APP_ROLE},
        )
        return {name: frozenset(privs) for name, privs in cursor.fetchall()}


def _qualified_table(model) -> str:
    table = model._meta.db_table.replace('"', "")
    return table if "." in table else f"public.{table}"


def role_may(model, verb: str) -> bool:
    """True when the runtime role holds the grant behind Django's ``verb`` on ``model``."""
    return _PRIVILEGES[verb] in app_role_privileges().get(_qualified_table(model), frozenset())


class BaseAdmin(admin.ModelAdmin):
    """Defaults for tables that grow to 100k rows, and permissions bounded by the role's grants."""

    list_per_page = 50
    show_full_result_count = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The schema uses TextField for every string; a textarea for a name or URL is noise.
        if isinstance(db_field, models.TextField) and not db_field.choices:
            long_text = db_field.name in LONG_TEXT
            kwargs.setdefault(
                "widget",
                forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})
                if long_text
                else forms.TextInput(attrs={"class": "vTextField"}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Show a database rule's refusal (trigger, CHECK, unique index) as a message, not a 500.

        The rules live in SQL (campaign status moves, slot guards, immutable IDs); the savepoint
        keeps the request's transaction usable after the refusal.
        """
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except (IntegrityError, DataError, InternalError) as exc:
            if request.method != "POST":
                raise
            reason = (str(exc).strip().splitlines() or ["refused"])[0]
            messages.error(request, f"Not saved — the database refused the change: {reason}")
            return HttpResponseRedirect(request.get_full_path())

    def has_add_permission(self, request):
        return role_may(self.model, "add") and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return role_may(self.model, "change") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return role_may(self.model, "delete") and super().has_delete_permission(request, obj)


class ReadOnlyAdmin(BaseAdmin):
    """Viewing only: rows written by triggers or SQL functions, never by a form."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SavedView)
class SavedViewAdmin(BaseAdmin):
    list_display = ["name", "owner", "shared", "url_name", "created_at"]
    list_filter = ["shared"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
