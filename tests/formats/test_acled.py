"""ACLED-style CSV read back with the csv module: one codebook-valid row per incident, a mention table beside it."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.dto import DocumentRecord, Event, EventDate, Segmentation
from annotator.core.incidents import Evidence, Place
from annotator.core.schema import Schema
from annotator.formats.acled import AcledWriter, acled_date, acled_row, acled_types, row_problem
from annotator.services.incidents import IncidentService
from annotator.store.database import Database
from tests.formats.corpus import export, incident

# The columns of a current ACLED export, in order: ACLED Codebook, Table 1 (since the March 2023 column changes).
ACLED_31 = (
    "event_id_cnty, event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1, "
    "assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, "
    "admin1, admin2, admin3, location, latitude, longitude, geo_precision, source, source_scale, notes, fatalities, "
    "tags, timestamp"
)
# The codebook's vocabularies (ACLED Codebook, event types table and actor categories), typed from the codebook,
# not from our exporter, so a wrong string in the exporter fails here.
CODEBOOK_TYPES = {
    "Battles": {"Government regains territory", "Non-state actor overtakes territory", "Armed clash"},
    "Protests": {"Excessive force against protesters", "Protest with intervention", "Peaceful protest"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Explosions/Remote violence": {
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
        "Other",
    },
}  # fmt: skip
CODEBOOK_DISORDER = {
    "Battles": {"Political violence"},
    "Protests": {"Demonstrations", "Political violence; Demonstrations"},
    "Riots": {"Demonstrations", "Political violence"},
    "Explosions/Remote violence": {"Political violence"},
    "Violence against civilians": {"Political violence"},
    "Strategic developments": {"Strategic developments"},
}
CODEBOOK_INTER = {
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians",
    "External/Other forces",
}  # fmt: skip
CODEBOOK_REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa", "South Asia",
    "Southeast Asia", "East Asia", "Middle East", "Caucasus and Central Asia", "Europe", "Caribbean",
    "Central America", "South America", "North America", "Oceania", "Antarctica",
}  # fmt: skip


def codebook_problems(row: dict[str, str]) -> list[str]:
    """Every way a row breaks the codebook's vocabularies and formats."""
    found = []
    subs = CODEBOOK_TYPES.get(row["event_type"])
    if subs is None or row["sub_event_type"] not in subs:
        found.append(f"type {row['event_type']!r} / {row['sub_event_type']!r}")
    if row["disorder_type"] not in CODEBOOK_DISORDER.get(row["event_type"], set()):
        found.append(f"disorder {row['disorder_type']!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["event_date"]) or row["year"] != row["event_date"][:4]:
        found.append(f"date {row['event_date']!r} / {row['year']!r}")
    if row["time_precision"] not in {"1", "2", "3"} or row["geo_precision"] not in {"1", "2", "3"}:
        found.append(f"precision {row['time_precision']!r} / {row['geo_precision']!r}")
    for side in ("inter1", "inter2"):
        if row[side] and row[side] not in CODEBOOK_INTER:
            found.append(f"{side} {row[side]!r}")
    pair = sorted(x for x in (row["inter1"], row["inter2"]) if x)
    if row["interaction"] and not (
        set(row["interaction"].removesuffix(" only").split("-")) <= CODEBOOK_INTER
        and len(row["interaction"].removesuffix(" only").split("-")) == len(pair)
    ):
        found.append(f"interaction {row['interaction']!r}")
    if row["civilian_targeting"] not in {"", "Civilians targeted"}:
        found.append(f"civilian_targeting {row['civilian_targeting']!r}")
    if not row["iso"].isdigit() or row["region"] not in CODEBOOK_REGIONS or not row["country"]:
        found.append(f"iso {row['iso']!r} region {row['region']!r}")
    for axis in ("latitude", "longitude"):
        if not re.fullmatch(r"-?\d+\.\d{4}", row[axis]):
            found.append(f"{axis} {row[axis]!r}")
    if not row["fatalities"].isdigit() or not row["source"] or not row["location"]:
        found.append(f"fatalities {row['fatalities']!r} source {row['source']!r} location {row['location']!r}")
    return found


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        data = list(reader)
        return list(reader.fieldnames or []), data


def link_homs_reports(project: Database, schema: Schema) -> None:
    """alice links the air strike, the deaths and the shelling of al-Waer into one incident."""
    service = IncidentService(project, schema)
    found = service.incidents("alice")
    homs = [i for i in found if i.members[0].doc_id == "homs-airstrikes" and i.members[0].trigger in (
        "airstrikes", "killed", "shelled")]  # fmt: skip
    service.merge("alice", homs)


def test_one_codebook_valid_row_perincident(project: Database, schema: Schema, tmp_path: Path) -> None:
    link_homs_reports(project, schema)
    result = export(project, schema, "acled-csv", tmp_path / "out")
    header, data = read_csv(tmp_path / "out" / "acled.csv")
    assert ", ".join(header) == ACLED_31
    assert {row["event_id_cnty"]: codebook_problems(row) for row in data} == {r["event_id_cnty"]: [] for r in data}
    strike = next(r for r in data if r["event_id_cnty"].startswith("homs-airstrikes@"))
    # Three reports, one row: the air strike outranks the shelling (ACLED's hierarchy), deaths counted once.
    assert (strike["event_type"], strike["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (strike["fatalities"], strike["event_date"], strike["time_precision"]) == ("9", "2017-02-08", "1")
    assert (strike["actor2"], strike["inter2"], strike["civilian_targeting"]) == (
        "at least nine civilians",
        "Civilians",
        "Civilians targeted",
    )
    assert (strike["location"], strike["admin1"], strike["iso"], strike["region"]) == (
        "Homs",
        "Homs",
        "760",
        "Middle East",
    )
    assert strike["source"] == "AP; local activists"
    assert strike["notes"].startswith("A series of airstrikes on an opposition-held district")
    assert sum(1 for r in data if r["event_id_cnty"].startswith("homs-airstrikes@")) == 1
    mentions = read_csv(tmp_path / "out" / "acled_mentions.csv")[1]
    linked = [m for m in mentions if m["event_id_cnty"] == strike["event_id_cnty"]]
    assert sorted(m["trigger"] for m in linked) == ["airstrikes", "killed", "shelled"]
    assert all(m["in_acled"] == "yes" for m in linked)
    skipped = [m for m in mentions if m["in_acled"] == "no"]
    assert skipped and all(m["reason"] for m in skipped)  # every mention without a row says why
    assert any("have no ACLED row" in p for p in result.problems)


def test_a_year_alone_or_a_country_alone_gives_no_row(project: Database, schema: Schema, tmp_path: Path) -> None:
    export(project, schema, "acled-csv", tmp_path / "out")
    mentions = read_csv(tmp_path / "out" / "acled_mentions.csv")[1]
    retook = next(m for m in mentions if m["trigger"] == "retook")
    assert (retook["in_acled"], retook["reason"]) == ("no", "no date at day, week or month precision")


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


def test_every_column_of_a_row_from_anincident() -> None:
    assert acled_row(incident(), "On 7 February 2017, ...") == {
        "event_id_cnty": "ANN000001",
        "event_date": "2017-02-07",
        "year": "2017",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Syria (2000-)",
        "assoc_actor_1": "Military Forces of Russia (2000-); Hezbollah",
        "inter1": "State forces",
        "actor2": "Civilians (Syria)",
        "assoc_actor_2": "Health Workers (Syria)",
        "inter2": "Civilians",
        "interaction": "State forces-Civilians",
        "civilian_targeting": "Civilians targeted",
        "source": "Outlet; SOHR",
        "notes": "On 7 February 2017, ...",
        "fatalities": "9",
        "tags": "",
        "region": "Middle East",
        "country": "Syria",
        "admin1": "Homs",
        "admin2": "Homs",
        "admin3": "Al Waer",
        "location": "Homs - Al Waer",
        "iso": "760",
        "latitude": "34.7246",
        "longitude": "36.6789",
        "geo_precision": "1",
    }


def test_unreviewed_rows_are_tagged_and_unknown_values_stay_empty() -> None:
    suggested = incident(status="suggested", civilian_targeting=False)
    row = acled_row(suggested, "")
    assert (row["tags"], row["civilian_targeting"]) == ("unreviewed suggestion", "")
    member = replace(incident().members[0], status="suggested")
    assert acled_row(incident(members=(member,)), "")["tags"] == "unreviewed suggestion"
    bare = acled_row(incident(place=Place("Somewhere in Homs", place_type="town")), "")
    assert bare["location"] == "Somewhere in Homs"
    assert not {"iso", "latitude", "longitude", "geo_precision", "admin1", "country"} & set(bare)


def test_why_an_incident_has_no_row() -> None:
    assert row_problem(incident()) == ""
    assert row_problem(incident(event_type=Evidence(""))) == "no ACLED event type"
    assert row_problem(incident(event_type=Evidence(""), problems=("Life.Die is not coded",))) == (
        "Life.Die is not coded"
    )
    assert row_problem(incident(sub_event_type=Evidence("Peaceful protest"))) == "no ACLED event type"
    assert row_problem(incident(date=Evidence("2017"), precision="year")) == "no date at day, week or month precision"
    assert row_problem(incident(date=Evidence("2017-02"), precision="month")) == ""
    assert row_problem(incident(place=None)) == "no place below country level"
    country = Place("Syria", 35.0, 38.0, country="Syria", place_type="country")
    assert row_problem(incident(place=country)) == "no place below country level"


def test_a_row_keeps_the_incidents_precision_over_the_shape_of_its_date() -> None:
    """A day-shaped value known only to the week or month is written at the week's Thursday or the 15th."""
    week = acled_row(incident(date=Evidence("2017-02-07"), precision="week"), "")
    assert (week["event_date"], week["year"], week["time_precision"]) == ("2017-02-09", "2017", "2")
    month = acled_row(incident(date=Evidence("2017-02-07"), precision="month"), "")
    assert (month["event_date"], month["year"], month["time_precision"]) == ("2017-02-15", "2017", "3")


def test_notes_quote_the_triggers_sentence_else_its_line(schema: Schema, tmp_path: Path) -> None:
    text = "Headline\nJets struck Homs. Nine died.\nA later line."
    start = text.index("Nine")
    died = Event(id=2, type="Life.Die", trigger_start=start + 5, trigger_end=start + 9, trigger_text="died",
                 incident="ANN000002")  # fmt: skip
    struck = Event(id=1, type="Conflict.Attack", trigger_start=14, trigger_end=20, trigger_text="struck",
                   incident="ANN000001")  # fmt: skip
    record = DocumentRecord(doc_id="d1", text=text, events=(struck, died))
    writer = AcledWriter(tmp_path, schema)
    writer.set_incidents([incident(), incident(id="ANN000002", key=2)])
    # The sentence list covers only the second sentence: the first trigger falls back to its whole line.
    writer.write(record, Segmentation(tokens=(), sentences=((start, start + 10),)))
    writer.close()
    data = read_csv(tmp_path / "acled.csv")[1]
    assert {r["event_id_cnty"]: r["notes"] for r in data} == {
        "ANN000001": "Jets struck Homs. Nine died.",
        "ANN000002": "Nine died.",
    }
