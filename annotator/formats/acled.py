"""ACLED-style CSV: one row per incident, the 31 current columns in order, and a mention table beside it.

Rows come from consolidated incidents (annotator/services/consolidate.py): each report of an incident is
counted once, in the incident's row, and `acled_mentions.csv` maps every event mention to its incident.
Only codebook-valid rows are written (type and sub-event type from ACLED's list, a date, a place below
country level); the others are reported with the reason, and their mentions say why in the table.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from annotator.core.acled import HIERARCHY, event_day
from annotator.core.dto import DocumentRecord, Entity, Event, EventDate, Segmentation
from annotator.core.incidents import Incident, Place
from annotator.core.schema import Schema

DATA_FILE = "acled.csv"
MENTIONS_FILE = "acled_mentions.csv"
UNREVIEWED_TAG = "unreviewed suggestion"  # in `tags`, on rows a person has not confirmed
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
MENTION_COLUMNS = ("event_id_cnty", "doc_id", "event_id", "event_type", "trigger", "start", "end", "in_acled", "reason")
ACTOR_LABELS = {"PER", "ORG", "GPE"}
ACTOR1_ROLES = ("Attacker", "Agent")
ACTOR2_ROLES = ("Target", "Victim", "Defeated", "Person")
SHARED_ROLES = ("Participant", "Entity")  # no side: the first filler is actor1, the second actor2
TERRITORY = {"Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"}


def acled_types(schema: Schema, ev: Event) -> tuple[str, str] | None:
    """(event_type, sub_event_type) for an event ACLED codes, or None; attack_mode first, then the type."""
    acled = schema.mappings.get("acled") or {}
    mode = ev.attrs.get("attack_mode")
    mapped = (acled.get("attack_mode") or {}).get(mode) if isinstance(mode, str) else None
    mapped = mapped or (acled.get("event_type") or {}).get(ev.type)
    if not mapped:
        spec = schema.event_types.get(ev.type)
        default = spec.maps.get("acled_event_type") if spec is not None else None
        return (str(default), "") if default else None
    event_type, sub_event = str(mapped[0]), str(mapped[1]) if len(mapped) > 1 else ""
    if sub_event in TERRITORY:
        # The codebook's territory rule: who gained control, and whether there was fighting.
        gainer = ev.attrs.get("control_gainer")
        if ev.attrs.get("mode") == "non_violent":
            return "Strategic developments", "Non-violent transfer of territory"
        sub_event = {
            "government": "Government regains territory",
            "non_state": "Non-state actor overtakes territory",
            "external": "Non-state actor overtakes territory",
        }.get(str(gainer), "")
        return "Battles", sub_event
    return event_type, sub_event


def acled_date(d: EventDate | None) -> tuple[str, str, str]:
    """(event_date, year, time_precision): weeks at their midpoint (Thursday), months at the 15th."""
    return event_day(d.value if d else None, d.precision if d else None)


def actor_name(e: Entity) -> str:
    """The actor's normalised name (an ACLED-style name when the annotator gave one), else the mention text."""
    for source in (e.normalized or {}, e.attrs.get("canonical_actor") or {}):
        if isinstance(source, dict):
            for key in ("acled_name", "name"):
                if isinstance(source.get(key), str) and source[key]:
                    return str(source[key])
    return " ".join(e.text.split())  # a mention across a line break stays on one line


class AcledWriter:
    """Writes acled.csv (one row per codebook-valid incident) and acled_mentions.csv (every mention)."""

    name = "acled-csv"
    needs_segmentation = True  # notes quote the sentence of the incident's first report

    def __init__(self, directory: Path, schema: Schema) -> None:
        self._dir = directory
        self._schema = schema
        self._incidents: dict[str, Incident] = {}
        self._notes: dict[str, str] = {}
        self._mentions: list[tuple[str, ...]] = []

    def set_incidents(self, incidents: Sequence[Incident]) -> None:
        self._incidents = {i.id: i for i in incidents}

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        for ev in record.events:
            if ev.incident is None:
                continue
            self._notes.setdefault(ev.incident, _sentence(record.text, ev, segmentation))
            self._mentions.append(
                (ev.incident, record.doc_id, f"EV{ev.id}", ev.type, " ".join(ev.trigger_text.split()),
                 str(ev.trigger_start), str(ev.trigger_end))
            )  # fmt: skip
        return []

    def close(self) -> tuple[list[Path], list[str]]:
        reasons: dict[str, str] = {}
        written = 0
        with (self._dir / DATA_FILE).open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(COLUMNS)
            for incident in self._incidents.values():
                problem = row_problem(incident)
                if problem:
                    reasons[incident.id] = problem
                    continue
                row = acled_row(incident, self._notes.get(incident.id, ""))
                out.writerow([row.get(c, "") for c in COLUMNS])
                written += 1
        with (self._dir / MENTIONS_FILE).open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(MENTION_COLUMNS)
            for mention in self._mentions:
                reason = reasons.get(mention[0], "")
                out.writerow([*mention, "no" if reason else "yes", reason])
        problems = []
        if reasons:
            counts = Counter(reasons.values())
            listed = "; ".join(f"{why} ({n})" for why, n in counts.most_common())
            total = written + len(reasons)
            problems.append(f"{len(reasons)} of {total} incidents have no ACLED row (see {MENTIONS_FILE}): {listed}")
        return [self._dir / DATA_FILE, self._dir / MENTIONS_FILE], problems


def row_problem(incident: Incident) -> str:
    """Why the incident cannot be a codebook-valid ACLED row, or "" when it can."""
    if not incident.event_type.value or incident.sub_event_type.value not in HIERARCHY.get(
        incident.event_type.value, ()
    ):
        return next(iter(incident.problems), "no ACLED event type")
    if not event_day(incident.date.value, incident.precision)[0]:
        return "no date at day, week or month precision"
    if incident.place is None or incident.place.geo_precision is None:
        return "no place below country level"
    return ""


def acled_row(incident: Incident, notes: str) -> dict[str, str]:
    """The ACLED columns of a codebook-valid incident."""
    event_date, year, precision = event_day(incident.date.value, incident.precision)
    actors, place = incident.actors, incident.place
    row = {
        "event_id_cnty": incident.id,
        "event_date": event_date,
        "year": year,
        "time_precision": precision,
        "disorder_type": incident.disorder_type,
        "event_type": incident.event_type.value,
        "sub_event_type": incident.sub_event_type.value,
        "actor1": actors.actor1.value,
        "assoc_actor_1": "; ".join(actors.assoc_actor_1),
        "inter1": actors.inter1,
        "actor2": actors.actor2.value,
        "assoc_actor_2": "; ".join(actors.assoc_actor_2),
        "inter2": actors.inter2,
        "interaction": actors.interaction,
        "civilian_targeting": "Civilians targeted" if incident.civilian_targeting else "",
        "source": "; ".join(incident.sources),
        "notes": notes,
        "fatalities": str(incident.fatalities.best),
        "tags": UNREVIEWED_TAG if _unreviewed(incident) else "",
    }
    if place is not None:
        row |= _place_columns(place)
    return row


def _unreviewed(incident: Incident) -> bool:
    """A link nobody confirmed, or a report nobody reviewed (exported with --include-suggestions)."""
    return incident.status == "suggested" or any(m.status == "suggested" for m in incident.members)


def _place_columns(place: Place) -> dict[str, str]:
    named = (("region", place.region), ("country", place.country), ("admin1", place.admin1), ("admin2", place.admin2))
    out = {column: value for column, value in (*named, ("admin3", place.admin3)) if value}
    out["location"] = place.name
    if place.iso is not None:
        out["iso"] = str(place.iso)
    if place.latitude is not None and place.longitude is not None:
        out["latitude"], out["longitude"] = f"{place.latitude:.4f}", f"{place.longitude:.4f}"
    if place.geo_precision is not None:
        out["geo_precision"] = str(place.geo_precision)
    return out


def _sentence(text: str, ev: Event, segmentation: Segmentation | None) -> str:
    """The sentence holding the trigger (else its line), on one line: ACLED notes describe the event."""
    spans = segmentation.sentences if segmentation else ()
    start, end = next(((s, e) for s, e in spans if s <= ev.trigger_start < e), (None, None))
    if start is None or end is None:
        start = text.rfind("\n", 0, ev.trigger_start) + 1
        end = text.find("\n", ev.trigger_end)
        end = len(text) if end < 0 else end
    return " ".join(text[start:end].split())
