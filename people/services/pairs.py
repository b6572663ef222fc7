"""Triage of the duplicate-pair queue: not a duplicate, defer, link as a job change, and the
bulk merge of unambiguous pairs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from people import selectors
from people.models import Contact, PersonIntelligence, ResolutionQueue
from people.services.edit import person_update
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


def job_change_current(first: Contact, second: Contact) -> Contact:
    """Which record of a job-change pair is the current job by default: the more recently
    created one (a newer import saw the person at their new company); the higher id on a tie."""
    return max(first, second, key=lambda p: (p.created_at, p.pk))


def pair_link_job_change(*, resolution_id: int, actor: str, current_id: int) -> ResolutionQueue:
    """Record a pair as one person's job change instead of merging the two records.

    The pair must be open (pending or deferred) and its two records live and at two different
    employers; ``current_id`` (one of the two) is the current job. The other record becomes
    "left the company" (``inactive``) through :func:`person_update`, so its slots at the old
    employer go stale and into the open-slots queue and ``people.history`` names ``actor``;
    the current record gets a ``job_change`` intelligence row naming both companies and the
    pair; the pair is resolved as ``job_change`` by ``actor`` and leaves the queue. Locks: the
    pair, then both people in primary-key order. Raises ``PairStateError``.
    """
    with transaction.atomic():
        pair = _lock_pair(resolution_id)
        if pair.resolution_status not in (
            ResolutionQueue.Status.PENDING,
            ResolutionQueue.Status.DEFERRED,
        ):
            raise PairStateError(
                f"Pair #{resolution_id} is already {pair.get_resolution_status_display().lower()}."
            )
        ids = {pair.contact_primary_id, pair.contact_duplicate_id}
        if current_id not in ids:
            raise PairStateError("Choose which of the two records is the current job.")
        people = {
            p.pk: p
            for p in Contact.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")
        }
        current = people[current_id]
        (former,) = (p for pk, p in people.items() if pk != current_id)
        for p in (current, former):
            if p.status == Contact.Status.MERGED:
                raise PairStateError(f"{p.full_name} (#{p.pk}) was merged; review the survivor.")
        if not (current.company_id and former.company_id) or (
            current.company_id == former.company_id
        ):
            raise PairStateError(
                "Not a job change: the two records must be at two different companies. "
                "Merge them, or mark them as not duplicates."
            )
        stale_slots = []
        if former.status == Contact.Status.ACTIVE:
            stale_slots = person_update(
                actor=actor,
                person_id=former.pk,
                expected_updated_at=former.updated_at,
                data={"status": Contact.Status.INACTIVE},
            ).stale_slots
        names = dict(
            Contact._meta.get_field("company")
            .related_model.objects.filter(pk__in=[former.company_id, current.company_id])
            .values_list("pk", "company_name")
        )
        PersonIntelligence.objects.create(
            contact_id=current.pk,
            intelligence_type="job_change",
            previous_value=names.get(former.company_id),
            new_value=names.get(current.company_id),
            payload={
                "from_company_id": former.company_id,
                "to_company_id": current.company_id,
                "former_record_id": former.pk,
                "resolution_id": pair.pk,
                "source": "duplicate pair linked as a job change",
                "by": actor,
            },
        )
        pair.resolution_status = ResolutionQueue.Status.JOB_CHANGE
        pair.resolved_by = actor
        pair.resolved_at = timezone.now()
        pair.save(update_fields=["resolution_status", "resolved_by", "resolved_at"])
        pair.current, pair.former, pair.stale_slots = current, former, stale_slots
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
