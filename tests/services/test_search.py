"""Full-text search as users type it: names, "phrases in quotes", hyphenated names, a word being typed."""

from __future__ import annotations

import pytest

from annotator.core.dto import DocumentRecord
from annotator.services import records
from annotator.services.documents import DocumentQueries, fts_query
from annotator.store.database import Database

TEXTS = {
    "a": "Shelling of the Old City of Homs went on; the Syrian Observatory for Human Rights counted nine dead.",
    "b": "The city council met in the old quarter of Aleppo.",
    "c": "Airstrikes hit al-Waer, a district of Homs, on Monday.",
    "d": "Al Waer residents and Waer al families; a cease-fire was agreed.",
    "e": "Negotiations with the observatory broke down; negotiators left Homs.",
}


@pytest.fixture
def queries(db: Database) -> DocumentQueries:
    with db.session() as session:
        records.store_documents(session, [DocumentRecord(doc_id=k, text=v, title=k) for k, v in TEXTS.items()])
    return DocumentQueries(db)


def _found(queries: DocumentQueries, query: str) -> set[str]:
    ids = queries.ids("alice", query)
    return {row.title for row in queries.rows(ids, "alice")}


def test_query_forms() -> None:
    assert fts_query("Homs") == '"Homs"*'
    assert fts_query('"Old City"') == '"Old City"'
    assert fts_query('"Old City" Homs') == '"Old City" "Homs"*'
    assert fts_query("al-Waer") == '"al Waer"*'
    assert fts_query('"cease-fire') == '"cease fire"'  # a quote not closed yet: still a phrase
    assert fts_query('"" !!') is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Homs", {"a", "c", "e"}),
        ("old city", {"a", "b"}),  # both words, anywhere
        ('"old city"', {"a"}),  # the phrase only
        ("al-Waer", {"c", "d"}),  # "Al Waer" is the same phrase to the tokenizer; "Waer al" is not
        ('"cease-fire"', {"d"}),
        ("negotiat", {"e"}),  # a word being typed
        ('"Syrian Observatory for Human Rights" Homs', {"a"}),
        ("Observatory", {"a", "e"}),
    ],
)
def test_search_finds_what_users_type(queries: DocumentQueries, query: str, expected: set[str]) -> None:
    assert _found(queries, query) == expected
    assert queries.count("alice", query) == len(expected)


def test_counting_stops_where_asked(queries: DocumentQueries) -> None:
    assert queries.count("alice", "Homs", at_most=2) == 2
    assert queries.count("alice", "Homs", at_most=10) == 3
    first, rest = queries.page("alice", "Homs", None, 0, 2), queries.page("alice", "Homs", None, 2, 2)
    assert [r.title for r in first + rest] == ["a", "c", "e"]
    assert queries.position("alice", "Homs", None, queries.ids("alice", "Homs")[2]) == 2
    assert queries.position("alice", "Homs", None, queries.ids("alice", "Aleppo")[0]) is None
