"""Figures of the reliability battery, collected per session and printed as one table.

Tests add to the figures through the ``figures`` fixture of tests/reliability/conftest.py; the
terminal-summary hook there prints :func:`render` when any reliability test ran.
"""

from collections import Counter

import pytest

FIGURES_KEY = pytest.StashKey[Counter]()

# figure → what it counts; printed in this order, then any other figure a test recorded
ORDER = [
    ("cases tried", "statements and scenarios run against the database"),
    ("refusals verified", "direct writes refused with 42501 and fingerprint unchanged"),
    ("boundary violations", "catalog/privilege checks that failed on the real schema"),
    ("mutations tried", "weakenings applied inside a rolled-back transaction"),
    ("mutations caught", "of those, flagged by at least one boundary check"),
    ("rows lost", "rows changed by a refused write, a losing race or a failed merge"),
    ("double fills", "slots filled twice by concurrent assigns"),
    ("broken-variant races seen", "lost updates the deliberately broken harness showed"),
]


def figures_for(config) -> Counter:
    """The session's figure counter (created on first use)."""
    if FIGURES_KEY not in config.stash:
        config.stash[FIGURES_KEY] = Counter()
    return config.stash[FIGURES_KEY]


def render(figures: Counter) -> list[str]:
    """One line per figure, known figures first, mutations as caught/tried."""
    lines = ["Reliability results", "-" * 60]
    known = [name for name, _ in ORDER]
    for name, meaning in ORDER:
        if name == "mutations caught":
            value = f"{figures[name]}/{figures['mutations tried']}"
        else:
            value = str(figures[name])
        lines.append(f"{name:<28}{value:>8}   {meaning}")
    for name in sorted(set(figures) - set(known)):
        lines.append(f"{name:<28}{figures[name]:>8}")
    return lines
