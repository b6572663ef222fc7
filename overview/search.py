"""Global search: companies, people and campaigns by name (fuzzy) or by an exact key.

One bounded query per type. Exact keys (Barton ID, email, domain, a name typed in full) rank
first; names match with pg_trgm (``%`` similarity and ``<%`` word similarity on ``lower(...)``,
served by the trigram indexes on ``lower(company_name)`` and ``lower(full_name)``), so a
one-letter typo still finds the record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse

LIMIT = 10
MIN_LENGTH = 2
KINDS = ("company", "person", "campaign")
# The type-ahead (header box and pickers): a few suggestions per kind, and a bounded query.
SUGGEST_LIMIT = 5
PICKER_LIMIT = 8
MAX_QUERY_LENGTH = 200
# "See all" of one kind: the full list of hits, paged.
PAGE_SIZE = 25
MAX_PAGES = 40  # the best 1,000 hits of a kind; past that, more words are the way
# Looser than pg_trgm's defaults (0.3 / 0.6) so a typo in a short name still matches; results
# are ranked by similarity, so the extra fuzz only adds rows at the bottom.
SIMILARITY_THRESHOLD = 0.2
WORD_SIMILARITY_THRESHOLD = 0.45
# A fuzzy hit this close is taken as meant (one typo in a two-word name scores about 0.7).
STRONG_SCORE = 0.65


@dataclass(frozen=True)
class Hit:
    kind: str
    pk: int
    title: str
    detail: str
    barton_id: str
    exact: bool
    score: float
    closeness: float

    @property
    def url(self) -> str:
        return reverse(URL_NAMES[self.kind], args=[self.pk])


URL_NAMES = {
    "company": "companies:company",
    "person": "people:contact",
    "campaign": "marketing:campaign",
}

COMPANY_SQL = """
SELECT company_id, company_name, coalesce(domain, ''), company_unique_id,
       (company_unique_id = %(raw)s OR domain = %(domain)s OR lower(company_name) = %(q)s)
           AS exact,
       greatest(similarity(lower(company_name), %(q)s),
                word_similarity(%(q)s, lower(company_name))) AS score,
       similarity(lower(company_name), %(q)s) AS closeness
FROM company.company
WHERE company_unique_id = %(raw)s
   OR domain = %(domain)s
   OR lower(company_name) %% %(q)s
   OR %(q)s <%% lower(company_name)
ORDER BY exact DESC, score DESC, company_name, company_id
LIMIT %(limit)s OFFSET %(offset)s
"""

PERSON_SQL = """
SELECT p.contact_id, p.full_name,
       concat_ws(' · ', p.email, c.company_name), p.unique_id,
       (p.unique_id = %(raw)s OR lower(p.email) = %(q)s OR lower(p.full_name) = %(q)s) AS exact,
       greatest(similarity(lower(p.full_name), %(q)s),
                word_similarity(%(q)s, lower(p.full_name))) AS score,
       similarity(lower(p.full_name), %(q)s) AS closeness
FROM people.contact p
LEFT JOIN company.company c ON c.company_id = p.company_id
WHERE p.status <> 'merged'
  AND (p.unique_id = %(raw)s
       OR lower(p.email) = %(q)s
       OR lower(p.full_name) %% %(q)s
       OR %(q)s <%% lower(p.full_name))
ORDER BY exact DESC, score DESC, p.full_name, p.contact_id
LIMIT %(limit)s OFFSET %(offset)s
"""

# Campaigns are few (hundreds at most): no index needed for the fuzzy match.
CAMPAIGN_SQL = """
SELECT campaign_id, name, concat_ws(' · ', status, created_by), '' AS barton_id,
       lower(name) = %(q)s AS exact,
       greatest(similarity(lower(name), %(q)s), word_similarity(%(q)s, lower(name))) AS score,
       similarity(lower(name), %(q)s) AS closeness
FROM marketing.campaign
WHERE lower(name) %% %(q)s OR %(q)s <%% lower(name) OR lower(name) LIKE %(like)s
ORDER BY exact DESC, score DESC, name, campaign_id
LIMIT %(limit)s OFFSET %(offset)s
"""


def _domain(value: str) -> str:
    """A typed website or domain as stored in ``company.domain`` (host without www.)."""
    value = re.sub(r"^[a-z]+://", "", value.lower()).split("/")[0]
    return value.removeprefix("www.")


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(
    query: str, limit: int = LIMIT, kinds: tuple[str, ...] = KINDS, offset: int = 0
) -> dict[str, list[Hit]]:
    """Up to ``limit`` hits per type for ``query``, best first; one query for the thresholds
    and one per kind in ``kinds`` (four in all by default). ``offset`` skips that many hits of
    each kind (a page of one kind's full list).

    Empty or one-character queries return no hits (and run no query).
    """
    raw = " ".join(query.split())
    results: dict[str, list[Hit]] = {"company": [], "person": [], "campaign": []}
    if len(raw) < MIN_LENGTH or not kinds:
        return results
    params = {
        "raw": raw,
        "q": raw.lower(),
        "domain": _domain(raw),
        "like": _like(raw.lower()),
        "limit": limit,
        "offset": offset,
    }
    with connection.cursor() as cursor:
        # Transaction-local (the request's transaction), so other requests keep the defaults.
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true),"
            " set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(SIMILARITY_THRESHOLD), str(WORD_SIMILARITY_THRESHOLD)],
        )
        for kind, sql in (
            ("company", COMPANY_SQL),
            ("person", PERSON_SQL),
            ("campaign", CAMPAIGN_SQL),
        ):
            if kind not in kinds:
                continue
            cursor.execute(sql, params)
            results[kind] = [
                Hit(kind, pk, title, detail, barton_id, exact, float(score), float(closeness))
                for pk, title, detail, barton_id, exact, score, closeness in cursor.fetchall()
            ]
    return results


def strong_hit(results: dict[str, list[Hit]]) -> Hit | None:
    """The one hit to jump to, or None.

    Strong hits are the exact ones (a key or a name typed in full); when there is none, the
    names whose whole-string similarity is at least ``STRONG_SCORE`` (the full name with a typo
    or two; a single matching word of a longer name is not enough). Exactly one
    strong hit is a jump; several, or only weak ones, show the results page.
    """
    hits = [h for hits in results.values() for h in hits]
    strong = [h for h in hits if h.exact] or [h for h in hits if h.closeness >= STRONG_SCORE]
    return strong[0] if len(strong) == 1 else None


def search_page(query: str, kind: str, page: int) -> tuple[list[Hit], bool]:
    """Page ``page`` (from 1) of every ``kind`` hit for ``query``, ``PAGE_SIZE`` a page, in the
    grouped results' order; and whether a next page exists (one row more is read). Two queries.
    """
    results = search(query, limit=PAGE_SIZE + 1, kinds=(kind,), offset=(page - 1) * PAGE_SIZE)
    hits = results[kind]
    return hits[:PAGE_SIZE], len(hits) > PAGE_SIZE


class SuggestError(ValueError):
    """A type-ahead query that is refused (too long, control characters, unknown kind)."""


def clean_suggest_query(query: str) -> str:
    """``query`` as the type-ahead searches it, or ``SuggestError`` with a plain reason.

    Control characters (tabs and newlines aside, which are spaces to the search) and texts
    longer than ``MAX_QUERY_LENGTH`` are refused rather than searched: no name contains them,
    and a very long text would only make the trigram comparison slow.
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise SuggestError(f"Type at most {MAX_QUERY_LENGTH} characters.")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in query):
        raise SuggestError("The search text contains control characters.")
    return " ".join(query.split())


def suggest(query: str, kind: str | None = None) -> list[Hit]:
    """The type-ahead's suggestions for ``query``: the best ``SUGGEST_LIMIT`` of each kind
    (companies, people, campaigns in that order), or the best ``PICKER_LIMIT`` of one ``kind``
    (a picker). At most four queries; none for a query shorter than ``MIN_LENGTH``.
    """
    text = clean_suggest_query(query)
    if kind is not None and kind not in KINDS:
        raise SuggestError("Unknown kind of record.")
    kinds = KINDS if kind is None else (kind,)
    limit = SUGGEST_LIMIT if kind is None else PICKER_LIMIT
    results = search(text, limit=limit, kinds=kinds)
    return [hit for k in kinds for hit in results[k]]
