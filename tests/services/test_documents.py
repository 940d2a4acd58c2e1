"""The document list's queries: counting, paging and finding a document's place under a search and a status."""

from __future__ import annotations

import pytest

from annotator.core.dto import MODEL, DocStatus, DocumentRecord, Entity, Status
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.annotate import AnnotationService
from annotator.services.documents import DocumentQueries, fts_query
from annotator.store.database import Database

TEXTS = [
    "Shelling hit Homs on Monday.",
    "Talks in Geneva broke down.",
    "Airstrikes on Homs and Hama.",
    "Rebels took Khalidiya in Homs.",
    "Aid reached Madaya.",
]


@pytest.fixture
def docs(db: Database) -> list[int]:
    ids = []
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        for i, text in enumerate(TEXTS):
            homs = text.find("Homs")
            entities = (Entity(1, homs, homs + 4, "GPE", "Homs", "model", "suggested"),) if homs >= 0 else ()
            record = DocumentRecord(doc_id=f"d{i}", text=text, title=f"Title {i}", source="wire", entities=entities)
            doc = records.store_document(session, record)
            records.store_layer(session, doc, model, record)
            ids.append(doc)
    return ids


@pytest.fixture
def queries(db: Database) -> DocumentQueries:
    return DocumentQueries(db)


def test_count_page_and_position_follow_the_search(docs: list[int], queries: DocumentQueries) -> None:
    assert queries.count("alice") == 5
    assert queries.count("alice", query="Homs") == 3
    assert queries.count("alice", query="   ") == 5  # blank: no search
    assert queries.count("alice", query="!!") == 5  # nothing searchable typed
    assert [r.id for r in queries.page("alice", "Homs", None, 0, 2)] == [docs[0], docs[2]]
    assert [r.id for r in queries.page("alice", "Homs", None, 2, 2)] == [docs[3]]
    assert queries.page("alice", "Homs", None, 3, 2) == []
    assert [queries.position("alice", "Homs", None, d) for d in docs] == [0, None, 1, 2, None]
    assert [queries.position("alice", "", None, d) for d in docs] == [0, 1, 2, 3, 4]
    assert queries.ids("alice", query="hom") == [docs[0], docs[2], docs[3]]  # the last word as a prefix


def test_status_filters_count_a_document_without_a_layer_as_new(
    docs: list[int], queries: DocumentQueries, db: Database, schema: Schema
) -> None:
    service = AnnotationService(db, schema)
    service.set_document_status(docs[1], "alice", DocStatus.DONE)
    service.open_document(docs[2], "alice")
    service.create_entity(docs[2], "alice", 0, 10, "WEA")  # in progress now
    service.open_document(docs[4], "alice")  # opened, nothing changed: still new
    assert queries.ids("alice", status=DocStatus.DONE) == [docs[1]]
    assert queries.ids("alice", status=DocStatus.IN_PROGRESS) == [docs[2]]
    assert queries.ids("alice", status=DocStatus.NEW) == [docs[0], docs[3], docs[4]]
    assert queries.count("alice", query="Homs", status=DocStatus.NEW) == 2
    assert queries.position("alice", "", DocStatus.NEW, docs[3]) == 1
    assert queries.position("alice", "", DocStatus.NEW, docs[1]) is None
    assert queries.ids("bob", status=DocStatus.NEW) == docs  # bob has no layer anywhere
    assert queries.annotators() == ["alice", "model"]


def test_rows_count_the_layer_shown_and_leave_rejections_out(
    docs: list[int], queries: DocumentQueries, db: Database, schema: Schema
) -> None:
    service = AnnotationService(db, schema)
    view = service.open_document(docs[2], "alice")
    service.set_status(docs[2], "alice", [view.entities[0].id], Status.REJECTED)
    rows = queries.rows([docs[3], docs[2], docs[1]], "alice")  # in the order asked for
    assert [(r.id, r.title, r.source, r.status, r.entity_count, r.event_count) for r in rows] == [
        (docs[3], "Title 3", "wire", DocStatus.NEW, 1, 0),  # the model's suggestion
        (docs[2], "Title 2", "wire", DocStatus.IN_PROGRESS, 0, 0),  # alice rejected it
        (docs[1], "Title 1", "wire", DocStatus.NEW, 0, 0),
    ]
    assert queries.rows([], "alice") == [] and queries.rows([999], "alice") == []


def test_fts_query_quotes_every_word_and_makes_the_last_a_prefix() -> None:
    assert fts_query("al-Waer Homs") == '"al Waer" "Homs"*'  # a hyphenated name is one phrase
    assert fts_query('"air strike" Homs') == '"air strike" "Homs"*'
    assert fts_query('Homs "air strike"') == '"Homs" "air strike"'  # a quoted phrase is never a prefix
    assert fts_query("Homs", prefix=False) == '"Homs"'
    assert fts_query(" - ") is None


def test_counting_and_listing_stop_at_what_the_list_shows(docs: list[int], queries: DocumentQueries) -> None:
    assert queries.ids("alice", at_most=2) == docs[:2]
    assert queries.ids("alice", query="Homs", at_most=2) == [docs[0], docs[2]]
    assert queries.count("alice", at_most=3) == 3
    assert queries.count("alice", query="Homs", at_most=10) == 3
    assert queries.count("alice", query="Homs", at_most=1) == 1
    assert queries.count("alice", query="Damascus") == 0
    assert queries.position("alice", "Homs", None, docs[3]) == 2


def test_a_phrase_still_being_typed_is_searched_as_typed(docs: list[int], queries: DocumentQueries) -> None:
    assert fts_query('"Homs and Ha') == '"Homs and Ha"'  # an open quote: the phrase so far, not a prefix
    assert queries.ids("alice", query='"Homs and Hama') == [docs[2]]
    assert queries.ids("alice", query='"Hama and Homs"') == []  # the words in that order only
    assert queries.ids("alice", query="Homs Mon") == [docs[0]]  # every part required
    assert queries.ids("alice", query="Title 4") == [docs[4]]  # titles are searched too


def test_rows_carry_the_publication_date(db: Database, queries: DocumentQueries) -> None:
    with db.session() as session:
        doc = records.store_document(session, DocumentRecord(doc_id="p", text="Quiet day.", published="2017-02-08"))
    [row] = queries.rows([doc or 0], "alice")
    assert (row.published, row.title, row.source, row.status) == ("2017-02-08", "", "", DocStatus.NEW)
