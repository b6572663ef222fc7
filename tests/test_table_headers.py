"""Every list's column headers are distinct words (issue 17 finding: the open-slots list had two
columns called "STATE", the slot's and the company's region)."""

import contextlib
import importlib

import pytest

from outreach_admin.tables import BaseTable

for module in ("companies", "people", "marketing", "intake", "signals", "overview"):
    with contextlib.suppress(ModuleNotFoundError):
        importlib.import_module(f"{module}.tables")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


TABLES = sorted(set(_subclasses(BaseTable)), key=lambda t: f"{t.__module__}.{t.__name__}")


def test_the_tables_are_found():
    assert len(TABLES) >= 10


@pytest.mark.parametrize("table_class", TABLES, ids=lambda t: t.__name__)
def test_column_headers_are_distinct(table_class):
    headers = [str(c.header).strip().lower() for c in table_class([]).columns]
    named = [h for h in headers if h]
    assert len(named) == len(set(named)), headers
