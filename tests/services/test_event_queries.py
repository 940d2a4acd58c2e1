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


def test_actors_column_names_the_targets_that_are_actors(db: Database) -> None:
    """Actor 2 comes from a target role filled by a person, group or state; other fillers stay out."""
    text = "Rebels shelled soldiers and the bridge with artillery of Russia."
    spans = [("Rebels", "ORG"), ("soldiers", "PER"), ("bridge", "FAC"), ("artillery", "WEA"), ("Russia", "GPE")]
    entities = tuple(
        Entity(i, text.index(s), text.index(s) + len(s), label, s, "model", "suggested")
        for i, (s, label) in enumerate(spans, start=1)
    )
    arguments = (
        Argument("Attacker", 1),
        Argument("Target", 2),  # a person: shown
        Argument("Target", 3),  # a facility: not an actor
        Argument("Instrument", 4),
        Argument("Instrument", 5),  # a state's name, but in no actor or target role
    )
    start = text.index("shelled")
    event = Event(1, "Conflict.Attack", start, start + 7, "shelled", arguments, origin="model", status="suggested")
    record = DocumentRecord(doc_id="t", text=text, title="Targets", entities=entities, events=(event,))
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        records.store_layer(session, records.store_document(session, record), model, record)
    [row] = EventQueries(db).rows("alice", EventFilter())
    assert row.actors == "Rebels → soldiers"


def test_timeline_counts_the_dated_events_by_date_precision_and_type(queries: EventQueries) -> None:
    points, undated = queries.timeline("alice", EventFilter())
    assert [(p.date, p.precision, p.type, p.count) for p in points] == [
        ("2016-12-31", "day", "Movement.Transport", 1),
        ("2017-01-15", "day", "Conflict.Attack", 1),
        ("2017-03-01", "day", "Life.Die", 1),
    ]
    assert undated == 1  # event c
