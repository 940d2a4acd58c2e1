"""UCDP GED-style CSV: one row per incident of organised violence with at least one death, GED's column names.

The columns are GED's (id, year, type_of_violence, side_a, side_b, where_prec, ..., best, high, low,
source_*); conflict and dyad ids are UCDP's own and are not written. Incidents GED does not cover (no
death, no armed side, protests, strategic developments) are counted, not written.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from annotator.core.acled import CIVILIANS, INTER, period
from annotator.core.dto import DocumentRecord, Segmentation
from annotator.core.incidents import Incident
from annotator.core.schema import Schema

DATA_FILE = "ucdp_ged.csv"
COLUMNS = (
    "id", "year", "type_of_violence", "side_a", "side_b", "where_prec", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "country", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original",
)  # fmt: skip
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
STATE = "State forces"
ARMED_NON_STATE = frozenset(INTER) - {STATE, CIVILIANS, "Protesters", "Rioters"}
DATE_PREC = {"day": "1", "week": "3", "month": "4", "year": "5"}
#: UCDP's five regions, from ACLED's (the Caucasus is in Europe in GED).
REGIONS = {
    "Middle East": "Middle East",
    "Northern Africa": "Africa",
    "Western Africa": "Africa",
    "Middle Africa": "Africa",
    "Eastern Africa": "Africa",
    "Southern Africa": "Africa",
    "South Asia": "Asia",
    "Southeast Asia": "Asia",
    "East Asia": "Asia",
    "Caucasus and Central Asia": "Asia",
    "Oceania": "Asia",
    "Europe": "Europe",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "North America": "Americas",
}
CAUCASUS = frozenset({"ARM", "AZE", "GEO"})


def type_of_violence(incident: Incident) -> tuple[int, str, str] | None:
    """(type_of_violence, side_a, side_b): 1 state-based, 2 non-state, 3 one-sided; None when GED has no such row."""
    actors = incident.actors
    if incident.event_type.value not in VIOLENT_TYPES or not actors.actor1.value:
        return None
    if actors.inter2 == CIVILIANS:
        return 3, actors.actor1.value, "Civilians"
    if STATE in (actors.inter1, actors.inter2) and {actors.inter1, actors.inter2} - {STATE} <= ARMED_NON_STATE:
        government_first = actors.inter1 == STATE
        sides = (actors.actor1.value, actors.actor2.value)
        return 1, *(sides if government_first else sides[::-1])
    if actors.inter1 in ARMED_NON_STATE and actors.inter2 in ARMED_NON_STATE:
        return 2, actors.actor1.value, actors.actor2.value
    return None


def ged_row(incident: Incident) -> dict[str, str] | str:
    """The GED columns of an incident, or why GED does not cover it."""
    kind = type_of_violence(incident)
    if kind is None:
        return "not organised violence between named armed sides, or against civilians"
    if incident.fatalities.best < 1:
        return "no death reported (GED records events with at least one death)"
    span = period(incident.date.value, incident.precision) if incident.date.value else None
    place = incident.place
    if span is None or place is None or place.where_prec is None:
        return "no date or no place"
    deaths, civilians = incident.fatalities, kind[0] == 3
    region = "Europe" if place.iso3 in CAUCASUS else REGIONS.get(place.region, "")
    members = incident.members
    clear = incident.precision == "day" and place.where_prec <= 2
    return {
        "id": incident.id,
        "year": str(span[0].year),
        "type_of_violence": str(kind[0]),
        "side_a": kind[1],
        "side_b": kind[2],
        "where_prec": str(place.where_prec),
        "where_description": place.name,
        "adm_1": place.admin1,
        "adm_2": place.admin2,
        "latitude": f"{place.latitude:.4f}" if place.latitude is not None else "",
        "longitude": f"{place.longitude:.4f}" if place.longitude is not None else "",
        "country": place.country,
        "region": region,
        "event_clarity": "1" if clear else "2",
        "date_prec": DATE_PREC.get(incident.precision, "5"),
        "date_start": span[0].isoformat(),
        "date_end": (span[1] - timedelta(days=1)).isoformat(),
        "deaths_a": "0",
        "deaths_b": "0",
        "deaths_civilians": str(deaths.best if civilians else 0),
        "deaths_unknown": str(0 if civilians else deaths.best),
        "best": str(deaths.best),
        "high": str(deaths.high),
        "low": str(deaths.low),
        "number_of_sources": str(len({m.document_id for m in members})),
        "source_article": "; ".join(dict.fromkeys(m.doc_id for m in members)),
        "source_office": "; ".join(dict.fromkeys(m.source for m in members if m.source)),
        "source_date": "; ".join(dict.fromkeys(m.published for m in members if m.published)),
        "source_headline": "; ".join(dict.fromkeys(" ".join(m.title.split()) for m in members if m.title)),
        "source_original": "; ".join(s for s in incident.sources if s not in {m.source for m in members}),
    }


class UcdpWriter:
    """Writes ucdp_ged.csv from the consolidated incidents; documents only feed the mention counts."""

    name = "ucdp-ged-csv"
    needs_segmentation = False

    def __init__(self, directory: Path, schema: Schema) -> None:
        self._path = directory / DATA_FILE
        self._incidents: Sequence[Incident] = ()

    def set_incidents(self, incidents: Sequence[Incident]) -> None:
        self._incidents = incidents

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        return []

    def close(self) -> tuple[list[Path], list[str]]:
        skipped: Counter[str] = Counter()
        with self._path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(COLUMNS)
            for incident in self._incidents:
                row = ged_row(incident)
                if isinstance(row, str):
                    skipped[row] += 1
                else:
                    out.writerow([row[c] for c in COLUMNS])
        problems = [f"{n} incidents have no GED row: {why}" for why, n in skipped.most_common()]
        return [self._path], problems
