"""What every measured operation shares: rolled-back blocks, timed SQL, percentiles."""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.db import connections, transaction


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back(using="owner"):
    """Run the block in a transaction that is always rolled back."""
    try:
        with transaction.atomic(using=using):
            yield
            raise _Rollback
    except _Rollback:
        pass


def _cur(using="owner"):
    return connections[using].cursor()


def _sql_time(sql, params=None, using="owner") -> float:
    with _cur(using) as cur:
        t = time.perf_counter()
        cur.execute(sql, params)
        if cur.description:
            cur.fetchall()
        return time.perf_counter() - t


@contextmanager
def plain_templates():
    """Template rendering without the test instrumentation (timed runs, like production).

    bench.run installs Django's test environment so one captured request per page carries its
    context (the table for R, the filter form for B4); its signal copies every template context,
    which production never pays, so every timed render switches it off.
    """
    from django.template import Template
    from django.test.utils import _TestState

    saved = getattr(_TestState, "saved_data", None)
    if saved is None:
        yield
        return
    instrumented, Template._render = Template._render, saved.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def ms(x):
    return None if x is None else round(x * 1000, 2)
