"""The only write path of the people app: duplicate detection runs, pair triage, merge and undo.

A merge re-points every row that references the absorbed person to the survivor in one
transaction, records what it moved in ``people.merge_log`` (enough to put every row back) and
keeps the absorbed person as ``merged`` pointing at the survivor. Business-rule failures raise
``PeopleError`` subclasses whose message is meant for the user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from intake.models import PleCycle, PleStep
from people import selectors
from people.models import MergeLog, ResolutionQueue

MERGE_FIELDS = selectors.MERGE_FIELDS

# (table, primary key, column) of every many-per-person reference that a merge simply re-points.
REPOINTED = (
    ("company.company_slot", "company_slot_id", "contact_id"),
    ("marketing.campaign_contact", "campaign_contact_id", "contact_id"),
    ("marketing.message_log", "message_log_id", "contact_id"),
    ("marketing.booking_event", "booking_event_id", "contact_id"),
    ("marketing.ac_handoff", "handoff_id", "contact_id"),
    ("marketing.attribution", "attribution_id", "contact_id"),
    ("people.email_verification", "verification_id", "contact_id"),
    ("people.enrichment", "enrichment_id", "contact_id"),
    ("people.intelligence", "intelligence_id", "contact_id"),
    ("bit.signal", "signal_id", "contact_id"),
)

# One-row-per-person tables: the better row is kept on the survivor, ordered by this SQL.
ONE_PER_PERSON = {
    "people.contact_verification": (
        "(email_status = 'green') DESC, email_checked_at DESC NULLS LAST",
    ),
    "bit.contact_score": ("engagement_score DESC, calculated_at DESC NULLS LAST",),
}

VAULT_RELINK = "vault.f_relink_people_contact(bigint,bigint)"

TABLE_LABELS = {
    "company.company_slot": ("slot", "slots"),
    "marketing.campaign_contact": ("campaign membership", "campaign memberships"),
    "marketing.message_log": ("message", "messages"),
    "marketing.booking_event": ("booking", "bookings"),
    "marketing.ac_handoff": ("handoff", "handoffs"),
    "marketing.attribution": ("attribution", "attributions"),
    "people.email_verification": ("e-mail verification result", "e-mail verification results"),
    "people.enrichment": ("enrichment job", "enrichment jobs"),
    "people.intelligence": ("intelligence item", "intelligence items"),
    "bit.signal": ("signal", "signals"),
    "vault.contacts": ("vault link", "vault links"),
}


class PeopleError(Exception):
    """A business rule refused the action; the message is shown to the user as is."""


class MergeRefused(PeopleError):
    pass


class UndoRefused(PeopleError):
    pass


class PairStateError(PeopleError):
    pass


def _plural(n: int, table: str) -> str:
    one, many = TABLE_LABELS[table]
    return f"{n} {one if n == 1 else many}"


def _json(value):
    """jsonb arrives as text from a raw cursor (Django leaves decoding to JSONField)."""
    return json.loads(value) if isinstance(value, str) else value


def _fetch_all(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_one(sql: str, params=()):
    rows = _fetch_all(sql, params)
    return rows[0] if rows else None


def _q(table: str) -> str:
    """Quote ``schema.table`` for SQL ("bit" is a reserved word)."""
    return ".".join(f'"{part}"' for part in table.split("."))


def _columns(table: str) -> list[str]:
    """Insertable columns of ``table`` (generated columns excluded)."""
    rows = _fetch_all(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [_q(table)],
    )
    return [r[0] for r in rows]


def _insert_row(table: str, row: dict) -> None:
    """Re-insert a row exactly as recorded by ``to_jsonb`` (same primary key and values)."""
    cols = ", ".join(f'"{c}"' for c in _columns(table))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_q(table)} ({cols}) SELECT {cols} "
            f"FROM jsonb_populate_record(NULL::{_q(table)}, %s::jsonb)",
            [json.dumps(row)],
        )


def _set_from_json(table: str, pk_col: str, pk, row: dict, fields) -> None:
    """Set ``fields`` of one row to the values recorded in ``row`` (typed by the table)."""
    cols = ", ".join(f'"{f}"' for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_q(table)} SET ({cols}) = (SELECT {cols} FROM "
            f"jsonb_populate_record(NULL::{_q(table)}, %s::jsonb)) WHERE {pk_col} = %s",
            [json.dumps(row), pk],
        )


def _lock_people(ids) -> dict[int, dict]:
    """Lock the given people rows in primary-key order; return their current images by id."""
    rows = _fetch_all(
        "SELECT c.contact_id, to_jsonb(c) FROM people.contact c WHERE c.contact_id = ANY(%s) "
        "ORDER BY c.contact_id FOR UPDATE",
        [sorted(set(ids))],
    )
    return {r[0]: _json(r[1]) for r in rows}


def _live_record(contact_id: int) -> int | None:
    """Follow ``merged_into`` from ``contact_id`` to the live record it ended in."""
    row = _fetch_one(
        """
        WITH RECURSIVE chain AS (
            SELECT contact_id, merged_into_id, 1 AS depth FROM people.contact
            WHERE contact_id = %s
            UNION ALL
            SELECT c.contact_id, c.merged_into_id, chain.depth + 1
            FROM people.contact c JOIN chain ON c.contact_id = chain.merged_into_id
            WHERE chain.depth < 50
        )
        SELECT contact_id FROM chain WHERE merged_into_id IS NULL LIMIT 1
        """,
        [contact_id],
    )
    return row[0] if row else None


def _vault_relink_available() -> bool:
    return _fetch_one("SELECT to_regprocedure(%s) IS NOT NULL", [VAULT_RELINK])[0]


# --- detection --------------------------------------------------------------------------------


def duplicates_detect(*, actor: str) -> dict:
    """Run ``people.detect_duplicates()`` and record it as a ``ple`` cycle with one step.

    Returns the counts (candidate_pairs, already_known, inserted, by_type) plus ``cycle_id``.
    A failing detector is recorded as a failed cycle and re-raised as ``PeopleError``.
    """
    with transaction.atomic():
        cycle = PleCycle.objects.create(
            cycle_name="detect_duplicates", status="running", started_by=actor
        )
        step = PleStep.objects.create(
            cycle=cycle, step_name="people.detect_duplicates", step_type="sql", status="running"
        )
        try:
            with transaction.atomic():
                counts = _json(_fetch_one("SELECT people.detect_duplicates()")[0])
        except DatabaseError as exc:
            now = timezone.now()
            PleStep.objects.filter(pk=step.pk).update(
                status="failed", completed_at=now, counts={"error": str(exc)[:500]}
            )
            PleCycle.objects.filter(pk=cycle.pk).update(status="failed", completed_at=now)
            raise PeopleError(f"The duplicate detector failed: {exc}") from exc
        now = timezone.now()
        PleStep.objects.filter(pk=step.pk).update(
            status="completed", completed_at=now, counts=counts
        )
        PleCycle.objects.filter(pk=cycle.pk).update(
            status="completed", completed_at=now, counts=counts
        )
    return {**counts, "cycle_id": cycle.pk}


# --- pair triage ------------------------------------------------------------------------------


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


# --- merge ------------------------------------------------------------------------------------


@dataclass
class MergePreview:
    """What a merge would do, before doing it."""

    survivor_id: int
    absorbed_id: int
    moves: dict[str, int] = field(default_factory=dict)
    collisions: list[dict] = field(default_factory=list)
    kept_once: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        parts = [_plural(n, t) for t, n in self.moves.items() if n]
        lines = [("Moves " + ", ".join(parts) + ".") if parts else "No linked rows to move."]
        for c in self.collisions:
            lines.append(
                f"1 campaign membership collides with the survivor's in campaign "
                f"“{c['campaign_name']}” → kept once (the survivor's row; the absorbed row "
                f"#{c['campaign_contact_id']} is recorded in the merge log and removed)."
            )
        lines.extend(self.kept_once.values())
        lines.extend(self.notes)
        return lines

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_people(survivor_id: int, absorbed_id: int, people: dict[int, dict]) -> list[str]:
    problems = []
    if survivor_id == absorbed_id:
        return ["A person cannot be merged into itself."]
    for pid in (survivor_id, absorbed_id):
        if pid not in people:
            problems.append(f"Person #{pid} does not exist.")
    if problems:
        return problems
    for pid, role in ((survivor_id, "survivor"), (absorbed_id, "absorbed person")):
        if people[pid]["status"] == "merged":
            live = _live_record(pid)
            problems.append(
                f"The {role} {people[pid]['full_name']} (#{pid}) was already merged into "
                f"#{people[pid]['merged_into_id']}; its live record is #{live}. "
                "Merge with the live record instead."
            )
    return problems


def _slot_problems(survivor_id: int, absorbed_id: int) -> list[str]:
    """A person may fill only one slot per company: refuse merges that would break that."""
    rows = _fetch_all(
        """
        SELECT co.company_name,
               string_agg(s.role_code || ' (#' || s.contact_id || ')', ' and '
                          ORDER BY s.role_code)
        FROM company.company_slot s JOIN company.company co USING (company_id)
        WHERE s.contact_id IN (%s, %s)
        GROUP BY co.company_id, co.company_name
        HAVING count(DISTINCT s.contact_id) > 1
        """,
        [survivor_id, absorbed_id],
    )
    return [
        f"Both people fill a slot at {name} ({roles}): merged, one person would fill two slots "
        "at one company. Free one of the slots first."
        for name, roles in rows
    ]


def merge_preview(*, survivor_id: int, absorbed_id: int) -> MergePreview:
    """The impact of merging ``absorbed_id`` into ``survivor_id``, without changing anything.

    Counts the rows each table would re-point, the campaign memberships that collide with the
    survivor's (kept once), which one-per-person row is kept, and any guard that refuses it.
    """
    preview = MergePreview(survivor_id=survivor_id, absorbed_id=absorbed_id)
    people = {
        r[0]: _json(r[1])
        for r in _fetch_all(
            "SELECT contact_id, to_jsonb(c) FROM people.contact c WHERE contact_id = ANY(%s)",
            [[survivor_id, absorbed_id]],
        )
    }
    preview.problems = _check_people(survivor_id, absorbed_id, people)
    if preview.problems:
        return preview
    preview.problems = _slot_problems(survivor_id, absorbed_id)
    preview.collisions = [
        {"campaign_contact_id": r[0], "campaign_id": r[1], "campaign_name": r[2]}
        for r in _fetch_all(
            """
            SELECT a.campaign_contact_id, a.campaign_id, cp.name AS campaign_name
            FROM marketing.campaign_contact a
            JOIN marketing.campaign cp ON cp.campaign_id = a.campaign_id
            WHERE a.contact_id = %s AND EXISTS (
                SELECT 1 FROM marketing.campaign_contact s
                WHERE s.campaign_id = a.campaign_id AND s.contact_id = %s)
            ORDER BY a.campaign_contact_id
            """,
            [absorbed_id, survivor_id],
        )
    ]
    counts_sql = " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM {_q(t)} WHERE {col} = %s" for t, _pk, col in REPOINTED
    )
    counts_sql += (
        " UNION ALL SELECT 'vault.contacts', count(*) FROM vault.contacts "
        "WHERE people_contact_id = %s"
    )
    for table, n in _fetch_all(counts_sql, [absorbed_id] * (len(REPOINTED) + 1)):
        preview.moves[table] = n
    preview.moves["marketing.campaign_contact"] -= len(preview.collisions)
    for table, (order,) in ONE_PER_PERSON.items():
        rows = _fetch_all(
            f"SELECT contact_id FROM {_q(table)} WHERE contact_id IN (%s, %s) ORDER BY {order}",
            [survivor_id, absorbed_id],
        )
        label = "verification" if "verification" in table else "engagement score"
        if len(rows) == 2:
            whose = "the survivor's" if rows[0][0] == survivor_id else "the absorbed person's"
            preview.kept_once[table] = (
                f"Both have an {label}: {whose} is kept (the other is recorded in the merge "
                "log and removed)."
                if label.startswith("e")
                else f"Both have a {label}: {whose} is kept (the other is recorded in the merge "
                "log and removed)."
            )
        elif rows and rows[0][0] == absorbed_id:
            preview.kept_once[table] = f"The absorbed person's {label} moves to the survivor."
    pending = _fetch_one(
        "SELECT count(*) FROM people.resolution_queue WHERE resolution_status IN "
        "('pending', 'deferred') AND %s IN (contact_primary_id, contact_duplicate_id) "
        "AND NOT (contact_primary_id IN (%s, %s) AND contact_duplicate_id IN (%s, %s))",
        [absorbed_id, survivor_id, absorbed_id, survivor_id, absorbed_id],
    )[0]
    if pending:
        preview.notes.append(
            f"{pending} other open pair{'s' if pending != 1 else ''} involving the absorbed "
            "person will be closed (the detector re-proposes them against the survivor)."
        )
    if preview.moves.get("vault.contacts") and not _vault_relink_available():
        preview.notes.append("Vault links cannot be moved yet (vault relink function missing).")
    return preview


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


def _repoint(table: str, pk: str, col: str, survivor_id: int, absorbed_id: int) -> list:
    rows = _fetch_all(
        f"UPDATE {_q(table)} SET {col} = %s WHERE {col} = %s RETURNING {pk}",
        [survivor_id, absorbed_id],
    )
    return sorted(r[0] for r in rows)


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

    collisions = _fetch_all(
        """
        DELETE FROM marketing.campaign_contact a
        WHERE a.contact_id = %s AND EXISTS (
            SELECT 1 FROM marketing.campaign_contact s
            WHERE s.campaign_id = a.campaign_id AND s.contact_id = %s)
        RETURNING to_jsonb(a)
        """,
        [absorbed_id, survivor_id],
    )
    if collisions:
        moved["marketing.campaign_contact:collided"] = [_json(r[0]) for r in collisions]
    for table, pk, col in REPOINTED:
        ids = _repoint(table, pk, col, survivor_id, absorbed_id)
        if ids:
            moved[table] = ids
    for table, (order,) in ONE_PER_PERSON.items():
        record = _merge_one_per_person(table, order, survivor_id, absorbed_id)
        if record:
            moved[table] = record

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

    vault_ids = [
        r[0]
        for r in _fetch_all(
            "SELECT contact_id FROM vault.contacts WHERE people_contact_id = %s ORDER BY 1",
            [absorbed_id],
        )
    ]
    if vault_ids:
        if _vault_relink_available():
            survivor_vault = [
                r[0]
                for r in _fetch_all(
                    "SELECT contact_id FROM vault.contacts WHERE people_contact_id = %s",
                    [survivor_id],
                )
            ]
            _fetch_one("SELECT vault.f_relink_people_contact(%s, %s)", [absorbed_id, survivor_id])
            moved["vault.contacts"] = {"ids": vault_ids, "survivor_had": survivor_vault}
        else:
            moved["vault.contacts"] = {"skipped": "vault.f_relink_people_contact missing"}

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
    for table, pk, col in REPOINTED:
        ids = moved.get(table) or []
        if not ids:
            continue
        still = {
            r[0]
            for r in _fetch_all(
                f"SELECT {pk} FROM {_q(table)} WHERE {pk} = ANY(%s) AND {col} = %s FOR UPDATE",
                [ids, survivor_id],
            )
        }
        gone = [i for i in ids if i not in still]
        if gone and table == "company.company_slot":
            detail = _fetch_all(
                "SELECT s.company_slot_id, s.role_code, co.company_name, s.contact_id "
                "FROM company.company_slot s JOIN company.company co USING (company_id) "
                "WHERE s.company_slot_id = ANY(%s)",
                [gone],
            )
            for _sid, role, name, holder in detail:
                who = f"#{holder}" if holder else "nobody"
                problems.append(f"The {role} slot at {name} now holds {who}, not the survivor.")
        elif gone:
            one, many = TABLE_LABELS[table]
            problems.append(
                f"{len(gone)} moved {one if len(gone) == 1 else many} "
                f"({', '.join('#' + str(i) for i in gone[:5])}) changed or were deleted since."
            )
    for row in moved.get("marketing.campaign_contact:collided", []):
        taken = _fetch_one(
            "SELECT 1 FROM marketing.campaign_contact WHERE campaign_contact_id = %s "
            "OR (campaign_id = %s AND contact_id = %s)",
            [row["campaign_contact_id"], row["campaign_id"], absorbed_id],
        )
        if taken:
            problems.append(
                f"Campaign membership #{row['campaign_contact_id']} cannot be restored: "
                "its place was taken since."
            )
        status = _fetch_one(
            "SELECT name, status FROM marketing.campaign WHERE campaign_id = %s",
            [row["campaign_id"]],
        )
        if status is None:
            problems.append(f"Campaign #{row['campaign_id']} was deleted since.")
        elif status[1] != "draft":
            problems.append(
                f"Campaign “{status[0]}” is {status[1]} now; the absorbed person's membership "
                "cannot be put back (members change only while a campaign is draft)."
            )
    for table in ONE_PER_PERSON:
        record = moved.get(table) or {}
        if record and not _fetch_one(
            f"SELECT 1 FROM {_q(table)} WHERE contact_id = %s", [survivor_id]
        ):
            problems.append(f"The survivor's {_q(table)} row was deleted since.")
    vault = moved.get("vault.contacts") or {}
    if vault.get("ids"):
        if vault.get("survivor_had"):
            problems.append(
                "The vault links cannot be split back: the survivor had its own vault links "
                "before the merge."
            )
        elif not _vault_relink_available():
            problems.append("The vault relink function is missing; vault links cannot move back.")
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
    for table, pk, col in REPOINTED:
        ids = moved.get(table) or []
        if ids:
            _fetch_all(
                f"UPDATE {_q(table)} SET {col} = %s WHERE {pk} = ANY(%s) RETURNING {pk}",
                [absorbed_id, ids],
            )
    for table in ONE_PER_PERSON:
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
    for row in moved.get("marketing.campaign_contact:collided", []):
        _insert_row("marketing.campaign_contact", row)
    for row in moved.get("people.resolution_queue", []):
        _set_from_json(
            "people.resolution_queue",
            "resolution_id",
            row["resolution_id"],
            row,
            ["resolution_status", "resolved_by", "resolved_at"],
        )
    vault = moved.get("vault.contacts") or {}
    if vault.get("ids"):
        _fetch_one("SELECT vault.f_relink_people_contact(%s, %s)", [survivor_id, absorbed_id])
    log.undone_by = actor
    log.undone_at = timezone.now()
    log.save(update_fields=["undone_by", "undone_at"])
    return log


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
