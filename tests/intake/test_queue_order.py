"""The freshness queues read as index-ordered branches (issue 18) list exactly what their
views list, in the same order, for every filter and page; the page costs one query whatever
the queue's size."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies.models import Company
from intake.selectors import queue_page, queue_rows_sql
from people.models import Contact, ContactVerification
from tests import builders

pytestmark = pytest.mark.django_db
_n = itertools.count()


def _via_view(page, per_page, queue="company_urls", **filters):
    sql, params = queue_rows_sql(queue, **filters)
    params.update(limit=per_page + 1, offset=(page - 1) * per_page)
    with connection.cursor() as cur:
        cur.execute(sql + " LIMIT %(limit)s OFFSET %(offset)s", params)
        cols = [c.name for c in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    return rows[:per_page], len(rows) > per_page


def _companies(n):
    now = timezone.now()
    for i in range(n):
        c = builders.company(
            f"Queue Co {i}-{next(_n)}",
            slots=False,
            linkedin_url=f"https://www.linkedin.com/company/queue{i}" if i % 3 else None,
            news_url=f"https://queue{i}.example.com/news" if i % 2 else None,
        )
        ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731
        Company.objects.filter(pk=c.pk).update(
            # some never checked, some checked long ago, some fresh (not due); ties on purpose
            last_site_checked_at=None if i % 4 == 0 else ago(31 + i % 5),
            last_linkedin_checked_at=None if i % 5 == 0 else ago(10 + 7 * (i % 6)),
            last_news_checked_at=ago(60) if i % 7 else None,
            status="inactive" if i == 7 else "active",
        )


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"kind": "website"},
        {"kind": "news"},
        {"kind": "bogus"},
        {"q": "queue co 1"},
        {"never_checked": True},
        {"q": "linkedin", "kind": "linkedin"},
    ],
    ids=str,
)
def test_branches_list_what_the_view_lists(filters):
    """Every page of every filter equals the freshness view's page (rows, order, has-next)."""
    _companies(30)
    for per_page in (7, 50):
        for page in range(1, 8):
            assert queue_page("company_urls", page=page, per_page=per_page, **filters) == (
                _via_view(page, per_page, **filters)
            ), (page, per_page)


def test_queue_page_query_count_does_not_grow(client):
    """The company URL queue page runs the same number of queries for 5 or 40 companies."""
    client.force_login(builders.user(group="coordinator"))
    counts = []
    for n in (5, 35):
        _companies(n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("intake:queue_list"), {"queue": "company_urls"})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def _people(n):
    """People due (or not) for a profile check and an e-mail recheck, with ties, people without
    a verification row, and people the queues leave out (inactive, unsubscribed)."""
    now = timezone.now()
    ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731
    for i in range(n):
        k = next(_n)
        p = builders.contact(
            f"Queue Person {i}-{k}",
            email_status=None if i % 6 == 0 else ("green", "red", "gray", "yellow")[i % 4],
            linkedin_url=f"https://www.linkedin.com/in/queue{k}" if i % 3 else None,
            profile_source_url=f"https://people.example.com/{k}" if i % 4 == 1 else None,
        )
        Contact.objects.filter(pk=p.pk).update(
            last_profile_checked_at=None if i % 5 == 0 else ago(20 + 4 * (i % 5)),
            status={7: "inactive", 11: "unsubscribed", 13: "bounced"}.get(i, p.status),
        )
        ContactVerification.objects.filter(contact=p).update(
            email_checked_at=None if i % 4 == 0 else ago(25 + 3 * (i % 4))
        )


@pytest.mark.parametrize("queue", ["profile_urls", "email_recheck"])
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"kind": "profile"},
        {"kind": "gray"},
        {"kind": "red"},
        {"kind": "bogus"},
        {"q": "queue person 1"},
        {"q": "example.com"},
        {"never_checked": True},
        {"never_checked": True, "kind": "gray"},
    ],
    ids=str,
)
def test_people_queue_branches_list_what_the_view_lists(queue, filters):
    """Every page of the profile URL and e-mail recheck queues equals its view's page."""
    _people(40)
    for per_page in (6, 50):
        for page in range(1, 9):
            assert queue_page(queue, page=page, per_page=per_page, **filters) == (
                _via_view(page, per_page, queue, **filters)
            ), (page, per_page)
