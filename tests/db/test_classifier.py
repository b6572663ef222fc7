"""The title → role classifier (company.classify_title, rules in company.title_rule) on real
titles kept as data in title_cases.csv: title, expected role (blank: no role), and the least
confidence the role must come with. The classifier is called in SQL, never re-implemented.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

CASES_FILE = Path(__file__).with_name("title_cases.csv")

# Titles the current rules get wrong; reported with a proposed title_rule change. Strict, so the
# mark must go when the rule lands.
KNOWN_WRONG: dict[str, str] = {}


def load_cases() -> list:
    with CASES_FILE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    params = []
    for row in rows:
        title = row["title"]
        marks = []
        if title in KNOWN_WRONG:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[title]))
        params.append(
            pytest.param(
                title,
                row["expected_role"] or None,
                Decimal(row["min_confidence"] or "0"),
                id=title or "<blank>",
                marks=marks,
            )
        )
    return params


CASES = load_cases()


def classify(title: str) -> tuple[str | None, Decimal, str]:
    with connection.cursor() as c:
        c.execute("SELECT * FROM company.classify_title(%s)", [title])
        rows = c.fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_the_title_data_set_is_big_and_balanced():
    """At least 60 titles, with every role and the no-role answer well represented."""
    roles = [p.values[1] for p in CASES]
    assert len(roles) >= 60
    for role in ("CEO", "CFO", "HR", None):
        assert roles.count(role) >= 10, role


@pytest.mark.parametrize(("title", "expected_role", "min_confidence"), CASES)
def test_title_is_classified_to_the_expected_role(title, expected_role, min_confidence):
    """classify_title gives the expected role (or none) with at least the expected confidence."""
    role, confidence, reason = classify(title)
    assert role == expected_role, reason
    if expected_role is None:
        assert confidence == 0, reason
    else:
        assert min_confidence <= confidence <= 1, reason
    assert reason  # every answer explains itself


def test_classification_ignores_case_and_surrounding_space():
    """Case and surrounding whitespace do not change the answer."""
    assert classify("  cHiEf FiNaNcIaL oFfIcEr ")[:2] == classify("Chief Financial Officer")[:2]


def test_null_title_has_no_role():
    """A NULL title gives no role, zero confidence and the reason 'no title'."""
    with connection.cursor() as c:
        c.execute("SELECT * FROM company.classify_title(NULL)")
        assert c.fetchone() == (None, 0, "no title")
