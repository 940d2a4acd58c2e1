"""UCDP GED rows from incidents: the type of violence and its sides, dates as ranges, deaths by category."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from annotator.core.incidents import Actors, Evidence, FatalityEstimate, Member, Place
from annotator.core.schema import Schema
from annotator.formats.ucdp import COLUMNS, UcdpWriter, ged_row, type_of_violence
from tests.formats.corpus import incident


def sides(actor1: str, inter1: str, actor2: str, inter2: str) -> Actors:
    return Actors(Evidence(actor1), (), inter1, Evidence(actor2), (), inter2)


def test_the_type_of_violence_and_its_sides() -> None:
    assert type_of_violence(incident()) == (3, "Military Forces of Syria (2000-)", "Civilians")  # one-sided
    army, rebels = "Military Forces of Syria (2000-)", "Jaish al-Islam"
    state_based = incident(actors=sides(rebels, "Rebel group", army, "State forces"), event_type=Evidence("Battles"))
    assert type_of_violence(state_based) == (1, army, rebels)  # the government is side A
    assert type_of_violence(replace(state_based, actors=sides(army, "State forces", rebels, "Rebel group"))) == (
        1,
        army,
        rebels,
    )
    non_state = incident(actors=sides(rebels, "Rebel group", "ISIS", "Political militia"))
    assert type_of_violence(non_state) == (2, rebels, "ISIS")
    assert type_of_violence(incident(actors=sides(army, "State forces", "Crowd", "Protesters"))) is None
    assert type_of_violence(incident(actors=sides("Crowd", "Rioters", rebels, "Rebel group"))) is None
    assert type_of_violence(incident(event_type=Evidence("Protests"))) is None
    assert type_of_violence(incident(actors=sides("", "State forces", "Civilians (Syria)", "Civilians"))) is None


def test_every_column_of_a_ged_row() -> None:
    members = (
        Member(7, 1, "d1", "Jets  hit\nHoms", "Outlet A", "2017-02-08", "Conflict.Attack", "strike", 0, 6, "accepted"),
        Member(8, 2, "d2", "Strike on Homs", "Outlet B", "2017-02-08", "Conflict.Attack", "strike", 0, 6, "accepted"),
        Member(9, 2, "d2", "Strike on Homs", "Outlet B", None, "Life.Die", "killed", 9, 15, "accepted"),
    )
    row = ged_row(incident(members=members, sources=("Outlet A", "Outlet B", "SOHR")))
    assert row == {
        "id": "ANN000001",
        "year": "2017",
        "type_of_violence": "3",
        "side_a": "Military Forces of Syria (2000-)",
        "side_b": "Civilians",
        "where_prec": "1",
        "where_description": "Homs - Al Waer",
        "adm_1": "Homs",
        "adm_2": "Homs",
        "latitude": "34.7246",
        "longitude": "36.6789",
        "country": "Syria",
        "region": "Middle East",
        "event_clarity": "1",
        "date_prec": "1",
        "date_start": "2017-02-07",
        "date_end": "2017-02-07",
        "deaths_a": "0",
        "deaths_b": "0",
        "deaths_civilians": "9",
        "deaths_unknown": "0",
        "best": "9",
        "high": "10",
        "low": "9",
        "number_of_sources": "2",
        "source_article": "d1; d2",
        "source_office": "Outlet A; Outlet B",
        "source_date": "2017-02-08",
        "source_headline": "Jets hit Homs; Strike on Homs",
        "source_original": "SOHR",
    }


def test_ranges_precision_and_regions() -> None:
    week = ged_row(incident(date=Evidence("2017-W06"), precision="week"))
    assert isinstance(week, dict)
    assert (week["date_start"], week["date_end"], week["date_prec"], week["event_clarity"]) == (
        "2017-02-06",
        "2017-02-12",
        "3",
        "2",
    )
    month = ged_row(incident(date=Evidence("2016-12"), precision="month"))
    assert isinstance(month, dict) and (month["date_start"], month["date_end"], month["date_prec"], month["year"]) == (
        "2016-12-01",
        "2016-12-31",
        "4",
        "2016",
    )
    battle = incident(
        actors=sides("Army", "State forces", "Rebels", "Rebel group"),
        event_type=Evidence("Battles"),
        fatalities=FatalityEstimate(3, 2, 5),
    )
    row = ged_row(battle)
    assert isinstance(row, dict) and (row["deaths_civilians"], row["deaths_unknown"], row["low"], row["high"]) == (
        "0",
        "3",
        "2",
        "5",
    )
    tbilisi = Place("Tbilisi", 41.7, 44.8, country="Georgia", iso3="GEO", region="Caucasus and Central Asia",
                    place_type="town")  # fmt: skip
    georgia = ged_row(incident(place=tbilisi))
    assert isinstance(georgia, dict) and georgia["region"] == "Europe"  # GED puts the Caucasus in Europe
    near = ged_row(incident(place=replace(tbilisi, iso3="KAZ", near=True)))
    assert isinstance(near, dict) and (near["region"], near["where_prec"], near["event_clarity"]) == ("Asia", "2", "1")
    assert ged_row(incident(place=replace(tbilisi, iso3="", region="Atlantis")))["region"] == ""  # type: ignore[index]
    unplaced = ged_row(incident(place=Place("Homs", country="Syria", place_type="governorate", admin1="Homs")))
    assert isinstance(unplaced, dict) and (unplaced["latitude"], unplaced["where_prec"]) == ("", "4")


def test_what_ged_does_not_cover_is_counted(tmp_path: Path, schema: Schema) -> None:
    assert ged_row(incident(fatalities=FatalityEstimate(0, 0, 0))) == (
        "no death reported (GED records events with at least one death)"
    )
    assert ged_row(incident(event_type=Evidence("Protests"))) == (
        "not organised violence between named armed sides, or against civilians"
    )
    assert ged_row(incident(date=Evidence(""))) == "no date or no place"
    assert ged_row(incident(place=None)) == "no date or no place"
    country = ged_row(incident(place=Place("Syria", place_type="country", country="Syria")))
    assert isinstance(country, dict) and country["where_prec"] == "6"
    assert ged_row(incident(place=Place("Somewhere", place_type="site"))) == "no date or no place"  # no point
    writer = UcdpWriter(tmp_path, schema)
    writer.set_incidents([incident(), incident(id="ANN000002", place=None), incident(id="ANN000003", place=None)])
    assert writer.write(None, None) == []  # type: ignore[arg-type]
    files, problems = writer.close()
    with files[0].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS) and [r[0] for r in rows[1:]] == ["ANN000001"]
    assert problems == ["2 incidents have no GED row: no date or no place"]
