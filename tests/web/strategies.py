"""Hypothesis strategies for form submissions through the views: hostile values, values by
field type, and whole submissions that are valid-shaped or carry one to three hostile fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from hypothesis import strategies as st

from outreach_admin.forms import IdField, IdListField

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "²",
    "١٢",
    "１２",
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "9" * 30,
    "1e3",
    "#5",
    "x" * 5000,
    "<script>alert(1)</script>",
    "'; DROP TABLE company.company; --",
    "😀",
]
hostile = st.sampled_from(HOSTILE)
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)


def mix(valid: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly valid-shaped values, sometimes a hostile one (for values inside a field)."""
    return st.one_of(valid, valid, valid, hostile)


# --- per-field strategies -----------------------------------------------------------------------

DATETIME_TEXT = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))


def sample(pool: list) -> st.SearchStrategy:
    return st.sampled_from(pool).map(str)


def for_field(f: forms.Field) -> st.SearchStrategy:
    """Valid-shaped values for a field, by type (ids are given per action instead)."""
    if isinstance(f, forms.MultipleChoiceField):
        return st.lists(st.sampled_from([str(k) for k, _ in f.choices]), min_size=1, max_size=3)
    if isinstance(f, forms.ChoiceField):
        return st.sampled_from([str(k) for k, _ in f.choices if k != ""])
    if isinstance(f, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(f, forms.DateTimeField):
        return DATETIME_TEXT
    if isinstance(f, forms.DecimalField):
        return st.decimals(min_value=0, max_value=1, places=2).map(str)
    return words


def submission(form_class, pools: dict[str, st.SearchStrategy], fields=None) -> st.SearchStrategy:
    """One dict per form field: about half the examples are valid-shaped throughout, the rest
    carry hostile values in one to three fields (or leave them out); optional fields are sent
    three times in four."""
    fields = fields if fields is not None else form_class.base_fields
    valid = {}
    for name, f in fields.items():
        valid[name] = pools.get(name)
        if valid[name] is None:
            assert not isinstance(f, (IdField, IdListField)), f"{name}: give an id pool"
            valid[name] = for_field(f)

    @st.composite
    def build(draw):
        names = sorted(fields)
        bad = draw(
            st.one_of(st.just(set()), st.sets(st.sampled_from(names), min_size=1, max_size=3))
        )
        data = {}
        for name in names:
            if name in bad:
                value = draw(st.one_of(hostile, st.lists(hostile, max_size=3), st.none()))
                if value is not None:
                    data[name] = value
            elif fields[name].required or draw(st.integers(0, 3)):
                data[name] = draw(valid[name])
        return data

    return build()
