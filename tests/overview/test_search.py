"""Global search (issue 9): each key finds its record, a one-letter typo in a name still finds
it, one strong hit jumps straight to the record, and the cost is one query per type."""

import pytest
from django.urls import reverse

from marketing.models import Campaign
from overview import search
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    company = builders.company("Northwind Traders", website_url="https://www.northwind-traders.com")
    other = builders.company("Contoso Pharmaceuticals")
    person = builders.contact("Margaret Holloway", email="M.Holloway@Northwind-Traders.com")
    builders.contact("Peter Lindqvist", company=other)
    campaign = Campaign.objects.create(name="Spring renewal push", created_by="casey")
    company.refresh_from_db()
    person.refresh_from_db()
    return {"company": company, "person": person, "campaign": campaign}


@pytest.fixture
def signed_in(client):
    client.force_login(builders.user(group="viewer"))
    return client


def _ids(results, kind):
    return [hit.pk for hit in results[kind]]


@pytest.mark.parametrize(
    "query",
    ["Northwind Traders", "northwind", "Northwimd Traders", "Nortwind", "northwind-traders.com"],
)
def test_company_found_by_name_typo_and_domain(records, query):
    """A company is found by its name, part of it, a one-letter typo, or its domain."""
    results = search.search(query)
    assert _ids(results, "company")[:1] == [records["company"].pk]


def test_company_found_by_barton_id_and_website_as_exact(records):
    """A Barton ID or a pasted website URL is an exact hit."""
    company = records["company"]
    for query in (company.company_unique_id, "https://www.northwind-traders.com/about"):
        hits = search.search(query)["company"]
        assert hits[0].pk == company.pk and hits[0].exact, query


@pytest.mark.parametrize(
    "query",
    ["Margaret Holloway", "Margret Holloway", "holloway", "m.holloway@northwind-traders.com"],
)
def test_person_found_by_name_typo_and_email(records, query):
    """A person is found by name, a one-letter typo in it, surname or email (any case)."""
    assert _ids(search.search(query), "person")[:1] == [records["person"].pk]


def test_person_found_by_barton_id(records):
    """A person's Barton ID is an exact hit."""
    hits = search.search(records["person"].unique_id)["person"]
    assert [h.pk for h in hits] == [records["person"].pk] and hits[0].exact


@pytest.mark.parametrize("query", ["Spring renewal push", "sprng renewal", "renewal"])
def test_campaign_found_by_name_and_typo(records, query):
    """A campaign is found by its name, a typo in it, or a word of it."""
    assert _ids(search.search(query), "campaign")[:1] == [records["campaign"].pk]


def test_merged_people_are_not_offered(records):
    """A merged-away record is not a search result (its survivor is)."""
    gone = builders.contact("Margaret Hollowey", email="old@example.com")
    gone.status = "merged"
    gone.merged_into = records["person"]
    gone.save()
    assert gone.pk not in _ids(search.search("Margaret Hollowey"), "person")


def test_exact_key_redirects_to_the_record(signed_in, records):
    """One exact hit (email, Barton ID, domain) jumps straight to the record's page."""
    cases = [
        (
            "m.holloway@northwind-traders.com",
            reverse("people:contact", args=[records["person"].pk]),
        ),
        (
            records["company"].company_unique_id,
            reverse("companies:company", args=[records["company"].pk]),
        ),
        ("northwind-traders.com", reverse("companies:company", args=[records["company"].pk])),
        ("Spring renewal push", reverse("marketing:campaign", args=[records["campaign"].pk])),
    ]
    for query, target in cases:
        response = signed_in.get(reverse("search"), {"q": query})
        assert response.status_code == 302, query
        assert response["Location"] == target


def test_one_close_typo_jumps_but_a_weak_match_lists(signed_in, records):
    """A typo close to exactly one name jumps to it; a loose match shows the results page."""
    response = signed_in.get(reverse("search"), {"q": "Northwimd Traders"})
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:company", args=[records["company"].pk])
    response = signed_in.get(reverse("search"), {"q": "Contoso Labs"})
    assert response.status_code == 200 and "Contoso Pharmaceuticals" in response.content.decode()


def test_several_hits_show_grouped_results(signed_in, records, django_assert_max_num_queries):
    """Several matches show a results page grouped by type, in a bounded number of queries."""
    builders.company("Northwind Logistics")
    # Session, user, the middleware's savepoint, role and actor (5), then 4 for the search.
    with django_assert_max_num_queries(10):
        response = signed_in.get(reverse("search"), {"q": "northwind"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="results-company"' in html and 'data-testid="results-person"' in html
    assert reverse("companies:company", args=[records["company"].pk]) in html
    assert "Northwind Logistics" in html and "No people match." in html


def test_empty_short_and_unknown_queries_explain_themselves(signed_in, records):
    """No query, a one-letter query and a query with no match each get a clear page."""
    assert "Type something to find" in signed_in.get(reverse("search")).content.decode()
    assert (
        "at least two characters" in signed_in.get(reverse("search"), {"q": "n"}).content.decode()
    )
    response = signed_in.get(reverse("search"), {"q": "zzqqxx"})
    assert response.status_code == 200 and "Nothing found" in response.content.decode()


def test_search_box_is_in_the_header(signed_in):
    """Every page has the global search box in the navigation bar, bound to the / key."""
    html = signed_in.get(reverse("home")).content.decode()
    assert 'action="/search/"' in html and 'data-hotkey="/"' in html


def test_anonymous_visitor_is_sent_to_login(client):
    """Searching needs a signed-in user."""
    response = client.get(reverse("search"), {"q": "northwind"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_full_group_links_to_its_list_with_the_same_words(signed_in):
    """Rule: a group that shows the best LIMIT hits links to its full list filtered by the
    query ("see all"); a group with fewer hits does not (issue 17: results stopped at 10)."""
    for n in range(search.LIMIT + 2):
        builders.company(f"Fabrikam Branch {n}")
    builders.company("Fabrikam Solo")
    html = signed_in.get(reverse("search"), {"q": "fabrikam"}).content.decode()
    assert 'data-testid="see-all-company"' in html
    assert f'href="{reverse("companies:company_list")}?q=fabrikam"' in html
    assert 'data-testid="see-all-person"' not in html
    listed = signed_in.get(reverse("companies:company_list"), {"q": "fabrikam"}).content.decode()
    assert listed.count("Fabrikam Branch") >= search.LIMIT + 2


def test_see_all_pages_through_every_hit_of_one_kind(signed_in, django_assert_max_num_queries):
    """Rule (issue 17): "See all" opens every hit of that kind, PAGE_SIZE a page with
    Previous/Next, in two search queries per page; the results no longer stop at LIMIT."""
    total = search.PAGE_SIZE + 3
    for n in range(total):
        builders.company(f"Fabrikam Branch {n:02d}")
    html = signed_in.get(reverse("search"), {"q": "fabrikam"}).content.decode()
    see_all = f'href="{reverse("search")}?q=fabrikam&amp;kind=company"'
    assert see_all in html
    with django_assert_max_num_queries(8):  # the middleware's six, thresholds, one kind
        first = signed_in.get(reverse("search"), {"q": "fabrikam", "kind": "company"})
    body = first.content.decode()
    assert first.status_code == 200 and body.count("Fabrikam Branch") == search.PAGE_SIZE
    assert 'data-testid="next-page"' in body and 'data-testid="previous-page"' not in body
    second = signed_in.get(
        reverse("search"), {"q": "fabrikam", "kind": "company", "page": "2"}
    ).content.decode()
    assert second.count("Fabrikam Branch") == 3
    assert 'data-testid="previous-page"' in second and 'data-testid="next-page"' not in second
    seen = [
        f"Fabrikam Branch {n:02d}"
        for n in range(total)
        if f"Fabrikam Branch {n:02d}<" in body + second
    ]
    assert len(seen) == total  # every company once across the two pages


def test_one_kind_page_never_errors_on_odd_pages(signed_in):
    """Rule: a page past the end is an empty page with a way back; a huge or junk page number
    is bounded (first page or the last allowed page), never a 500; an unknown kind shows the
    grouped results."""
    builders.company("Fabrikam Solo")
    for page in ("99", "99999999999999999999", "abc", "-1", "0"):
        response = signed_in.get(
            reverse("search"), {"q": "fabrikam", "kind": "company", "page": page}
        )
        assert response.status_code == 200, page
    response = signed_in.get(reverse("search"), {"q": "fabrikam", "kind": "handoff", "all": "1"})
    assert (
        response.status_code == 200 and 'data-testid="results-person"' in response.content.decode()
    )
