"""The event table's sort keys: the order each one gives, numbers as numbers, empty values last either way."""

from __future__ import annotations

import pytest

from annotator.core.dto import MODEL, Argument, DocumentRecord, Entity, Event, EventDate, Fatalities
from annotator.services import records
from annotator.services.event_queries import SORT_KEYS, EventFilter, EventQueries
from annotator.store.database import Database

# (document title, event type, attack mode, date, place, actor, fatalities, status); stored in this order.
EVENTS = {
    "a": ("Charlie", "Life.Die", None, "2017-03-01", "Aleppo", "Army", 100, "accepted"),
    "b": ("Alpha", "Conflict.Attack", "shelling_artillery_missile", "2017-01-15", "Homs", "Rebels", 9, "suggested"),
    "c": ("Bravo", "Conflict.Attack", "air_drone_strike", None, None, "Militia", 10, "accepted"),
    "d": ("Delta", "Movement.Transport", None, "2016-12-31", "Damascus", None, None, "suggested"),
}

# Ties (two attacks, two accepted) fall back to the order the documents were stored in.
ASCENDING = {
    "type": "bcad",  # by name: Conflict.Attack, Life.Die, Movement.Transport
    "attack_mode": "cbad",  # air_drone_strike before shelling; no mode last
    "date": "dbac",  # undated last
    "place": "adbc",
    "actors": "acbd",
    "fatalities": "bcad",  # 9 < 10 < 100, as numbers (as text 10 < 100 < 9); unknown last
    "status": "acbd",
    "document": "bcad",  # by title
}
DESCENDING = {
    "type": "dabc",
    "attack_mode": "bcad",
    "date": "abdc",  # still undated last
    "place": "bdac",
    "actors": "bcad",
    "fatalities": "acbd",  # 100, 10, 9, unknown last
    "status": "bdac",
    "document": "dacb",
}


def _record(key: str) -> DocumentRecord:
    title, kind, mode, date, place, actor, dead, status = EVENTS[key]
    text = f"{actor or 'Someone'} struck {place or 'somewhere'} in event {key}."
    entities, arguments = [], []
    if actor:
        entities.append(Entity(1, 0, len(actor), "ORG", actor, "model", "suggested"))
        arguments.append(Argument("Agent" if kind != "Conflict.Attack" else "Attacker", 1))
    if place:
        start = text.index(place)
        entities.append(Entity(2, start, start + len(place), "GPE", place, "model", "suggested"))
        arguments.append(Argument("Place", 2))
    trigger = text.index("struck")
    event = Event(
        1,
        kind,
        trigger,
        trigger + 6,
        "struck",
        tuple(arguments),
        attrs={"attack_mode": mode} if mode else {},
        fatalities=Fatalities(value=dead) if dead is not None else None,
        date=EventDate(date, "day") if date else None,
        origin="model",
        status=status,
    )
    return DocumentRecord(doc_id=key, text=text, title=title, entities=tuple(entities), events=(event,))


@pytest.fixture
def queries(db: Database) -> EventQueries:
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        for key in EVENTS:
            record = _record(key)
            records.store_layer(session, records.store_document(session, record), model, record)
    return EventQueries(db)


def _order(queries: EventQueries, key: str, *, descending: bool) -> str:
    """The rows' keys ("a".."d", found from their document titles) in the order the query gives them."""
    key_of = {title: k for k, (title, *_rest) in EVENTS.items()}
    return "".join(
        key_of[row.document] for row in queries.rows("alice", EventFilter(), sort=key, descending=descending)
    )


def test_every_sort_key_is_checked() -> None:
    assert set(ASCENDING) == set(DESCENDING) == set(SORT_KEYS)


@pytest.mark.parametrize("key", SORT_KEYS)
def test_each_sort_key_orders_the_rows(queries: EventQueries, key: str) -> None:
    assert _order(queries, key, descending=False) == ASCENDING[key]
    assert _order(queries, key, descending=True) == DESCENDING[key]


def test_rows_carry_what_the_table_shows(queries: EventQueries) -> None:
    rows = {row.document: row for row in queries.rows("alice", EventFilter(), sort="document")}
    alpha = rows["Alpha"]
    assert (alpha.type, alpha.attack_mode, alpha.date, alpha.precision) == (
        "Conflict.Attack",
        "shelling_artillery_missile",
        "2017-01-15",
        "day",
    )
    assert (alpha.place, alpha.actors, alpha.fatalities, alpha.status) == ("Homs", "Rebels", 9, "suggested")
    assert (rows["Delta"].actors, rows["Delta"].fatalities, rows["Bravo"].place) == ("", None, "")
