"""Reference movers: how a person merge reaches rows of apps on higher floors.

People is the lowest app floor, so it cannot import the apps whose tables point at a person.
Each owner app registers its movers here from its ``AppConfig.ready``; the merge, its preview
and its undo call them in the same transaction, in the registered ``position`` order (which is
the lock order recorded in the merge log). The people app registers its own tables the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from people.services.rows import _fetch_all, _q


@dataclass(frozen=True)
class Repointed:
    """A many-per-person reference that a merge simply re-points (``column`` = the person)."""

    table: str
    pk: str
    column: str
    one: str
    many: str
    position: int
    describe_gone: Callable[[list], list[str]] | None = None

    def repoint(self, survivor_id: int, absorbed_id: int) -> list:
        rows = _fetch_all(
            f"UPDATE {_q(self.table)} SET {self.column} = %s WHERE {self.column} = %s "
            f"RETURNING {self.pk}",
            [survivor_id, absorbed_id],
        )
        return sorted(r[0] for r in rows)

    def still_on(self, ids: list, survivor_id: int) -> set:
        """The moved rows that still point at the survivor, locked for the undo."""
        return {
            r[0]
            for r in _fetch_all(
                f"SELECT {self.pk} FROM {_q(self.table)} WHERE {self.pk} = ANY(%s) "
                f"AND {self.column} = %s FOR UPDATE",
                [ids, survivor_id],
            )
        }

    def restore(self, ids: list, absorbed_id: int) -> None:
        _fetch_all(
            f"UPDATE {_q(self.table)} SET {self.column} = %s WHERE {self.pk} = ANY(%s) "
            f"RETURNING {self.pk}",
            [absorbed_id, ids],
        )


@dataclass(frozen=True)
class OnePerPerson:
    """A one-row-per-person table: the better row (first by ``order``) stays on the survivor."""

    table: str
    order: str
    label: str
    position: int


@dataclass(frozen=True)
class Collisions:
    """Rows of the absorbed person that collide with the survivor's (kept once) — campaign
    memberships: ``preview`` lists them (``line`` describes one), ``remove`` deletes them and
    returns their images, ``undo_problems`` says why one cannot be put back, ``restore``
    re-inserts one image."""

    key: str
    preview: Callable[[int, int], list[dict]]
    line: Callable[[dict], str]
    remove: Callable[[int, int], list[dict]]
    undo_problems: Callable[[dict, int], list[str]]
    restore: Callable[[dict], None]


@dataclass(frozen=True)
class LinkedRecords:
    """Records of another store linked to a person (the vault): counted, moved with the
    owner's relink function, moved back on undo."""

    key: str
    one: str
    many: str
    count_sql: str
    missing_note: str
    missing_skip: str
    split_refused: str
    missing_on_undo: str
    available: Callable[[], bool]
    ids: Callable[[int], list]
    relink: Callable[..., int]


REPOINTED: list[Repointed] = []
ONE_PER_PERSON: list[OnePerPerson] = []
COLLISIONS: list[Collisions] = []
LINKED: list[LinkedRecords] = []


def _add(registry: list, item) -> None:
    if item not in registry:
        registry.append(item)
        registry.sort(key=lambda r: getattr(r, "position", 0))


def register_repointed(**kwargs) -> None:
    _add(REPOINTED, Repointed(**kwargs))


def register_one_per_person(**kwargs) -> None:
    _add(ONE_PER_PERSON, OnePerPerson(**kwargs))


def register_collisions(item: Collisions) -> None:
    if item not in COLLISIONS:
        COLLISIONS.append(item)


def register_linked(item: LinkedRecords) -> None:
    if item not in LINKED:
        LINKED.append(item)


def labels(table: str) -> tuple[str, str]:
    """(singular, plural) label of a registered table, for previews and refusals."""
    for ref in (*REPOINTED, *LINKED):
        if getattr(ref, "table", getattr(ref, "key", None)) == table:
            return ref.one, ref.many
    raise KeyError(table)
