"""ACLED-style CSV: one row per event mention of a type ACLED codes, the 31 current columns in order.

Values come from annotations and the schema's `mappings.acled`; what cannot be derived stays empty
rather than guessed (ACLED's own coders fill those from the wider context).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from annotator.core.dto import DocumentRecord, Entity, Event, EventDate, Segmentation
from annotator.core.review import is_unreviewed
from annotator.core.schema import Schema

DATA_FILE = "acled.csv"
ID_PREFIX = "ANN"  # keeps our ids apart from real ACLED event_id_cnty values
UNREVIEWED_TAG = "unreviewed suggestion"  # in `tags`, on rows exported from suggestions nobody reviewed
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
#: ACLED inter categories in code order (1-8): `interaction` lists the pair in this order.
INTER = (
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians",
    "External/Other forces",
)  # fmt: skip
ACTOR_LABELS = {"PER", "ORG", "GPE"}
ACTOR1_ROLES = ("Attacker", "Agent")
ACTOR2_ROLES = ("Target", "Victim", "Defeated", "Person")
SHARED_ROLES = ("Participant", "Entity")  # no side: the first filler is actor1, the second actor2
TERRITORY = {"Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"}
PRECISION = {"day": "1", "week": "2", "month": "3"}


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
    value = (d.value or "") if d else ""
    precision = (d.precision if d else None) or _precision_of(value)
    try:
        if re.match(r"^\d{4}-W\d{2}$", value):
            day = date.fromisocalendar(int(value[:4]), int(value[6:8]), 4)
        elif re.match(r"^\d{4}-\d{2}(-\d{2})?", value):
            day = date(int(value[:4]), int(value[5:7]), int(value[8:10]) if len(value) >= 10 else 15)
        else:
            return "", value[:4] if re.match(r"^\d{4}", value) else "", ""
    except ValueError:
        return "", "", ""
    if precision == "week":
        year, week, _ = day.isocalendar()
        day = date.fromisocalendar(year, week, 4)
    elif precision == "month":
        day = day.replace(day=15)
    elif precision != "day":
        return "", str(day.year), ""  # a year alone: ACLED drops such events, so no date is made up
    return day.isoformat(), str(day.year), PRECISION[precision]


def _precision_of(value: str) -> str:
    if re.match(r"^\d{4}-W\d{2}$", value):
        return "week"
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "")


def actor_name(e: Entity) -> str:
    """The actor's normalised name (an ACLED-style name when the annotator gave one), else the mention text."""
    for source in (e.normalized or {}, e.attrs.get("canonical_actor") or {}):
        if isinstance(source, dict):
            for key in ("acled_name", "name"):
                if isinstance(source.get(key), str) and source[key]:
                    return str(source[key])
    return " ".join(e.text.split())  # a mention across a line break stays on one line


def _place(place: Entity | None) -> dict[str, str]:
    geo: dict[str, Any] = dict(place.normalized or {}) if place is not None else {}
    out = {
        k: str(geo[k])
        for k in ("iso", "region", "country", "admin1", "admin2", "admin3", "geo_precision")
        if geo.get(k) not in (None, "")
    }
    location = geo.get("acled_location") or geo.get("location") or geo.get("name")
    if location:
        out["location"] = str(location)
    for column, keys in (("latitude", ("latitude", "lat")), ("longitude", ("longitude", "lon", "lng"))):
        value = next((geo[k] for k in keys if isinstance(geo.get(k), int | float)), None)
        if value is not None:
            out[column] = f"{value:.4f}"
    return out


class AcledWriter:
    """Writes acled.csv; events of other types are counted, not written."""

    name = "acled-csv"
    needs_segmentation = True  # notes quote the sentence around the trigger

    def __init__(self, directory: Path, schema: Schema) -> None:
        self._path = directory / DATA_FILE
        self._schema = schema
        self._handle = self._path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._handle)
        self._csv.writerow(COLUMNS)
        self._rows = 0
        self._not_coded: Counter[str] = Counter()
        self._disorder = dict((schema.mappings.get("acled") or {}).get("disorder_type") or {})

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        entities = {e.id: e for e in record.entities}
        for ev in record.events:
            types = acled_types(self._schema, ev)
            if types is None:
                self._not_coded[ev.type] += 1
                continue
            self._rows += 1
            row = self._row(record, ev, types, entities, segmentation)
            self._csv.writerow([row.get(c, "") for c in COLUMNS])
        return []

    def _row(
        self,
        record: DocumentRecord,
        ev: Event,
        types: tuple[str, str],
        entities: dict[int, Entity],
        segmentation: Segmentation | None,
    ) -> dict[str, str]:
        event_date, year, precision = acled_date(ev.date)
        fillers = [(a.role, entities[a.entity_id]) for a in ev.arguments if a.entity_id is not None]
        side1 = [e for role, e in fillers if role in ACTOR1_ROLES and e.label in ACTOR_LABELS]
        side2 = [e for role, e in fillers if role in ACTOR2_ROLES and e.label in ACTOR_LABELS]
        shared = [e for role, e in fillers if role in SHARED_ROLES and e.label in ACTOR_LABELS]
        if shared and not side1:
            side1, shared = shared[:1], shared[1:]
        if shared and not side2:
            side2, shared = shared[:1], shared[1:]
        side1 += shared
        inter1, inter2 = (_inter(side[0]) if side else "" for side in (side1, side2))
        fat = ev.fatalities
        deaths = (fat.low if fat.low is not None else fat.value) if fat is not None else None
        place = next((e for role, e in fillers if role == "Place"), None)
        row = {
            "event_id_cnty": f"{ID_PREFIX}{self._rows:06d}",
            "event_date": event_date,
            "year": year,
            "time_precision": precision,
            "disorder_type": str(self._disorder.get(types[0], "")),
            "event_type": types[0],
            "sub_event_type": types[1],
            "actor1": actor_name(side1[0]) if side1 else "",
            "assoc_actor_1": "; ".join(actor_name(e) for e in side1[1:]),
            "inter1": inter1,
            "actor2": actor_name(side2[0]) if side2 else "",
            "assoc_actor_2": "; ".join(actor_name(e) for e in side2[1:]),
            "inter2": inter2,
            "interaction": _interaction(inter1, inter2, bool(side2)),
            "civilian_targeting": "Civilians targeted" if inter2 == "Civilians" else "",
            "source": record.source,
            "notes": _sentence(record.text, ev, segmentation),
            "fatalities": str(deaths or 0),
            "tags": UNREVIEWED_TAG if is_unreviewed(ev.status, ev.origin) else "",
            **_place(place),
        }
        return row

    def close(self) -> tuple[list[Path], list[str]]:
        self._handle.close()
        if not self._not_coded:
            return [self._path], []
        counts = ", ".join(f"{t} ({n})" for t, n in sorted(self._not_coded.items()))
        return [self._path], [
            f"{sum(self._not_coded.values())} events of types ACLED does not code have no row: {counts}"
        ]


def _inter(e: Entity) -> str:
    value = e.attrs.get("actor_type")
    return value if isinstance(value, str) and value in INTER else ""


def _interaction(inter1: str, inter2: str, has_actor2: bool) -> str:
    if inter1 and inter2:
        return "-".join(sorted((inter1, inter2), key=INTER.index))
    return f"{inter1} only" if inter1 and not has_actor2 else ""


def _sentence(text: str, ev: Event, segmentation: Segmentation | None) -> str:
    """The sentence holding the trigger (else its line), on one line: ACLED notes describe the event."""
    spans = segmentation.sentences if segmentation else ()
    start, end = next(((s, e) for s, e in spans if s <= ev.trigger_start < e), (None, None))
    if start is None or end is None:
        start = text.rfind("\n", 0, ev.trigger_start) + 1
        end = text.find("\n", ev.trigger_end)
        end = len(text) if end < 0 else end
    return " ".join(text[start:end].split())
