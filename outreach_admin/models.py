from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from outreach_admin.fields import jsonb_default
from outreach_admin.stored_json import StoredJSONField


class HistoryRecord(models.Model):
    """The columns every schema's trigger-written history table shares (company.history,
    people.history, marketing.history, bit.history); subclasses add their keys and table."""

    history_id = models.BigAutoField(primary_key=True)
    table_name = models.TextField()
    action = models.TextField()
    changed_fields = StoredJSONField(db_default=jsonb_default([]))
    old_values = StoredJSONField(db_default=jsonb_default({}))
    new_values = StoredJSONField(db_default=jsonb_default({}))
    changed_by = models.TextField(null=True, blank=True)
    changed_at = models.DateTimeField(db_default=Now())

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-history_id"]


class FieldProvenanceRecord(models.Model):
    """The columns person and company field provenance share (written by vault.f_promote_contacts):
    which source and load set a field (outcome ``applied``) or offered a value the survivorship
    rule kept out (``rejected``, with the reason); subclasses add their key and table."""

    provenance_id = models.BigAutoField(primary_key=True)
    field = models.TextField()
    value = models.TextField(null=True, blank=True)
    source = models.TextField()
    load_id = models.BigIntegerField(null=True, blank=True)
    batch_id = models.TextField(null=True, blank=True)
    outcome = models.TextField(db_default="applied")
    reason = models.TextField(null=True, blank=True)
    set_by = models.TextField()
    set_at = models.DateTimeField(db_default=Now())

    class Meta:
        abstract = True
        ordering = ["-set_at", "-provenance_id"]


class SavedView(models.Model):
    """A named list URL (page + query string) kept privately by a user or shared with the team."""

    name = models.CharField(max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text="Empty for the built-in shared views.",
    )
    shared = models.BooleanField(default=False)
    url_name = models.CharField(max_length=100)
    query = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared=True) | models.Q(owner__isnull=False),
                name="savedview_private_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["owner", "name"], name="savedview_owner_name_idx")]

    def __str__(self):
        return self.name
