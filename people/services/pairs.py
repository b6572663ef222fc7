"""Triage of the duplicate-pair queue: not a duplicate, defer, and the bulk merge of
unambiguous pairs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from people import selectors
from people.models import ResolutionQueue
from people.services.merge import person_merge
from people.services.preview import merge_preview
from people.services.rows import PairStateError, PeopleError


def _lock_pair(resolution_id: int) -> ResolutionQueue:
    pair = ResolutionQueue.objects.select_for_update().filter(pk=resolution_id).first()
    if pair is None:
        raise PairStateError(f"Pair #{resolution_id} does not exist.")
    return pair


@transaction.atomic
def pair_mark_not_duplicate(*, resolution_id: int, actor: str) -> ResolutionQueue:
    """Remember that the two people of a pair are different; the pair is never proposed again."""
    pair = _lock_pair(resolution_id)
    if pair.resolution_status == ResolutionQueue.Status.MERGED:
        raise PairStateError(f"Pair #{resolution_id} was already merged; undo the merge first.")
    pair.resolution_status = ResolutionQueue.Status.NOT_DUPLICATE
    pair.resolved_by = actor
    pair.resolved_at = timezone.now()
    pair.save(update_fields=["resolution_status", "resolved_by", "resolved_at"])
    return pair


@transaction.atomic
def pair_defer(*, resolution_id: int, actor: str) -> ResolutionQueue:
    """Put a pending pair aside for later; it leaves the pending queue but is not judged."""
    pair = _lock_pair(resolution_id)
    if pair.resolution_status != ResolutionQueue.Status.PENDING:
        raise PairStateError(
            f"Pair #{resolution_id} is {pair.get_resolution_status_display().lower()}, "
            "only pending pairs can be deferred."
        )
    pair.resolution_status = ResolutionQueue.Status.DEFERRED
    pair.resolved_by = actor
    pair.resolved_at = timezone.now()
    pair.save(update_fields=["resolution_status", "resolved_by", "resolved_at"])
    return pair


def pairs_bulk_merge(*, resolution_ids: list[int], actor: str, dry_run: bool) -> list[dict]:
    """Merge many unambiguous pairs (same normalised e-mail and same name); one result per id.

    Each pair runs in its own savepoint, so one refusal does not undo the others. With
    ``dry_run`` nothing changes and each result carries the impact preview instead.
    """
    results = []
    with transaction.atomic():
        pairs = {
            p.pk: p
            for p in ResolutionQueue.objects.filter(pk__in=resolution_ids).select_related(
                "contact_primary", "contact_duplicate"
            )
        }
        for rid in resolution_ids:
            pair = pairs.get(rid)
            result = {"resolution_id": rid, "ok": False, "message": "", "merge_id": None}
            results.append(result)
            if pair is None:
                result["message"] = f"Pair #{rid} does not exist."
                continue
            result["label"] = (
                f"{pair.contact_primary.full_name} ↔ {pair.contact_duplicate.full_name}"
            )
            if pair.resolution_status != ResolutionQueue.Status.PENDING:
                result["message"] = f"Pair #{rid} is {pair.resolution_status}, not pending."
                continue
            if not selectors.is_unambiguous(pair.evidence):
                result["message"] = (
                    f"Pair #{rid} is not unambiguous (needs the same e-mail and the same name); "
                    "review it on its own."
                )
                continue
            survivor_id, absorbed_id = selectors.default_survivor(
                pair.contact_primary_id, pair.contact_duplicate_id
            )
            if dry_run:
                preview = merge_preview(survivor_id=survivor_id, absorbed_id=absorbed_id)
                result["ok"] = preview.ok
                result["message"] = " ".join(preview.problems or preview.lines)
                continue
            try:
                with transaction.atomic():
                    log = person_merge(
                        survivor_id=survivor_id,
                        absorbed_id=absorbed_id,
                        actor=actor,
                        resolution_id=rid,
                    )
            except PeopleError as exc:
                result["message"] = str(exc)
                continue
            result.update(ok=True, merge_id=log.pk, message=f"Merged into #{survivor_id}.")
    return results
