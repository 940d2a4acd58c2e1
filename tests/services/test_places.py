"""Publication dates re-resolve relative dates (and undo); places geocoded by hand reach the incident."""

from __future__ import annotations

import pytest

from annotator.core.dto import MODEL
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services.events import EventService
from annotator.services.incidents import IncidentService
from annotator.services.places import geocode_entity, set_published
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
