"""Publication dates re-resolve relative dates (and undo); places geocoded by hand reach the incident."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.core.dto import MODEL, Changes, EventDate
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services.events import EventService
from annotator.services.incidents import IncidentService
from annotator.services.places import LINKS_KEY, check_published, geocode_entity, set_published
from annotator.store import models as m
from annotator.store.database import Database
from tests.formats.corpus import Doc, store


def article() -> Doc:
    d = Doc("x", "Jets struck Tell Haddad farms today. Yesterday rebels shelled it. On May 3, 2016 talks began.")
    place = d.ent("Tell Haddad farms", "GPE")
    today, yesterday = d.ent("today", "TIME"), d.ent("Yesterday", "TIME")
    d.ent("May 3, 2016", "TIME", normalized={"value": "2016-05-03", "precision": "day"})
    d.event("struck", "Conflict.Attack", [("Place", place), ("Time", today)], attrs={"attack_mode": "air_drone_strike"})
    d.event("shelled", "Conflict.Attack", [("Time", yesterday)], attrs={"attack_mode": "shelling_artillery_missile"})
    return d


def test_relative_dates_resolve_against_a_set_publication_date_and_undo(db: Database, schema: Schema) -> None:
    store(db, [article().record()])
    service = EventService(db, schema)
    changes = set_published(service, 1, "alice", "2017-02-07")
    view = service.open_document(1, "alice")
    times = {e.text: (e.normalized or {}).get("value") for e in view.entities if e.label == "TIME"}
    assert times == {"today": "2017-02-07", "Yesterday": "2017-02-06", "May 3, 2016": "2016-05-03"}
    dates = {e.trigger_text: (e.date.value, e.date.precision, e.date.text) for e in view.events if e.date}
    assert dates == {"struck": ("2017-02-07", "day", "today"), "shelled": ("2017-02-06", "day", "Yesterday")}
    # Corrected: what came from the old date follows; an absolute date stays.
    set_published(service, 1, "alice", "2017-03-01")
    view = service.open_document(1, "alice")
    assert {e.trigger_text: e.date.value for e in view.events if e.date} == {
        "struck": "2017-03-01",
        "shelled": "2017-02-28",
    }
    assert view.published == "2017-03-01"
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        set_published(service, 1, "alice", "7 Feb 2017")
    service.undo(changes.history_id + 1)  # type: ignore[operator]
    assert service.open_document(1, "alice").published == "2017-02-07"


def test_event_without_a_date_falls_back_to_the_publication_date(db: Database, schema: Schema) -> None:
    d = Doc("y", "Jets struck Homs.", published="2017-02")
    d.event("struck", "Conflict.Attack", [], attrs={"attack_mode": "air_drone_strike"})
    store(db, [d.record()], annotator=MODEL)
    (incident,) = IncidentService(db, schema).incidents(MODEL)
    assert (incident.date.value, incident.precision) == ("2017-02", "month")
    assert "publication date" in incident.date.rule


def test_a_place_the_gazetteer_lacks_is_geocoded_by_hand(db: Database, schema: Schema) -> None:
    store(db, [article().record()])
    service = EventService(db, schema)
    incidents = IncidentService(db, schema)
    struck = next(i for i in incidents.incidents("alice") if i.members[0].trigger == "struck")
    assert struck.place is None or not struck.place.has_point  # not in the gazetteer nor in GeoNames' larger towns
    place = next(e for e in service.open_document(1, "alice").entities if e.text == "Tell Haddad farms")
    with pytest.raises(UserError, match="latitude"):
        geocode_entity(service, 1, "alice", [place.id], {"name": "Tell Haddad farms", "lat": 135.0, "lon": 36.6})
    hand = {"name": "Tell Haddad farms", "lat": 35.3739, "lon": 36.6, "country_code": "SY", "admin1": "Hama"}
    geocode_entity(service, 1, "alice", [place.id], hand | {"place_type": "town"})
    struck = next(i for i in incidents.incidents("alice") if i.members[0].trigger == "struck")
    assert struck.place is not None and struck.place.source == "hand"
    assert (struck.place.iso, struck.place.region, struck.place.geo_precision) == (760, "Middle East", 1)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2017-02-07", "2017-02-07"), (" 2017-02 ", "2017-02"), ("2017", "2017"), ("", None), ("  ", None), (None, None)],
)
def test_a_publication_date_is_stored_at_the_precision_given(typed: str | None, stored: str | None) -> None:
    assert check_published(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("7 Feb 2017", "publication date '7 Feb 2017': write YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)"),
        ("2017-2-7", "publication date '2017-2-7': write YYYY-MM-DD"),
        ("2017-02-07T10:00", "publication date '2017-02-07T10:00': write YYYY-MM-DD"),
        ("2017-02-30", "2017-02-30 is not a calendar date"),
        ("2017-13", "2017-13 is not a calendar date"),
    ],
)
def test_a_publication_date_that_is_no_date_is_refused(typed: str, message: str) -> None:
    with pytest.raises(UserError) as error:
        check_published(typed)
    assert str(error.value).startswith(message)


def test_typed_dates_stay_and_clearing_the_publication_date_unresolves_the_rest(db: Database, schema: Schema) -> None:
    d = Doc("z", "Jets struck Homs today. Rebels shelled it yesterday. Planes hit Hama.")
    today = d.ent("today", "TIME", normalized={"note": "checked"})
    typed = d.ent("yesterday", "TIME", normalized={"value": "2016-01-01", "precision": "day"})  # a person's value
    d.event("struck", "Conflict.Attack", [("Time", today)])
    d.event("shelled", "Conflict.Attack", [("Time", typed)], date=EventDate("2016-01-01", "day", "yesterday"))
    d.event("hit", "Conflict.Attack", [("Time", today)], date=EventDate("2016-01-01", "day", None))  # typed in
    store(db, [d.record()])
    service = EventService(db, schema)
    IncidentService(db, schema).suggest()
    with db.reader() as session:
        assert session.get(m.ProjectInfo, LINKS_KEY) is not None
    changes = set_published(service, 1, "alice", "2017-02-07")
    view = service.open_document(1, "alice")
    ids = {e.text: e.id for e in view.entities}
    assert (changes.documents, changes.entities) == (frozenset({1}), frozenset({ids["today"]}))
    assert len(changes.events) == 1 and changes.states and changes.incidents and changes.history_id is not None
    normalized = {e.text: e.normalized for e in view.entities}
    assert normalized == {
        "today": {"value": "2017-02-07", "precision": "day", "note": "checked"},
        "yesterday": {"value": "2016-01-01", "precision": "day"},
    }
    dates = {e.trigger_text: (e.date.value, e.date.precision, e.date.text) if e.date else None for e in view.events}
    assert dates == {
        "struck": ("2017-02-07", "day", "today"),
        "shelled": ("2016-01-01", "day", "yesterday"),
        "hit": ("2016-01-01", "day", None),
    }
    with db.reader() as session:  # event dates changed: the model's links are stale
        assert session.get(m.ProjectInfo, LINKS_KEY) is None
    assert set_published(service, 1, "alice", " 2017-02-07 ") == Changes()  # the same date: nothing to do
    set_published(service, 1, "alice", "")
    view = service.open_document(1, "alice")
    assert view.published is None
    assert {e.text: e.normalized for e in view.entities} == {
        "today": {"note": "checked"},
        "yesterday": {"value": "2016-01-01", "precision": "day"},
    }
    assert {e.trigger_text: e.date.value if e.date else None for e in view.events} == {
        "struck": None,
        "shelled": "2016-01-01",
        "hit": "2016-01-01",
    }
    with db.reader() as session:
        described = list(session.scalars(select(m.History.description).order_by(m.History.id)))
    assert described == ["Set publication date to 2017-02-07", "Set publication date to unknown"]
    with pytest.raises(UserError, match="there is no document with id 9"):
        set_published(service, 9, "alice", "2017-02-07")


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        (90, 180, True), (-90, -180, True), (0.0, 0.0, True), (90.5, 0, False), (-90.5, 0, False),
        (0, 180.5, False), (0, -180.5, False), ("35.3", 36.6, False), (None, 36.6, False), (35.3, None, False),
    ],
)  # fmt: skip
def test_coordinates_typed_by_hand_are_checked(
    db: Database, schema: Schema, lat: object, lon: object, ok: bool
) -> None:
    store(db, [article().record()])
    service = EventService(db, schema)
    place = next(e for e in service.open_document(1, "alice").entities if e.text == "Tell Haddad farms")
    if ok:
        geocode_entity(service, 1, "alice", [place.id], {"name": "Somewhere", "lat": lat, "lon": lon})
        return
    with pytest.raises(UserError) as error:
        geocode_entity(service, 1, "alice", [place.id], {"name": "Somewhere", "lat": lat, "lon": lon})
    assert str(error.value) == f"latitude {lat!r} and longitude {lon!r} must be numbers within ±90 and ±180"


def test_a_hand_geocode_stores_the_fields_given_and_says_so(db: Database, schema: Schema) -> None:
    store(db, [article().record()])
    service = EventService(db, schema)
    place = next(e for e in service.open_document(1, "alice").entities if e.text == "Tell Haddad farms")
    with pytest.raises(UserError, match="a geocoded place needs a name"):
        geocode_entity(service, 1, "alice", [place.id], {"name": "  ", "lat": 35.0, "lon": 36.0})
    typed = {"name": " Tell Haddad ", "lat": 35.37, "lon": 36.6, "country": "", "admin1": "Hama", "admin2": None}
    changes = geocode_entity(service, 1, "alice", [place.id], typed | {"extra": "dropped"})
    stored = next(e for e in service.open_document(1, "alice").entities if e.id == place.id).normalized
    assert stored == {
        "name": " Tell Haddad ",
        "lat": 35.37,
        "lon": 36.6,
        "admin1": "Hama",
        "source": "hand",
        "kind": "place",
    }
    with db.reader() as session:
        (entry,) = session.scalars(select(m.History).where(m.History.id == changes.history_id))
        assert entry.description == "Geocode as Tell Haddad"


def test_a_date_expression_that_no_longer_resolves_leaves_an_undated_event_undated(
    db: Database, schema: Schema
) -> None:
    d = Doc("u", "Jets struck Homs today.", published="2017-02-07")
    today = d.ent("today", "TIME", normalized={"value": "2017-02-07", "precision": "day"})
    d.event("struck", "Conflict.Attack", [("Time", today)])  # a person removed its date
    store(db, [d.record()])
    service = EventService(db, schema)
    changes = set_published(service, 1, "alice", None)
    view = service.open_document(1, "alice")
    assert [e.normalized for e in view.entities] == [None]
    assert [e.date for e in view.events] == [None] and changes.events == frozenset()


def test_geocoding_by_hand_makes_the_models_links_stale(db: Database, schema: Schema) -> None:
    store(db, [article().record()])
    service = EventService(db, schema)
    IncidentService(db, schema).suggest()
    with db.reader() as session:
        assert session.get(m.ProjectInfo, LINKS_KEY) is not None
    place = next(e for e in service.open_document(1, "alice").entities if e.text == "Tell Haddad farms")
    geocode_entity(service, 1, "alice", [place.id], {"name": "Tell Haddad farms", "lat": 35.37, "lon": 36.6})
    with db.reader() as session:
        assert session.get(m.ProjectInfo, LINKS_KEY) is None
