"""Keyset (seek) pagination for the django-tables2 list pages (issue 11, B2).

``KeysetPaginator`` is a drop-in ``paginator_class`` for ``table_pagination``. A page is fetched
with ``WHERE (sort key, pk) > (last row's key, pk) ORDER BY … LIMIT per_page + 1`` instead of
``OFFSET``, so row 250,000 costs what row 1 costs when the sort has a matching index. The
"Next"/"Previous" links carry a signed cursor (``?cursor=…``: direction, the boundary row's sort
key and pk, the ordering it was made for, and the row number for display); page numbers still
work by ``OFFSET`` up to ``MAX_OFFSET_ROWS`` (deeper numbers are clamped, the page says so).
A missing, tampered, stale (other sort) or malformed cursor shows page 1 — never an error.

Rules for pages using it:
- the queryset must be ordered deterministically enough that ``pk`` breaks ties (it is appended
  to the ordering when missing);
- each sort a page offers should have an index starting with the sort expression (keyset only
  skips the OFFSET scan; without an index the sort itself still costs a full scan);
- like ``LazyPaginator`` it never counts rows (one query per page: the extra row tells whether
  there is a next page).
"""

from __future__ import annotations

import datetime
import decimal
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.db.models.expressions import OrderBy

CURSOR_PARAM = "cursor"
MAX_OFFSET_ROWS = 10_000
MAX_PER_PAGE_DEFAULT = 200
_SALT = "outreach_admin.pagination.cursor"
_KEY = "kp_{}"


class BadCursor(Exception):
    pass


def max_per_page() -> int:
    """The most rows a list page shows (``LIST_MAX_PER_PAGE``)."""
    return int(getattr(settings, "LIST_MAX_PER_PAGE", MAX_PER_PAGE_DEFAULT))


def bounded_per_page(requested, default: int) -> tuple[int, bool]:
    """(rows per page, whether ``requested`` was cut to the maximum).

    ``requested`` is what the request asked for (an int, a string, or None): a missing, zero,
    negative or non-numeric value gives ``default``; more than ``max_per_page()`` gives the
    maximum (one page of 100,000 rows held a worker 30 s; a value past bigint made the LIMIT a
    database error). ``default`` is bounded too.
    """
    cap = max_per_page()
    try:
        n = int(requested)
    except (TypeError, ValueError):
        n = 0
    if n < 1:
        return min(int(default), cap), False
    return (cap, True) if n > cap else (n, False)


@dataclass(frozen=True)
class _Key:
    expr: object
    desc: bool
    nulls_last: bool
    nullable: bool = True

    def reversed(self) -> _Key:
        return _Key(self.expr, not self.desc, not self.nulls_last, self.nullable)


def _nullable(meta, expr) -> bool:
    """False only for a plain column of the model that is NOT NULL (its key never needs the
    IS NULL branches, so the seek condition stays an index range)."""
    name = getattr(expr, "name", None)
    if not isinstance(name, str) or "__" in name:
        return True
    if name == "pk":
        return False
    try:
        return meta.get_field(name).null
    except FieldDoesNotExist:  # an annotation, not a field
        return True


def _order_keys(qs) -> list[_Key]:
    """The queryset's ordering as keys (PostgreSQL null placement), ``pk`` appended."""
    query = qs.query
    ordering = list(query.order_by) or (
        list(query.get_meta().ordering or []) if query.default_ordering else []
    )
    keys, has_pk = [], False
    pk_names = {"pk", query.get_meta().pk.name, query.get_meta().pk.attname}
    for item in ordering:
        if isinstance(item, str):
            if item == "?":
                raise BadCursor("random order")
            desc = item.startswith("-")
            name = item.lstrip("-+")
            has_pk |= name in pk_names
            expr = F(name)
            keys.append(_Key(expr, desc, not desc, _nullable(query.get_meta(), expr)))
            continue
        else:
            ob = item if isinstance(item, OrderBy) else item.asc()
            desc = ob.descending
            expr = ob.expression
            if ob.nulls_first or ob.nulls_last:
                keys.append(_Key(expr, desc, bool(ob.nulls_last)))
                continue
            if isinstance(expr, F):
                has_pk |= expr.name in pk_names
        # PostgreSQL default: NULLS LAST for ASC, NULLS FIRST for DESC.
        keys.append(_Key(expr, desc, not desc, _nullable(query.get_meta(), expr)))
    if not has_pk:
        keys.append(_Key(F("pk"), False, True, False))
    return keys


def _ordering(keys: list[_Key]) -> list:
    out = []
    for i, k in enumerate(keys):
        f = F(_KEY.format(i))
        nulls = {"nulls_last": True} if k.nulls_last else {"nulls_first": True}
        out.append(f.desc(**nulls) if k.desc else f.asc(**nulls))
    return out


def _signature(keys: list[_Key]) -> int:
    text = "|".join(f"{k.expr}:{int(k.desc)}:{int(k.nulls_last)}" for k in keys)
    return zlib.crc32(text.encode())


def _after(keys: list[_Key], values: list, i: int = 0) -> Q:
    """Rows strictly after ``values`` in the order ``keys`` (lexicographic, nulls placed)."""
    if i == len(keys):
        return Q(pk__in=[])  # nothing is strictly after an equal key
    key, value, name = keys[i], values[i], _KEY.format(i)
    if value is None:
        strictly = Q(**{f"{name}__isnull": False}) if not key.nulls_last else Q(pk__in=[])
        equal = Q(**{f"{name}__isnull": True})
    else:
        strictly = Q(**{f"{name}__{'lt' if key.desc else 'gt'}": value})
        if key.nulls_last and key.nullable:
            strictly |= Q(**{f"{name}__isnull": True})
        equal = Q(**{name: value})
    rest = _after(keys, values, i + 1)
    return strictly | (equal & rest)


def _lead_bound(key: _Key, value) -> Q | None:
    """A redundant range condition on the first key so an index scan can start at the cursor."""
    if value is None or (key.nulls_last and key.nullable):
        return None
    return Q(**{f"{_KEY.format(0)}__{'lte' if key.desc else 'gte'}": value})


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise BadCursor(f"cannot encode {type(value).__name__}")


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "t":
            return datetime.datetime.fromisoformat(text)
        if tag == "d":
            return datetime.date.fromisoformat(text)
        if tag == "n":
            return decimal.Decimal(text)
        raise BadCursor("unknown tag")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise BadCursor("bad value")


def make_cursor(direction: str, keys: list[_Key], values: list, row: int) -> str:
    payload = {"d": direction, "s": _signature(keys), "k": [_encode(v) for v in values], "n": row}
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_cursor(token: str, keys: list[_Key]) -> tuple[str, list, int]:
    """(direction, key values, row number) of a cursor made for this ordering, or BadCursor."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadCursor(str(exc)) from exc
    if not isinstance(payload, dict) or payload.get("s") != _signature(keys):
        raise BadCursor("stale cursor")
    direction, values, row = payload.get("d"), payload.get("k"), payload.get("n")
    if direction not in ("next", "prev") or not isinstance(values, list):
        raise BadCursor("malformed")
    if len(values) != len(keys) or not isinstance(row, int) or row < 0:
        raise BadCursor("malformed")
    return direction, [_decode(v) for v in values], row


class KeysetPage:
    """The Django ``Page`` surface the templates and the bench use, plus the cursor links."""

    def __init__(self, paginator, rows, start, has_previous, has_next, capped=False):
        self.paginator = paginator
        self.object_list = rows
        self.start = start
        self._has_previous = has_previous
        self._has_next = has_next
        self.capped = capped
        per_page = paginator.per_page
        self.number = start // per_page + 1 if per_page else 1

    def __len__(self):
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def has_other_pages(self):
        return self._has_next or self._has_previous

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return max(1, self.number - 1)

    def start_index(self):
        return self.start + 1 if len(self) else 0

    def end_index(self):
        return self.start + len(self)

    @property
    def next_cursor(self):
        if not self._has_next or not len(self) or not self.paginator.keys:
            return None
        return self.paginator.cursor_for("next", self.paginator.last_values, self.end_index())

    @property
    def previous_cursor(self):
        if not self._has_previous or not len(self) or not self.paginator.keys:
            return None
        return self.paginator.cursor_for("prev", self.paginator.first_values, self.start)


class KeysetPaginator:
    """Seek pagination over the table's ordered queryset; falls back to offsets for lists."""

    keyset = True
    cursor_param = CURSOR_PARAM
    max_offset_rows = MAX_OFFSET_ROWS

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        self.object_list = object_list  # BoundRows
        self.per_page = int(per_page)
        self.first_values = self.last_values = None
        self.keys = []
        self.cursor_error = None
        table = getattr(object_list, "table", None)
        request = getattr(table, "request", None)
        self.cursor = request.GET.get(self.cursor_param) if request is not None else None
        data = getattr(object_list, "data", None)
        self.queryset = getattr(data, "data", None) if data is not None else None
        if self.queryset is not None and not hasattr(self.queryset, "query"):
            self.queryset = None

    # django-tables2 and the stock templates read these; no count is ever taken.
    @property
    def num_pages(self):
        return 2

    @property
    def count(self):
        raise NotImplementedError("KeysetPaginator never counts rows")

    def cursor_for(self, direction, values, row):
        return make_cursor(direction, self.keys, values, row)

    def page(self, number=1):
        from django_tables2.rows import BoundRows

        table = self.object_list.table
        if self.queryset is None:
            return self._list_page(number, table)
        try:
            self.keys = _order_keys(self.queryset)
        except BadCursor:
            return self._list_page(number, table)
        qs = self.queryset.annotate(**{_KEY.format(i): k.expr for i, k in enumerate(self.keys)})
        qs = qs.order_by(*_ordering(self.keys))  # pk included: the order is total
        names = [_KEY.format(i) for i in range(len(self.keys))]
        n = self.per_page
        direction, values, start, capped = None, None, 0, False
        if self.cursor:
            try:
                direction, values, start = read_cursor(self.cursor, self.keys)
                records = self._seek(qs, direction, values, n + 1)
            except (BadCursor, ValueError, TypeError, ArithmeticError) as exc:
                self.cursor_error = str(exc)
                direction = None
        if direction is None:
            try:
                number = max(1, int(number))
            except (TypeError, ValueError):
                number = 1
            start = (number - 1) * n
            if start > self.max_offset_rows:
                capped = True
                start = self.max_offset_rows - self.max_offset_rows % n
            records = list(qs[start : start + n + 1])
            has_previous, has_next = start > 0, len(records) > n
            records = records[:n]
        elif direction == "next":
            has_previous, has_next = True, len(records) > n
            records = records[:n]
        else:  # "prev": fetched in reverse order
            if len(records) <= n:  # reached the top: show the real first page
                start = 0
                records = list(qs[: n + 1])
                has_previous, has_next = False, len(records) > n
                records = records[:n]
            else:
                records = records[:n][::-1]
                start = max(0, start - n)
                has_previous, has_next = True, True
        if records:
            self.first_values = [getattr(records[0], a) for a in names]
            self.last_values = [getattr(records[-1], a) for a in names]
        rows = BoundRows(data=records, table=table)
        return KeysetPage(self, rows, start, has_previous, has_next, capped=capped)

    def _seek(self, qs, direction, values, limit):
        keys = [k.reversed() for k in self.keys] if direction == "prev" else self.keys
        condition = _after(keys, values)
        lead = _lead_bound(keys[0], values[0])
        if lead is not None:
            condition = lead & condition
        return list(qs.order_by(*_ordering(keys)).filter(condition)[:limit])

    def _list_page(self, number, table):
        """Plain lists (no queryset): slice by page number."""
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        data = list(self.object_list.data[start : start + self.per_page + 1])
        from django_tables2.rows import BoundRows

        rows = BoundRows(data=data[: self.per_page], table=table)
        self.keys = []
        return KeysetPage(self, rows, start, start > 0, len(data) > self.per_page)
