import random

import pytest
from django.db import connection

from intake.services import duplicates_detect
from people.models import Contact, ResolutionQueue
from people.services import pair_mark_not_duplicate
from tests import builders
from tests.people import synthetic

pytestmark = pytest.mark.django_db


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" John.Doe+news@GoogleMail.com ", "johndoe@gmail.com"),
        ("Jane.Roe+crm@Acme.COM", "jane.roe@acme.com"),
        ("not-an-email", "not-an-email"),
        ("", None),
    ],
)
def test_normalize_email(raw, expected):
    """E-mails are compared lower-cased, trimmed, without +tags, gmail dots or googlemail."""
    assert _scalar("SELECT people.normalize_email(%s)", [raw]) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/jane-roe/",
        "http://linkedin.com/in/jane-roe",
        "linkedin.com/in/jane-roe/en?trk=abc",
        "HTTPS://UK.LINKEDIN.COM/in/Jane-Roe#x",
    ],
)
def test_normalize_linkedin(raw):
    """LinkedIn URLs lose scheme, www./country host, locale path, query and trailing slash."""
    assert _scalar("SELECT people.normalize_linkedin(%s)", [raw]) == "linkedin.com/in/jane-roe"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(415) 555-0100", "+14155550100"),
        ("+1 415.555.0100 ext. 12", "+14155550100"),
        ("1-415-555-0100", "+14155550100"),
        ("0044 20 7946 0958", "+442079460958"),
        ("12345", None),
    ],
)
def test_normalize_phone(raw, expected):
    """Phones become E.164, 10-digit numbers assumed US, extensions dropped."""
    assert _scalar("SELECT people.normalize_phone(%s)", [raw]) == expected


def test_detector_precision_and_recall(capsys):
    """On the labelled synthetic set the detector keeps precision >= 0.95 and recall >= 0.90."""
    truth = synthetic.build()
    expected = synthetic.true_pairs(truth)
    counts = duplicates_detect(actor="test")
    found = {
        (min(a, b), max(a, b))
        for a, b in ResolutionQueue.objects.values_list(
            "contact_primary_id", "contact_duplicate_id"
        )
    }
    hits = found & expected
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(expected)
    with capsys.disabled():
        print(
            f"\n[duplicate detector] people={len(truth)} true pairs={len(expected)} "
            f"proposed={len(found)} correct={len(hits)} precision={precision:.3f} "
            f"recall={recall:.3f} counts={counts}"
        )
        names = dict(
            Contact.objects.filter(pk__in={i for p in found ^ expected for i in p}).values_list(
                "pk", "full_name"
            )
        )
        for a, b in sorted(found - expected)[:10]:
            print(f"  false positive: {a} {names.get(a)} ~ {b} {names.get(b)}")
        for a, b in sorted(expected - found)[:10]:
            print(f"  missed: {a} {names.get(a)} ~ {b} {names.get(b)}")
    assert precision >= 0.95
    assert recall >= 0.90


def test_rerun_adds_only_new_pairs_and_never_a_judged_one():
    """A second run inserts nothing; a pair judged not_duplicate is never proposed again."""
    company = builders.company()
    a = builders.contact("Robert Lambert", email="rob.lambert@acme-rerun.com", company=company)
    b = builders.contact("Bob Lambert", email="bob@acme-rerun.com", company=company)
    first = duplicates_detect(actor="test")
    assert first["inserted"] == 1
    pair = ResolutionQueue.objects.get()
    assert {pair.contact_primary_id, pair.contact_duplicate_id} == {a.pk, b.pk}
    assert pair.evidence["name"]["rule"] == "nickname"
    pair_mark_not_duplicate(resolution_id=pair.pk, actor="test")
    second = duplicates_detect(actor="test")
    assert second["inserted"] == 0 and second["already_known"] == 1
    assert ResolutionQueue.objects.count() == 1


def test_recommendations_are_typed():
    """Same e-mail + name → merge; same LinkedIn at two companies → likely job change;
    personal vs work e-mail at one company → merge keeping the work e-mail."""
    c1, c2 = builders.company(), builders.company()
    builders.contact("Ann Ellison", email="ann.ellison@example.org", company=c1)
    builders.contact("Ann Ellison", email="Ann.Ellison+x@example.org", company=c1)
    builders.contact(
        "Victor Okafor",
        email="v@one.example",
        company=c1,
        linkedin_url="https://www.linkedin.com/in/vokafor/",
    )
    builders.contact(
        "Victor Okafor",
        email="v@two.example",
        company=c2,
        linkedin_url="linkedin.com/in/vokafor/en",
    )
    builders.contact("Grace Thornton", email="grace.thornton@gt-corp.example", company=c2)
    builders.contact("Grace Thornton", email="gthornton77@gmail.com", company=c2)
    duplicates_detect(actor="test")
    recs = {
        q.contact_primary.full_name: (q.recommendation, q.conflict_type, q.evidence)
        for q in ResolutionQueue.objects.select_related("contact_primary")
    }
    assert recs["Ann Ellison"][0] == "merge"
    assert recs["Ann Ellison"][2]["email"]["result"] == "equal"
    assert recs["Victor Okafor"][:2] == ("likely_job_change", "linkedin")
    assert recs["Grace Thornton"][:2] == ("merge_keep_work_email", "name_company")


def test_detector_uses_blocking_indexes():
    """The e-mail block is served by the expression index (no unblocked all-pairs scan)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT 1 FROM people.contact WHERE people.normalize_email(email) = 'x@y.z' "
            "AND status <> 'merged'"
        )
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "contact_norm_email_idx" in plan


def test_large_employer_is_sub_blocked_without_losing_duplicates():
    """In an employer with more than 100 people (no all-pairs trigram block) a nickname pair,
    a last-name typo and a /pub/ vs /in/ LinkedIn pair are still proposed, and distinct
    colleagues are not."""
    company = builders.company()
    rng = random.Random(11)

    def word(n):
        return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(n))

    Contact.objects.bulk_create(
        Contact(
            full_name=f"{word(3).title()} {word(4).title()}",
            email=f"colleague{n}@big-employer.example",
            company=company,
        )
        for n in range(120)
    )
    nick = builders.contact("Robert Quinlan", email="rq@big-employer.example", company=company)
    nick2 = builders.contact("Bob Quinlan", email="bobq@big-employer.example", company=company)
    typo = builders.contact("Laura Montgomery", email="lm@big-employer.example", company=company)
    typo2 = builders.contact("Laura Montgomrey", email="lm2@big-employer.example", company=company)
    li = builders.contact(
        "Oscar Petersen", linkedin_url="https://www.linkedin.com/pub/opetersen/", company=company
    )
    li2 = builders.contact(
        "Oscar Petersen", linkedin_url="http://uk.linkedin.com/in/OPetersen?trk=x", company=None
    )
    duplicates_detect(actor="test")
    found = {
        frozenset(p)
        for p in ResolutionQueue.objects.values_list("contact_primary_id", "contact_duplicate_id")
    }
    assert found == {
        frozenset((nick.pk, nick2.pk)),
        frozenset((typo.pk, typo2.pk)),
        frozenset((li.pk, li2.pk)),
    }
