"""The impact of a merge before it is made, and the guards that refuse one."""

from __future__ import annotations

from dataclasses import dataclass, field

from people.services import references
from people.services.rows import _fetch_all, _fetch_one, _json, _live_record, _q


def _plural(n: int, table: str) -> str:
    one, many = references.labels(table)
    return f"{n} {one if n == 1 else many}"


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
    collision_lines: list[str] = field(default_factory=list, repr=False)

    @property
    def lines(self) -> list[str]:
        parts = [_plural(n, t) for t, n in self.moves.items() if n]
        lines = [("Moves " + ", ".join(parts) + ".") if parts else "No linked rows to move."]
        lines.extend(self.collision_lines)
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
    collided = {}
    for kind in references.COLLISIONS:
        rows = kind.preview(absorbed_id, survivor_id)
        collided[kind.key] = len(rows)
        preview.collisions.extend(rows)
        preview.collision_lines.extend(kind.line(c) for c in rows)
    counts_sql = " UNION ALL ".join(
        [
            *(
                f"SELECT '{r.table}', count(*) FROM {_q(r.table)} WHERE {r.column} = %s"
                for r in references.REPOINTED
            ),
            *(linked.count_sql for linked in references.LINKED),
        ]
    )
    n_params = len(references.REPOINTED) + len(references.LINKED)
    for table, n in _fetch_all(counts_sql, [absorbed_id] * n_params):
        preview.moves[table] = n
    for key, n in collided.items():
        preview.moves[key] -= n
    for one_row in references.ONE_PER_PERSON:
        table, order, label = one_row.table, one_row.order, one_row.label
        rows = _fetch_all(
            f"SELECT contact_id FROM {_q(table)} WHERE contact_id IN (%s, %s) ORDER BY {order}",
            [survivor_id, absorbed_id],
        )
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
    for linked in references.LINKED:
        if preview.moves.get(linked.key) and not linked.available():
            preview.notes.append(linked.missing_note)
    return preview
