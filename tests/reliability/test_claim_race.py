"""Concurrent worker claims: both claimers get work while free items remain (issue 19 finding:
of two simultaneous claims the second could come back empty).

Real concurrency as in test_races.py: committed rows, two threads with their own connections
behind a barrier, each claim in its own transaction held open a moment after the claim so the
two statements overlap.
"""

import threading

import pytest
from django.db import connection, transaction

from companies.models import Company, CompanyHistory
from intake import services
from intake.models import WorkerToken, WorkItemLease
from outreach_admin.db import acting_as

ROUNDS = 15
ITEMS = 30
LIMIT = 5


@pytest.fixture
def committed_queue(committed_db, django_db_blocker):
    """30 due company URLs and two scraper tokens, committed, deleted afterwards."""
    with django_db_blocker.unblock():
        with acting_as("setup"):
            companies = [
                Company.objects.create(
                    company_name=f"Claim race {i}", website_url=f"https://claimrace{i}.example"
                )
                for i in range(ITEMS)
            ]
            tokens = [
                services.worker_token_create(name=f"claim-w{i}", kind="scraper", actor="t")[0]
                for i in range(2)
            ]
        try:
            yield [t.pk for t in tokens]
        finally:
            with transaction.atomic():
                ids = [c.pk for c in companies]
                WorkItemLease.objects.filter(worker__in=tokens).delete()
                WorkerToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
                Company.objects.filter(pk__in=ids).delete()
                CompanyHistory.objects.filter(company_id__in=ids).delete()
            connection.close()


def test_two_simultaneous_claims_both_get_items(committed_queue, django_db_blocker, figures):
    """Rule: while at least 2 × limit items are free, two claims made at the same moment each
    lease ``limit`` items, and never the same one."""
    starved, shared = 0, 0
    for _ in range(ROUNDS):
        with django_db_blocker.unblock():
            WorkItemLease.objects.filter(worker__in=committed_queue).delete()
        results, barrier = {}, threading.Barrier(2, timeout=10)

        def claimer(worker_id, results=results, barrier=barrier):
            with django_db_blocker.unblock():
                try:
                    with acting_as(f"worker:{worker_id}"):
                        barrier.wait()
                        items = services.work_items_claim(
                            worker_id=worker_id, queue="company_urls", limit=LIMIT
                        )
                        with connection.cursor() as cursor:  # hold the transaction open
                            cursor.execute("SELECT pg_sleep(0.05)")
                    results[worker_id] = [i["item_key"] for i in items]
                finally:
                    connection.close()

        threads = [threading.Thread(target=claimer, args=(w,)) for w in committed_queue]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        a, b = (results[w] for w in committed_queue)
        starved += (len(a) < LIMIT) + (len(b) < LIMIT)
        shared += len(set(a) & set(b))
    figures["cases tried"] += 2 * ROUNDS
    figures["starved claims"] += starved
    figures["double fills"] += shared
    assert (starved, shared) == (0, 0)
