"""Decoding jsonb for pages: whatever the database holds, a page can show it.

jsonb accepts numbers of any size and nesting of any depth; Python's decoder does not (integers
over ``sys.get_int_max_str_digits()`` digits raise ValueError, deep nesting RecursionError), and
a row stored by a raw ``f_ingest_json`` caller or by an older release made the load and batch
pages answer 500 for everyone. ``loads_stored`` shows such values instead: an integer too long
to convert becomes the text ``<N-digit number>``, and containers nested deeper than
``MAX_SHOWN_DEPTH`` become ``<nested too deeply to show>``. Values written back go through the
services and SQL functions, never from these decoded copies.
"""

from __future__ import annotations

import json
import re
import sys

from django.db import models

MAX_SHOWN_DEPTH = 100
TOO_DEEP = "<nested too deeply to show>"
_INT_DIGITS = sys.get_int_max_str_digits() or 4300
# A JSON string (with its escapes) or one bracket; strings are matched whole so the brackets
# inside them are skipped.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _int_or_text(text: str):
    digits = len(text.lstrip("-"))
    return int(text) if digits <= _INT_DIGITS else f"<{digits}-digit number>"


_DECODER = json.JSONDecoder(parse_int=_int_or_text)


def prune_depth(text: str, max_depth: int = MAX_SHOWN_DEPTH) -> str:
    """``text`` (valid JSON) with every container nested deeper than ``max_depth`` replaced by
    the JSON string ``TOO_DEEP``; unchanged when no container is that deep."""
    if text.count("[") + text.count("{") <= max_depth:
        return text
    out, depth, start, cut_from = [], 0, 0, None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth == max_depth + 1 and cut_from is None:
                cut_from = match.start()
        elif token in "]}":
            if depth == max_depth + 1 and cut_from is not None:
                out += [text[start:cut_from], json.dumps(TOO_DEEP)]
                start, cut_from = match.end(), None
            depth -= 1
    if not out:
        return text
    out.append(text[start:])
    return "".join(out)


def loads_stored(text: str):
    """Decode jsonb text for display (see the module docstring); never raises on valid JSON."""
    # Pruned first: a value that decodes could still make a page rendering it (templates,
    # json.dumps) recurse too far. prune_depth returns ``text`` itself when nothing is too deep.
    try:
        return _DECODER.decode(prune_depth(text))
    except json.JSONDecodeError:
        return text


class StoredJSONField(models.JSONField):
    """A JSONField whose values are decoded by ``loads_stored``. Migrations see a plain
    ``models.JSONField`` (the column and its SQL are the same)."""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str) and self.decoder is None:
            return loads_stored(value)
        return super().from_db_value(value, expression, connection)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
