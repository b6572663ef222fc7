"""The type-ahead's JSON endpoint (issue 17): signed-in only, bounded in rows and queries, and
bad input (too long, control characters, unknown kind) is a clear 400, never a 500."""

import pytest
from django.urls import reverse

from marketing.models import Campaign
from overview import search
from tests import builders

pytestmark = pytest.mark.django_db

URL = "/search/suggest/"


@pytest.fixture
def signed_in(client):
    client.force_login(builders.user(group="viewer"))
    return client


@pytest.fixture
def records():
    company = builders.company("Northwind Traders")
    person = builders.contact("Nora Northwind", email="nora@northwind.example")
    campaign = Campaign.objects.create(name="Northwind renewal", created_by="casey")
    return {"company": company, "person": person, "campaign": campaign}


def test_url_name():
    assert reverse("search_suggest") == URL


def test_anonymous_visitor_gets_no_suggestions(client, records):
    """Rule: suggestions need a signed-in user (the login redirect, no JSON)."""
    response = client.get(URL, {"q": "northwind"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_suggestions_cover_every_kind_with_ids_labels_and_urls(signed_in, records):
    """Rule: the header's suggestions are companies, then people, then campaigns, each with the
    id a picker posts, the label it shows and the page it opens; plus a link to all results."""
    data = signed_in.get(URL, {"q": "northwind"}).json()
    kinds = [r["kind"] for r in data["results"]]
    assert kinds == sorted(kinds, key=search.KINDS.index)
    assert set(kinds) == {"company", "person", "campaign"}
    person = next(r for r in data["results"] if r["kind"] == "person")
    assert person["id"] == records["person"].pk
    assert person["label"] == f"Nora Northwind (#{records['person'].pk})"
    assert person["url"] == reverse("people:contact", args=[records["person"].pk])
    assert "nora@northwind.example" in person["detail"]
    assert data["all_url"] == "/search/?q=northwind&all=1"


def test_kind_limits_the_suggestions_to_one_kind(signed_in, records):
    """Rule: a picker asks for one kind and gets only that kind."""
    data = signed_in.get(URL, {"q": "northwind", "kind": "campaign"}).json()
    assert [r["id"] for r in data["results"]] == [records["campaign"].pk]


def test_results_are_bounded(signed_in):
    """Rule: at most SUGGEST_LIMIT per kind in the header, PICKER_LIMIT for one kind."""
    for n in range(search.PICKER_LIMIT + 3):
        builders.company(f"Fabrikam Branch {n}")
    data = signed_in.get(URL, {"q": "fabrikam"}).json()
    assert len(data["results"]) == search.SUGGEST_LIMIT
    data = signed_in.get(URL, {"q": "fabrikam", "kind": "company"}).json()
    assert len(data["results"]) == search.PICKER_LIMIT


def test_query_count_is_fixed(signed_in, records, django_assert_max_num_queries):
    """Rule: session, user, the middleware's savepoint and its release, role and actor (6), one
    threshold query and one per kind; a picker's single kind costs two fewer."""
    with django_assert_max_num_queries(10):
        assert signed_in.get(URL, {"q": "northwind"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert signed_in.get(URL, {"q": "northwind", "kind": "person"}).status_code == 200


def test_short_query_has_no_results_and_runs_no_search(
    signed_in, records, django_assert_max_num_queries
):
    """Rule: fewer than two characters answer an empty list without searching."""
    with django_assert_max_num_queries(6):  # the middleware's six, no search
        data = signed_in.get(URL, {"q": " n "}).json()
    assert data["results"] == [] and data["all_url"] == ""


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "n" * (search.MAX_QUERY_LENGTH + 1)}, "at most"),
        ({"q": "north\x07wind"}, "control characters"),
        ({"q": "north\x1bwind"}, "control characters"),
        ({"q": "northwind", "kind": "handoff"}, "Unknown kind"),
    ],
)
def test_bad_input_is_a_clear_400(signed_in, records, params, message):
    """Rule: a refused query answers 400 with the reason in ``error`` and no results."""
    response = signed_in.get(URL, params)
    assert response.status_code == 400
    data = response.json()
    assert message in data["error"] and data["results"] == []


@pytest.mark.parametrize(
    "query", ["north\x00wind", "%_\\", "' OR 1=1 --", "名前", "\ufffd\ufffd", "a\tb\nc"]
)
def test_odd_but_harmless_input_answers_200(signed_in, records, query):
    """Rule: NUL (removed by the middleware), LIKE wildcards, quotes, non-Latin text and
    whitespace are searched or ignored, never a 500."""
    response = signed_in.get(URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)
