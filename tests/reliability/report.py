"""The reliability results table: figures per area, collected during the session, printed once.

API for any test (tests/reliability, tests/web, …)::

    from tests.reliability.report import record
    record("bad input", "cases tried", 78)          # add n to one figure of one area
    record("hypothesis services", "5xx", 0)         # a zero still makes the area appear

Tests in tests/reliability get the same through the ``figures`` fixture (a Counter for the
test's own area). tests/web/conftest.py adds measured figures for the web battery: requests made
through the Django test client and how many answered 5xx, refused requests (status >= 400) after
which a table changed ("rows lost"), and Hypothesis examples run per test module.

Columns are the issue's figures; every column but "cases tried" and "mutations caught" must be 0
(mutations caught must equal mutations tried). Other figures an area records are listed under
the table. The terminal-summary hooks of tests/reliability/conftest.py and tests/web/conftest.py
call :func:`print_table`, which prints once per session when anything was recorded.
"""

from __future__ import annotations

from collections import Counter, defaultdict

COLUMNS = ["cases tried", "5xx", "rows lost", "double fills", "mutations caught"]
# Figures that must be zero wherever they appear (besides the columns above).
ZERO = {
    "5xx",
    "rows lost",
    "double fills",
    "boundary violations",
    "second promote changes",
    "duplicate people",
    "unexpected changes",
    "missing history rows",
    "failed examples",
    "leaked fields",
    "tests failed",
    "duplicates escaped",
    "orphaned references",
    "merge anomalies",
    "unclean errors",
    "starved claims",
}
# Areas print in this order, then any other area that recorded something.
AREAS = [
    "db boundary",
    "mutations",
    "races",
    "ingest race",
    "merge race",
    "bad input",
    "bounded requests",
    "hypothesis forms",
    "hypothesis services",
    "validators vs checks",
    "permission matrix",
    "mass assignment",
    "csrf",
]

_FIGURES: dict[str, Counter] = defaultdict(Counter)
_printed = False


def record(area: str, figure: str, n: int = 1) -> None:
    """Add ``n`` to ``figure`` of ``area`` (creates both on first use)."""
    _FIGURES[area][figure] += n


def area_figures(area: str) -> Counter:
    """The live Counter of one area (``figures["cases tried"] += n`` style)."""
    return _FIGURES[area]


def offenders() -> list[str]:
    """``area: figure = n`` for every should-be-zero figure above zero, and missed mutations."""
    bad = []
    for area, figures in _FIGURES.items():
        for name, value in figures.items():
            if name in ZERO and value:
                bad.append(f"{area}: {name} = {value}")
        if figures["mutations caught"] != figures["mutations tried"]:
            bad.append(f"{area}: mutations caught {figures['mutations caught']}")
    return bad


def render() -> list[str]:
    areas = [a for a in AREAS if a in _FIGURES] + sorted(set(_FIGURES) - set(AREAS))
    head = f"{'area':<22}" + "".join(f"{c:>18}" for c in COLUMNS)
    lines = ["", "Reliability results (figures measured in this run)", head, "-" * len(head)]
    total = Counter()
    for area in areas:
        figures = _FIGURES[area]
        total.update(figures)
        lines.append(f"{area:<22}" + "".join(_cell(figures, c) for c in COLUMNS))
    lines.append("-" * len(head))
    lines.append(f"{'total':<22}" + "".join(_cell(total, c) for c in COLUMNS))
    extras = []
    for area in areas:
        rest = sorted(set(_FIGURES[area]) - set(COLUMNS) - {"mutations tried"})
        if rest:
            extras.append(
                f"  {area}: " + ", ".join(f"{name} {_FIGURES[area][name]}" for name in rest)
            )
    if extras:
        lines += ["also measured:", *extras]
    bad = offenders()
    lines.append(
        "should-be-zero figures: " + ("all zero" if not bad else "ABOVE ZERO: " + "; ".join(bad))
    )
    return lines


def _cell(figures: Counter, column: str) -> str:
    if column == "mutations caught":
        tried = figures["mutations tried"]
        value = f"{figures[column]}/{tried}" if tried else "-"
    elif column == "cases tried" or column in figures:
        value = str(figures[column])
    else:
        value = "-"
    return f"{value:>18}"


def print_table(terminalreporter) -> None:
    """Print the table once per session, when any figure was recorded."""
    global _printed
    if _printed or not _FIGURES:
        return
    _printed = True
    for line in render():
        terminalreporter.write_line(line)
