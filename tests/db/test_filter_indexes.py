"""The company list's and the open-slot queue's industry/state filters are index-backed.

Django writes ``icontains`` as ``UPPER(col::text) LIKE UPPER(%s)`` and ``iexact`` as
``UPPER(col::text) = UPPER(%s)`` (issue 18: at 100k companies both were sequential scans).
Companies 0093 indexes exactly those expressions: a trigram GIN index on ``upper(industry)``
and a btree on ``upper(state_region)``. Each test runs the filterset's own SQL under EXPLAIN
with sequential scans priced out (``enable_seqscan = off``, owner connection, a few thousand
companies): a plan that can use the index names it; one that cannot still seq-scans.
"""

import pytest
from django.db import connection

from companies.filters import CompanyFilterSet, CompanySlotFilterSet
from companies.models import Company, CompanySlot

pytestmark = [pytest.mark.django_db, pytest.mark.owner]

INDUSTRY_INDEX = "company_industry_upper_trgm_idx"
STATE_INDEX = "company_state_upper_idx"


@pytest.fixture
def companies():
    """3,000 companies, 1% each in the industries and states filtered for (a selective filter:
    at 25% a full scan is the right plan even with an index), analysed."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO company.company (company_name, website_url, industry, state_region)"
            " SELECT 'Filter Co ' || g, 'https://filter' || g || '.example.com',"
            " CASE g % 100 WHEN 0 THEN 'Retail Banking' WHEN 1 THEN 'Healthcare'"
            "   ELSE 'Software ' || g % 40 END,"
            " CASE g % 100 WHEN 2 THEN 'Ohio' WHEN 3 THEN 'TX' ELSE 'State ' || g % 45 END"
            " FROM generate_series(1, 3000) AS g"
        )
        cur.execute(
            "INSERT INTO company.company_slot (company_id, role_code)"
            " SELECT company_id, 'CFO' FROM company.company"
            " WHERE company_name LIKE 'Filter Co %'"
        )
        cur.execute("ANALYZE company.company")
        cur.execute("ANALYZE company.company_slot")


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
        cur.execute("RESET enable_seqscan")
    return plan


def _sql(qs) -> str:
    return qs.query.sql_with_params()[0]


def test_company_list_industry_contains_uses_the_trigram_index(companies):
    """Company list: ``industry`` (icontains) is UPPER(...) LIKE, answered by the GIN index,
    and still finds case-insensitive infixes."""
    fs = CompanyFilterSet({"industry": "bank"}, queryset=Company.objects.all())
    assert 'UPPER("company"."company"."industry"::text) LIKE UPPER(' in _sql(fs.qs)
    assert INDUSTRY_INDEX in _plan(fs.qs)
    assert fs.qs.count() == 30


def test_company_list_state_iexact_uses_the_upper_index(companies):
    """Company list: ``state_region`` (iexact) is UPPER(...) = UPPER(...), answered by the
    btree on upper(state_region)."""
    fs = CompanyFilterSet({"state_region": "ohio"}, queryset=Company.objects.all())
    assert 'UPPER("company"."company"."state_region"::text) = UPPER(' in _sql(fs.qs)
    assert STATE_INDEX in _plan(fs.qs)
    assert fs.qs.count() == 30


def test_open_slot_filters_write_the_indexed_expressions(companies):
    """Open-slot queue: the same filters through the slot's company write the same expressions
    on company.company (so the indexes above serve them; at 3,000 rows the planner prefers to
    walk the slots in key order, so the plan is not asserted here) and still find the rows."""
    slots = CompanySlot.objects.all()
    fs = CompanySlotFilterSet({"industry": "CARE"}, queryset=slots)
    assert 'UPPER("company"."company"."industry"::text) LIKE UPPER(' in _sql(fs.qs)
    assert fs.qs.count() == 30
    fs = CompanySlotFilterSet({"state": "tx"}, queryset=slots)
    assert 'UPPER("company"."company"."state_region"::text) = UPPER(' in _sql(fs.qs)
    assert fs.qs.count() == 30
