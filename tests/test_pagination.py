"""Keyset pagination (outreach_admin/pagination.py) through the real list pages."""

import re

import pytest
from django.urls import reverse

from companies.models import Company
from tests import builders

pytestmark = pytest.mark.django_db

PERSON_LINK = re.compile(rb'href="/people/(\d+)/"')
NEXT = re.compile(rb'rel="next" href="([^"]*)"')
PREV = re.compile(rb'rel="prev" href="([^"]*)"')


@pytest.fixture
def coordinator(client):
    client.force_login(builders.user(group="coordinator"))
    return client


def _ids(response):
    return [int(x) for x in PERSON_LINK.findall(response.content)]


def _link(pattern, response):
    found = pattern.search(response.content)
    return found.group(1).decode().replace("&amp;", "&") if found else None


def _walk(client, url, params):
    """Follow Next links from page 1; returns the person ids of every page."""
    response = client.get(url, params)
    pages = [_ids(response)]
    while (nxt := _link(NEXT, response)) is not None:
        response = client.get(url + nxt)
        assert response.status_code == 200
        pages.append(_ids(response))
        assert len(pages) < 50
    return pages


def _people(n, names=("Ann Tie", "Bob Tie", "Cy Tie")):
    """n people whose names repeat (ties in the sort key), some inactive."""
    company = builders.company(slots=False)
    return [
        builders.contact(
            names[i % len(names)],
            company=company,
            status="inactive" if i % 4 == 0 else "active",
        )
        for i in range(n)
    ]


def test_next_links_visit_every_row_once_with_ties(coordinator):
    """Following Next from page 1 shows every row exactly once, in order, ties included."""
    made = _people(23)
    pages = _walk(coordinator, reverse("people:contact_list"), {"sort": "full_name", "per_page": 5})
    seen = [pk for page in pages for pk in page]
    expected = [p.pk for p in sorted(made, key=lambda p: (p.full_name, p.pk))]
    assert seen == expected
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]


def test_descending_sort_and_filters_are_kept(coordinator):
    """Descending sort with a filter: the walk returns exactly the filtered rows in order."""
    made = _people(17)
    pages = _walk(
        coordinator,
        reverse("people:contact_list"),
        {"sort": "-full_name", "status": "active", "per_page": 4},
    )
    seen = [pk for page in pages for pk in page]
    active = [p for p in made if p.status == "active"]
    by_pk = sorted(active, key=lambda p: p.pk)
    # names descending; ties keep pk ascending (the appended tie-breaker)
    expected = [p.pk for p in sorted(by_pk, key=lambda p: p.full_name, reverse=True)]
    assert seen == expected


def test_previous_returns_the_page_before(coordinator):
    """Previous from page 3 shows page 2 again; Previous from page 2 shows page 1."""
    _people(20)
    url = reverse("people:contact_list")
    params = {"sort": "full_name", "per_page": 5}
    p1 = coordinator.get(url, params)
    p2 = coordinator.get(url + _link(NEXT, p1))
    p3 = coordinator.get(url + _link(NEXT, p2))
    back2 = coordinator.get(url + _link(PREV, p3))
    assert _ids(back2) == _ids(p2)
    back1 = coordinator.get(url + _link(PREV, back2))
    assert _ids(back1) == _ids(p1)
    assert b"Rows 1\xe2\x80\x935" in back1.content


@pytest.mark.parametrize(
    "cursor", ["garbage", "", "eyJkIjoibmV4dCJ9:1abc:xyz", "x" * 5000, "\u00b2", "1' OR '1'='1"]
)
def test_bad_cursor_shows_page_one(coordinator, cursor):
    """A tampered or malformed cursor shows page 1, never an error."""
    _people(8)
    url = reverse("people:contact_list")
    first = coordinator.get(url, {"sort": "full_name", "per_page": 5})
    response = coordinator.get(url, {"sort": "full_name", "per_page": 5, "cursor": cursor})
    assert response.status_code == 200
    assert _ids(response) == _ids(first)


def test_cursor_of_another_sort_shows_page_one(coordinator):
    """Changing the sort with a cursor still in the URL restarts at page 1."""
    _people(12)
    url = reverse("people:contact_list")
    p1 = coordinator.get(url, {"sort": "full_name", "per_page": 5})
    nxt = _link(NEXT, p1).replace("sort=full_name", "sort=-full_name")
    response = coordinator.get(url + nxt)
    expected = coordinator.get(url, {"sort": "-full_name", "per_page": 5})
    assert response.status_code == 200
    assert _ids(response) == _ids(expected)


def test_deep_page_numbers_are_clamped(coordinator, settings, monkeypatch):
    """Page numbers beyond the offset cap show the last allowed page and say so."""
    from outreach_admin import pagination

    monkeypatch.setattr(pagination.KeysetPaginator, "max_offset_rows", 10)
    _people(30)
    response = coordinator.get(
        reverse("people:contact_list"), {"sort": "full_name", "per_page": 5, "page": 99}
    )
    assert response.status_code == 200
    assert b"Page numbers stop" in response.content
    assert len(_ids(response)) == 5


def test_company_list_walk_with_nullable_sort(coordinator):
    """Companies sorted by a nullable key (state) page through every row once."""
    made = [
        builders.company(f"Co {i:02d}", slots=False, state_region=[None, "TX", "CA"][i % 3])
        for i in range(14)
    ]
    url = reverse("companies:company_list")
    response = coordinator.get(url, {"sort": "state_region", "per_page": 4})
    seen = re.findall(rb'href="/companies/(\d+)/"', response.content)
    while (nxt := _link(NEXT, response)) is not None:
        response = coordinator.get(url + nxt)
        seen += re.findall(rb'href="/companies/(\d+)/"', response.content)
    assert sorted(int(x) for x in seen) == sorted(c.pk for c in made)
    assert len(seen) == len(set(seen))
    order = list(
        Company.objects.filter(pk__in=[c.pk for c in made])
        .order_by("state_region", "pk")
        .values_list("pk", flat=True)
    )
    assert [int(x) for x in seen] == order


@pytest.mark.parametrize("n", [5, 60])
def test_people_list_queries_do_not_grow(coordinator, django_assert_num_queries, n):
    """A keyset page costs the same queries for 5 or 60 rows, on page 1 and after Next (8: the
    user's groups for the New person button included)."""
    _people(n)
    url = reverse("people:contact_list")
    coordinator.get(url)  # session/user warm-up is the same for every n
    with django_assert_num_queries(8):
        first = coordinator.get(url, {"sort": "full_name"})
    nxt = _link(NEXT, first)
    if nxt:
        with django_assert_num_queries(8):
            assert coordinator.get(url + nxt).status_code == 200


@pytest.mark.parametrize("n", [5, 60])
def test_company_list_queries_do_not_grow(coordinator, django_assert_num_queries, n):
    """The company list costs the same queries for 5 or 60 companies (the page, then the page's
    green flags in one query, and the user's groups for the New company button)."""
    for i in range(n):
        builders.company(f"Qc {i}", slots=False)
    with django_assert_num_queries(9):
        assert coordinator.get(reverse("companies:company_list")).status_code == 200
