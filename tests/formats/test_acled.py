"""ACLED-style CSV read back with the csv module: the 31 columns in order, values derived, never guessed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.core.dto import Event, EventDate
from annotator.core.schema import Schema
from annotator.formats.acled import acled_date, acled_types
from annotator.store.database import Database
from tests.formats.corpus import export

# The columns of a current ACLED export, in order: ACLED Codebook, Table 1 (since the March 2023 column changes).
ACLED_31 = (
    "event_id_cnty, event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1, "
    "assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, "
    "admin1, admin2, admin3, location, latitude, longitude, geo_precision, source, source_scale, notes, fatalities, "
    "tags, timestamp"
)


def rows(project: Database, schema: Schema, tmp_path: Path) -> tuple[list[str], list[dict[str, str]], list[str]]:
    result = export(project, schema, "acled-csv", tmp_path / "out")
    with (tmp_path / "out" / "acled.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        data = list(reader)
        return list(reader.fieldnames or []), data, result.problems


def test_columns_ids_and_coded_events(project: Database, schema: Schema, tmp_path: Path) -> None:
    header, data, problems = rows(project, schema, tmp_path)
    assert ", ".join(header) == ACLED_31
    assert [r["event_id_cnty"] for r in data] == [f"ANN{n:06d}" for n in range(1, 9)]
    assert [(r["event_type"], r["sub_event_type"]) for r in data] == [
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Battles", "Government regains territory"),
        ("Strategic developments", "Agreement"),
        ("Battles", "Armed clash"),  # "presses offensive ... after talks break down": text order
        ("Strategic developments", "Agreement"),
        ("Battles", "Armed clash"),
        ("Battles", "Government regains territory"),
    ]
    assert {r["disorder_type"] for r in data} == {"Political violence", "Strategic developments"}
    assert problems == ["4 events of types ACLED does not code have no row: Life.Die (3), Life.Injure (1)"]


def test_actors_place_dates_and_notes(project: Database, schema: Schema, tmp_path: Path) -> None:
    _, data, _ = rows(project, schema, tmp_path)
    strike, shelling, retaking, truce = data[:4]
    assert {k: strike[k] for k in ("actor1", "assoc_actor_1", "inter1", "actor2", "inter2", "interaction")} == {
        "actor1": "Russia",
        "assoc_actor_1": "Syria",
        "inter1": "External/Other forces",
        "actor2": "at least nine civilians",
        "inter2": "Civilians",
        "interaction": "Civilians-External/Other forces",
    }
    assert strike["civilian_targeting"] == "Civilians targeted"
    place = {k: strike[k] for k in ("location", "country", "admin1", "iso", "latitude", "longitude", "geo_precision")}
    assert place == {
        "location": "Homs",
        "country": "Syria",
        "admin1": "Homs",
        "iso": "760",
        "latitude": "34.7240",
        "longitude": "36.7256",
        "geo_precision": "1",
    }
    assert (strike["event_date"], strike["year"], strike["fatalities"]) == ("", "", "0")  # none on this mention
    assert strike["notes"].startswith("A series of airstrikes on an opposition-held district")
    assert (shelling["event_date"], shelling["time_precision"]) == ("2017-02-09", "2")  # the week's midpoint
    assert (shelling["location"], shelling["admin1"]) == ("", "")  # al-Waer is its Target, not its Place
    assert (retaking["event_date"], retaking["year"], retaking["time_precision"]) == ("", "2014", "")
    assert (truce["event_date"], truce["time_precision"]) == ("2017-02-15", "3")
    assert {r["source"] for r in data[:4]} == {"AP"}
    assert all(r[k] == "" for r in data for k in ("source_scale", "tags", "timestamp", "admin2", "region"))
    last = data[-1]
    assert last["actor1"] == "Syrian Army" and "\n" not in last["notes"]


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"control_gainer": "government"}, ("Battles", "Government regains territory")),
        ({"control_gainer": "non_state"}, ("Battles", "Non-state actor overtakes territory")),
        (
            {"mode": "non_violent", "control_gainer": "government"},
            ("Strategic developments", "Non-violent transfer of territory"),
        ),
        ({}, ("Battles", "")),  # who took control is not annotated: not guessed
    ],
)
def test_territory_follows_the_codebook(schema: Schema, attrs: dict[str, str], expected: tuple[str, str]) -> None:
    event = Event(
        id=1, type="X.Conflict.ChangeOfControl", trigger_start=0, trigger_end=4, trigger_text="took", attrs=attrs
    )
    assert acled_types(schema, event) == expected


def test_types_come_from_attack_mode_then_event_type(schema: Schema) -> None:
    def attack(**attrs: str) -> Event:
        return Event(id=1, type="Conflict.Attack", trigger_start=0, trigger_end=1, trigger_text="x", attrs=attrs)

    assert acled_types(schema, attack(attack_mode="ground_clash")) == ("Battles", "Armed clash")
    assert acled_types(schema, attack(attack_mode="unspecified")) == ("Explosions/Remote violence", "")
    die = Event(id=1, type="Life.Die", trigger_start=0, trigger_end=1, trigger_text="x")
    assert acled_types(schema, die) is None


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2014-02-01", "day", ("2014-02-01", "2014", "1")),
        ("2014-01-27", "week", ("2014-01-30", "2014", "2")),
        ("2014-W05", None, ("2014-01-30", "2014", "2")),
        ("2014-01", "month", ("2014-01-15", "2014", "3")),
        ("2014-01-03", "month", ("2014-01-15", "2014", "3")),
        ("2013", "year", ("", "2013", "")),
        ("soon", None, ("", "", "")),
    ],
)
def test_dates_and_precision(value: str, precision: str | None, expected: tuple[str, str, str]) -> None:
    assert acled_date(EventDate(value=value, precision=precision)) == expected
    assert acled_date(None) == ("", "", "")
