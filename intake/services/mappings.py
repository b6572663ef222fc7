"""Saved column mappings (``intake.saved_mapping``): the mapping a coordinator confirmed on the
upload page for files of one source and preset, shared with everyone who uploads them and
applied by ``manage.py ingest`` too. One row per (source, preset); saving again replaces it.

Every save or delete writes an ``intake.audit_log`` row naming the acting user
(``mapping_saved`` / ``mapping_deleted``). Viewers may not save: the upload views refuse them
with 403 and ``mapping_check`` refuses an actor who is not a coordinator or admin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from intake.models import AuditLog, SavedMapping
from intake.parsing import IGNORE, KEEP, MAPPING_CHOICES
from outreach_admin.permissions import username_can_act

SOURCE_MAX = 100  # intake.saved_mapping.source is varchar(100)
MAX_COLUMNS = 2000
MAX_COLUMN_CHARS = 1000
SAVED_PRESETS = ("apollo", "hubspot", "apify", "generic")  # saved_mapping_preset_ck
TARGETS = frozenset(value for value, _ in MAPPING_CHOICES)


class MappingRefused(Exception):
    """A mapping that cannot be saved (bad source, preset, columns or targets, or an actor who
    may not save); the message says why. Nothing was written."""


def _clean_text(value, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MappingRefused(f"The {what} is blank.")
    if len(value) > limit:
        raise MappingRefused(f"The {what} is {len(value)} characters long; the limit is {limit}.")
    if any(ord(ch) < 32 and ch not in "\t" for ch in value):
        raise MappingRefused(f"The {what} {value[:40]!r} contains control characters.")
    return value


def mapping_check(
    *, source: str, preset: str, mapping: Mapping, headers: Sequence, actor: str
) -> dict[str, str]:
    """Validate what ``mapping_save`` would store, writing nothing; the mapping as stored.

    The source is 1–100 characters; the preset one of ``SAVED_PRESETS`` (a detected one, never
    ``auto``); ``headers`` the file's columns (distinct text); the mapping names only those
    columns, each to a raw field of ``intake.parsing.RAW_FIELDS``, keep or ignore, one column to
    ``email`` and no field twice; ``actor`` an active coordinator or admin.
    """
    source = _clean_text(source, "source", SOURCE_MAX)
    if preset not in SAVED_PRESETS:
        raise MappingRefused(
            f"Unknown preset {str(preset)[:40]!r}; one of {', '.join(SAVED_PRESETS)}."
        )
    if isinstance(headers, (str, bytes)) or not isinstance(headers, Sequence) or not headers:
        raise MappingRefused("The file's columns are missing.")
    if len(headers) > MAX_COLUMNS:
        raise MappingRefused(f"The file has {len(headers)} columns; at most {MAX_COLUMNS}.")
    columns = list(headers)
    for column in columns:  # the file's own names: any text jsonb can hold, within a limit
        if not isinstance(column, str) or "\x00" in column or len(column) > MAX_COLUMN_CHARS:
            raise MappingRefused(
                f"Column name {str(column)[:40]!r} cannot be saved (NUL or over "
                f"{MAX_COLUMN_CHARS} characters)."
            )
    if len(set(columns)) != len(columns):
        raise MappingRefused("The file's column names repeat; a mapping needs distinct columns.")
    if not isinstance(mapping, Mapping):
        raise MappingRefused("The mapping is not a column → field table.")
    known = set(columns)
    unknown_columns = [c for c in mapping if c not in known]
    if unknown_columns:
        raise MappingRefused(f"The mapping names a column the file lacks: {unknown_columns[0]!r}.")
    bad = {c: t for c, t in mapping.items() if not isinstance(t, str) or t not in TARGETS}
    if bad:
        column, target = next(iter(bad.items()))
        raise MappingRefused(
            f"Column {column!r} is mapped to {str(target)[:60]!r}, which is not a raw field."
        )
    used = [t for t in mapping.values() if t not in (KEEP, IGNORE)]
    if "email" not in used:
        raise MappingRefused("Map one column to Email: rows without an email are skipped.")
    repeated = sorted({t for t in used if used.count(t) > 1})
    if repeated:
        raise MappingRefused(f"Each field can take one column; repeated: {', '.join(repeated)}.")
    if not username_can_act(actor):
        raise MappingRefused(
            f"Only coordinators and admins can save a mapping; {str(actor)[:60]!r} may not."
        )
    return {c: mapping.get(c, KEEP) for c in columns}


@transaction.atomic
def mapping_save(
    *, source: str, preset: str, mapping: Mapping, headers: Sequence, actor: str
) -> SavedMapping:
    """Save ``mapping`` (column → raw field, keep or ignore) as the one for files of ``source``
    and ``preset``, made on a file with columns ``headers``; replaces the previous one. Writes an
    ``intake.audit_log`` row ``mapping_saved`` naming ``actor``. ``MappingRefused`` (nothing
    written) for anything ``mapping_check`` refuses."""
    stored = mapping_check(
        source=source, preset=preset, mapping=mapping, headers=headers, actor=actor
    )
    previous = SavedMapping.objects.select_for_update().filter(source=source, preset=preset).first()
    SavedMapping.objects.bulk_create(
        [
            SavedMapping(
                source=source,
                preset=preset,
                mapping=stored,
                headers=list(stored),
                updated_by=actor,
                updated_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["source", "preset"],
        update_fields=["mapping", "headers", "updated_by", "updated_at"],
    )
    row = SavedMapping.objects.get(source=source, preset=preset)
    details = {"source": source, "preset": preset, "mapping_id": row.pk, "columns": len(stored)}
    if previous is not None:
        details.update(replaced_by=previous.updated_by, replaced_at=previous.updated_at.isoformat())
    AuditLog.objects.create(
        action="mapping_saved", user_name=actor, record_count=len(stored), details=details
    )
    return row


@transaction.atomic
def mapping_delete(*, mapping_id: int, actor: str) -> bool:
    """Delete a saved mapping (the admin's delete); an ``intake.audit_log`` row
    ``mapping_deleted`` names ``actor``. False when it was already gone."""
    row = SavedMapping.objects.select_for_update().filter(pk=mapping_id).first()
    if row is None:
        return False
    AuditLog.objects.create(
        action="mapping_deleted",
        user_name=actor,
        record_count=len(row.mapping),
        details={"source": row.source, "preset": row.preset, "mapping_id": row.pk},
    )
    row.delete()
    return True
