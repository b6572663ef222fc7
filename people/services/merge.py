"""Merge two people and undo a merge.

A merge re-points every row that references the absorbed person to the survivor in one
transaction, records what it moved in ``people.merge_log`` (enough to put every row back) and
keeps the absorbed person as ``merged`` pointing at the survivor. Rows of higher apps move
through the reference movers their owners registered (``people.services.references``).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from people import selectors
from people.models import MergeLog, ResolutionQueue
from people.services import references
from people.services.preview import _check_people, _slot_problems
from people.services.rows import (
    MergeRefused,
    UndoRefused,
    _fetch_all,
    _fetch_one,
    _insert_row,
    _json,
    _q,
    _set_from_json,
)

MERGE_FIELDS = selectors.MERGE_FIELDS


def _lock_people(ids) -> dict[int, dict]:
    """Lock the given people rows in primary-key order; return their current images by id."""
    rows = _fetch_all(
        "SELECT c.contact_id, to_jsonb(c) FROM people.contact c WHERE c.contact_id = ANY(%s) "
        "ORDER BY c.contact_id FOR UPDATE",
        [sorted(set(ids))],
    )
    return {r[0]: _json(r[1]) for r in rows}


def _validate_choices(field_choices: dict | None) -> dict[str, str]:
    choices = dict(field_choices or {})
    for name, side in choices.items():
        if name not in MERGE_FIELDS:
            raise MergeRefused(f"“{name}” is not a field that can be chosen in a merge.")
        if side not in ("survivor", "absorbed"):
            raise MergeRefused(
                f"The value of “{name}” must come from the survivor or the absorbed."
            )
    return choices


def _merge_one_per_person(table: str, order: str, survivor_id: int, absorbed_id: int) -> dict:
    """Keep the better of two one-per-person rows on the survivor; record what changed."""
    rows = {
        r[0]: _json(r[1])
        for r in _fetch_all(
            f"SELECT contact_id, to_jsonb(t) FROM {_q(table)} t WHERE contact_id IN (%s, %s) "
            "FOR UPDATE",
            [survivor_id, absorbed_id],
        )
    }
    if absorbed_id not in rows:
        return {}
    if survivor_id not in rows:
        _fetch_all(
            f"UPDATE {_q(table)} SET contact_id = %s WHERE contact_id = %s RETURNING contact_id",
            [survivor_id, absorbed_id],
        )
        return {"moved": True}
    best = _fetch_one(
        f"SELECT contact_id FROM {_q(table)} WHERE contact_id IN (%s, %s) ORDER BY {order}",
        [survivor_id, absorbed_id],
    )[0]
    record = {"deleted": rows[absorbed_id]}
    if best == absorbed_id:
        fields = [c for c in rows[absorbed_id] if c not in ("contact_id", "created_at")]
        record["survivor_before"] = rows[survivor_id]
        _set_from_json(table, "contact_id", survivor_id, rows[absorbed_id], fields)
    _fetch_all(f"DELETE FROM {_q(table)} WHERE contact_id = %s RETURNING contact_id", [absorbed_id])
    return record


def _chosen_image(survivor: dict, absorbed: dict, choices: dict[str, str]) -> dict:
    image = dict(survivor)
    for name, side in choices.items():
        if side == "absorbed":
            image[name] = absorbed[name]
    return image


@transaction.atomic
def person_merge(
    *,
    survivor_id: int,
    absorbed_id: int,
    field_choices: dict[str, str] | None = None,
    actor: str,
    resolution_id: int | None = None,
) -> MergeLog:
    """Merge ``absorbed_id`` into ``survivor_id`` in one transaction; return the merge log.

    ``field_choices`` maps a field of ``MERGE_FIELDS`` to "survivor" or "absorbed"; fields not
    given take the defaults of ``selectors.merge_defaults`` (non-empty, most recently verified,
    the green e-mail). Both people are locked in primary-key order first, so two overlapping
    merges serialise and the second one is refused because its person is merged by then.
    """
    if survivor_id == absorbed_id:
        raise MergeRefused("A person cannot be merged into itself.")
    choices = _validate_choices(field_choices)
    people = _lock_people([survivor_id, absorbed_id])
    problems = _check_people(survivor_id, absorbed_id, people) or _slot_problems(
        survivor_id, absorbed_id
    )
    if problems:
        raise MergeRefused(" ".join(problems))
    pair = None
    if resolution_id is not None:
        pair = ResolutionQueue.objects.select_for_update().filter(pk=resolution_id).first()
        if pair is None or {pair.contact_primary_id, pair.contact_duplicate_id} != {
            survivor_id,
            absorbed_id,
        }:
            raise MergeRefused(f"Pair #{resolution_id} is not the pair of these two people.")
    survivor, absorbed = people[survivor_id], people[absorbed_id]
    defaults = selectors.merge_defaults(survivor_id=survivor_id, absorbed_id=absorbed_id)
    choices = {**defaults, **choices}
    after = _chosen_image(survivor, absorbed, choices)
    changed = [f for f in MERGE_FIELDS if after[f] != survivor[f]]
    moved: dict = {}

    # The live-email unique index skips merged rows: retire the absorbed person before the
    # survivor may take its e-mail address.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people.contact SET status = 'merged', merged_into_id = %s "
            "WHERE contact_id = %s",
            [survivor_id, absorbed_id],
        )
    if changed:
        _set_from_json("people.contact", "contact_id", survivor_id, after, changed)

    for kind in references.COLLISIONS:
        removed = kind.remove(absorbed_id, survivor_id)
        if removed:
            moved[f"{kind.key}:collided"] = removed
    for ref in references.REPOINTED:
        ids = ref.repoint(survivor_id, absorbed_id)
        if ids:
            moved[ref.table] = ids
    for one_row in references.ONE_PER_PERSON:
        record = _merge_one_per_person(one_row.table, one_row.order, survivor_id, absorbed_id)
        if record:
            moved[one_row.table] = record

    closed = _fetch_all(
        """
        UPDATE people.resolution_queue q
        SET resolution_status = 'merged', resolved_by = %s, resolved_at = clock_timestamp()
        FROM people.resolution_queue old
        WHERE old.resolution_id = q.resolution_id
          AND q.resolution_status IN ('pending', 'deferred')
          AND %s IN (q.contact_primary_id, q.contact_duplicate_id)
        RETURNING q.resolution_id, old.resolution_status, old.resolved_by, old.resolved_at
        """,
        [actor, absorbed_id],
    )
    if closed:
        moved["people.resolution_queue"] = [
            {
                "resolution_id": r[0],
                "resolution_status": r[1],
                "resolved_by": r[2],
                "resolved_at": r[3].isoformat() if r[3] else None,
            }
            for r in closed
        ]
    if pair is not None and pair.resolution_status not in ("pending", "deferred"):
        # a judged pair (e.g. not_duplicate) merged anyway: record its old judgement too
        moved.setdefault("people.resolution_queue", []).append(
            {
                "resolution_id": pair.pk,
                "resolution_status": pair.resolution_status,
                "resolved_by": pair.resolved_by,
                "resolved_at": pair.resolved_at.isoformat() if pair.resolved_at else None,
            }
        )
        ResolutionQueue.objects.filter(pk=pair.pk).update(
            resolution_status="merged", resolved_by=actor, resolved_at=timezone.now()
        )

    for linked in references.LINKED:
        ids = linked.ids(absorbed_id)
        if not ids:
            continue
        if linked.available():
            survivor_had = linked.ids(survivor_id)
            linked.relink(from_contact_id=absorbed_id, to_contact_id=survivor_id)
            moved[linked.key] = {"ids": ids, "survivor_had": survivor_had}
        else:
            moved[linked.key] = {"skipped": linked.missing_skip}

    survivor_after = _json(
        _fetch_one("SELECT to_jsonb(c) FROM people.contact c WHERE contact_id = %s", [survivor_id])[
            0
        ]
    )
    return MergeLog.objects.create(
        survivor_id=survivor_id,
        absorbed_id=absorbed_id,
        resolution=pair,
        chosen_values={
            "fields": {f: choices.get(f, "survivor") for f in MERGE_FIELDS},
            "changed": changed,
            "survivor_after": {f: survivor_after[f] for f in MERGE_FIELDS},
        },
        survivor_before=survivor,
        absorbed_before=absorbed,
        moved_rows=moved,
        merged_by=actor,
    )


def _undo_problems(log: MergeLog, people: dict[int, dict]) -> list[str]:
    survivor_id, absorbed_id = log.survivor_id, log.absorbed_id
    survivor, absorbed = people[survivor_id], people[absorbed_id]
    problems = []
    if survivor["status"] == "merged":
        problems.append(
            f"The survivor #{survivor_id} was merged into #{survivor['merged_into_id']} since; "
            "undo that merge first."
        )
    if absorbed["status"] != "merged" or absorbed["merged_into_id"] != survivor_id:
        problems.append(f"#{absorbed_id} is no longer merged into #{survivor_id}.")
    after = log.chosen_values.get("survivor_after", {})
    edited = [f for f in MERGE_FIELDS if f in after and survivor.get(f) != after[f]]
    if edited:
        problems.append(
            f"The survivor was edited since the merge ({', '.join(edited)}); undoing would lose "
            "those edits."
        )
    moved = log.moved_rows
    for ref in references.REPOINTED:
        ids = moved.get(ref.table) or []
        if not ids:
            continue
        still = ref.still_on(ids, survivor_id)
        gone = [i for i in ids if i not in still]
        if gone and ref.describe_gone is not None:
            problems.extend(ref.describe_gone(gone))
        elif gone:
            problems.append(
                f"{len(gone)} moved {ref.one if len(gone) == 1 else ref.many} "
                f"({', '.join('#' + str(i) for i in gone[:5])}) changed or were deleted since."
            )
    for kind in references.COLLISIONS:
        for row in moved.get(f"{kind.key}:collided", []):
            problems.extend(kind.undo_problems(row, absorbed_id))
    for table in (one_row.table for one_row in references.ONE_PER_PERSON):
        record = moved.get(table) or {}
        if record and not _fetch_one(
            f"SELECT 1 FROM {_q(table)} WHERE contact_id = %s", [survivor_id]
        ):
            problems.append(f"The survivor's {_q(table)} row was deleted since.")
    for linked in references.LINKED:
        record = moved.get(linked.key) or {}
        if record.get("ids"):
            if record.get("survivor_had"):
                problems.append(linked.split_refused)
            elif not linked.available():
                problems.append(linked.missing_on_undo)
    return problems


@transaction.atomic
def merge_undo(*, merge_id: int, actor: str) -> MergeLog:
    """Put back everything merge ``merge_id`` changed, or refuse with the reason.

    Refused when something changed since that makes it unsafe: the survivor was merged again or
    edited, a moved row was deleted or re-assigned (e.g. a slot now holds someone else), or a
    collided campaign membership's place was taken. Bookkeeping columns (``updated_at``,
    ``filled_at``) are set by triggers and take the time of the undo.
    """
    log = MergeLog.objects.select_for_update().filter(pk=merge_id).first()
    if log is None:
        raise UndoRefused(f"Merge #{merge_id} does not exist.")
    if log.undone_at:
        raise UndoRefused(f"Merge #{merge_id} was already undone by {log.undone_by}.")
    survivor_id, absorbed_id = log.survivor_id, log.absorbed_id
    people = _lock_people([survivor_id, absorbed_id])
    problems = _undo_problems(log, people)
    if problems:
        raise UndoRefused("Cannot undo: " + " ".join(problems))
    moved = log.moved_rows

    # Survivor first: it may hold the absorbed person's e-mail, which the un-merged person
    # takes back under the live-email unique index.
    changed = log.chosen_values.get("changed", [])
    if changed:
        _set_from_json("people.contact", "contact_id", survivor_id, log.survivor_before, changed)
    _set_from_json(
        "people.contact",
        "contact_id",
        absorbed_id,
        log.absorbed_before,
        ["status", "merged_into_id"],
    )
    for ref in references.REPOINTED:
        ids = moved.get(ref.table) or []
        if ids:
            ref.restore(ids, absorbed_id)
    for table in (one_row.table for one_row in references.ONE_PER_PERSON):
        record = moved.get(table) or {}
        if record.get("moved"):
            _fetch_all(
                f"UPDATE {_q(table)} SET contact_id = %s WHERE contact_id = %s "
                "RETURNING contact_id",
                [absorbed_id, survivor_id],
            )
            continue
        if "survivor_before" in record:
            before = record["survivor_before"]
            fields = [c for c in before if c not in ("contact_id", "created_at")]
            _set_from_json(table, "contact_id", survivor_id, before, fields)
        if "deleted" in record:
            _insert_row(table, record["deleted"])
    # after the verification is back: a campaign admits only people with a green e-mail
    for kind in references.COLLISIONS:
        for row in moved.get(f"{kind.key}:collided", []):
            kind.restore(row)
    for row in moved.get("people.resolution_queue", []):
        _set_from_json(
            "people.resolution_queue",
            "resolution_id",
            row["resolution_id"],
            row,
            ["resolution_status", "resolved_by", "resolved_at"],
        )
    for linked in references.LINKED:
        if (moved.get(linked.key) or {}).get("ids"):
            linked.relink(from_contact_id=survivor_id, to_contact_id=absorbed_id)
    log.undone_by = actor
    log.undone_at = timezone.now()
    log.save(update_fields=["undone_by", "undone_at"])
    return log
