"""Hand-built annotated documents for format tests: real seed articles, a worked example, hard offsets."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from annotator.core.dto import (
    Argument,
    DocStatus,
    DocumentRecord,
    Entity,
    Event,
    EventDate,
    Fatalities,
    Origin,
    Relation,
    Status,
)
from annotator.core.incidents import Actors, Evidence, FatalityEstimate, Incident, Member, Place
from annotator.core.paths import PROJECT_ROOT
from annotator.core.schema import Schema
from annotator.nlp.segment import Segmenter
from annotator.nlp.spacy_loader import LoadedPipeline
from annotator.services import records
from annotator.services.export import ExportResult, export_dataset
from annotator.store.database import Database

SEEDS = PROJECT_ROOT / "seeds"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
GOLDEN = PROJECT_ROOT / "tests" / "golden"


class Doc:
    """Builds a record by naming the words to annotate, so offsets are found, not typed."""

    def __init__(self, doc_id: str, text: str, **fields: Any) -> None:
        self.doc_id, self.text, self.fields = doc_id, text, fields
        self.entities: list[Entity] = []
        self.events: list[Event] = []
        self.relations: list[Relation] = []

    def find(self, needle: str, nth: int = 0, after: int = 0) -> tuple[int, int]:
        start = after - 1
        for _ in range(nth + 1):
            start = self.text.index(needle, start + 1)
        return start, start + len(needle)

    def ent(self, needle: str, label: str, nth: int = 0, after: int = 0, **kw: Any) -> int:
        start, end = self.find(needle, nth, after)
        entity = Entity(id=len(self.entities) + 1, start=start, end=end, label=label, text=needle, **kw)
        self.entities.append(entity)
        return entity.id

    def event(
        self, needle: str, etype: str, args: list[tuple[str, int]], nth: int = 0, after: int = 0, **kw: Any
    ) -> int:
        start, end = self.find(needle, nth, after)
        arguments = tuple(Argument(role=r, entity_id=i) for r, i in args)
        event = Event(
            id=len(self.events) + 1,
            type=etype,
            trigger_start=start,
            trigger_end=end,
            trigger_text=needle,
            arguments=arguments,
            **kw,
        )
        self.events.append(event)
        return event.id

    def rel(self, rtype: str, arg1: int, arg2: int, **kw: Any) -> None:
        self.relations.append(Relation(id=len(self.relations) + 1, type=rtype, arg1=arg1, arg2=arg2, **kw))

    def record(self) -> DocumentRecord:
        return DocumentRecord(
            doc_id=self.doc_id,
            text=self.text,
            entities=tuple(self.entities),
            events=tuple(self.events),
            relations=tuple(self.relations),
            **self.fields,
        )


@functools.cache
def _gazetteer() -> dict[str, dict[str, Any]]:
    entries = {}
    for path in sorted((PROJECT_ROOT / "resources" / "gazetteers").glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")).get("names") or []:
            entries[raw["id"]] = {k: v for k, v in raw.items() if k not in ("label", "aliases", "cased")}
    return entries


def gazetteer_value(entry_id: str) -> dict[str, Any]:
    """A gazetteer entry as pre-annotation stores it as a mention's normalised value (the entry less its names)."""
    return dict(_gazetteer()[entry_id])


def seed_text(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_bytes().decode("utf-8")


def homs_airstrikes() -> DocumentRecord:
    """Seed 000: air strikes on al-Waer, deaths, shelling, a ceasefire violation, an earlier recapture."""
    d = Doc(
        "homs-airstrikes",
        seed_text("000"),
        title="Airstrikes on Homs district kill 9",
        source="AP",
        url="https://example.org/homs",
        published="2017-02-08",
        status=DocStatus.DONE,
    )
    homs = d.ent(
        "Homs",
        "GPE",
        normalized={
            "name": "Homs",
            "country": "Syria",
            "admin1": "Homs",
            "iso": 760,
            "latitude": 34.72405,
            "longitude": 36.72559,
            "geo_precision": 1,
        },
    )
    russia = d.ent("Russia", "GPE", attrs={"actor_type": "External/Other forces", "mention_type": "NAM"})
    syria = d.ent("Syria", "GPE", after=d.find("Russia")[0], attrs={"actor_type": "State forces"})
    civilians = d.ent("at least nine civilians", "PER", attrs={"actor_type": "Civilians", "mention_type": "NOM"})
    today = d.ent("today", "TIME", normalized={"value": "2017-02-08", "type": "DATE"})
    d.ent("local activists", "PER")
    forces = d.ent("Pro-government forces", "ORG", attrs={"actor_type": "State forces"})
    waer = d.ent(
        "al-Waer neighborhood",
        "LOC",
        normalized={
            "acled_location": "Homs - Al Waer",
            "admin1": "Homs",
            "country": "Syria",
            "refs": [{"db": "GeoNames", "id": "0000000", "text": "Al Waer"}],
        },
    )
    tank = d.ent("tank", "WEA")
    artillery = d.ent("artillery", "WEA")
    homs2 = d.ent("Homs", "GPE", nth=2)
    government = d.ent("Government forces", "ORG", nth=1, attrs={"actor_type": "State forces"})
    d.ent("Washington-based", "GPE", origin=Origin.MODEL, status=Status.REJECTED)
    volunteer = d.ent("one volunteer", "PER", origin=Origin.MODEL, status=Status.SUGGESTED)
    d.event(
        "airstrikes",
        "Conflict.Attack",
        [("Attacker", russia), ("Attacker", syria), ("Target", civilians), ("Place", homs)],
        attrs={
            "attack_mode": "air_drone_strike",
            "modality": "Other",
            "attribution": "local activists",
            "notes": [{"type": "AnnotatorNotes", "text": "Perpetrator presumed, not confirmed."}],
        },
    )
    d.event(
        "killed",
        "Life.Die",
        [("Agent", russia), ("Victim", civilians), ("Place", homs), ("Time", today)],
        fatalities=Fatalities(value=9, low=9, qualifier="at_least", text="at least nine civilians"),
        date=EventDate(value="2017-02-08", precision="day", text="today"),
        attrs={"polarity": "Positive"},
    )
    d.event(
        "shelled",
        "Conflict.Attack",
        [("Attacker", forces), ("Target", waer), ("Instrument", tank), ("Instrument", artillery)],
        attrs={"attack_mode": "shelling_artillery_missile"},
        date=EventDate(value="2017-W06", precision="week"),
    )
    d.event(
        "retook",
        "X.Conflict.ChangeOfControl",
        [("Agent", government), ("Place", homs2)],
        attrs={"mode": "violent", "control_gainer": "government", "realis": "Actual"},
        date=EventDate(value="2014", precision="year", text="in 2014"),
    )
    d.event("wounding", "Life.Injure", [("Victim", volunteer)], origin=Origin.MODEL, status=Status.SUGGESTED)
    d.event(
        "violation",
        "X.Conflict.Agreement",
        [],
        attrs={"outcome": "violated"},
        date=EventDate(value="2017-02", precision="month"),
    )
    d.rel("Located", waer, homs)
    d.rel("Coref", homs, homs2, attrs={"equivalence": True})
    return d.record()


def old_city() -> DocumentRecord:
    """Seed 001: nested mentions (Homs inside Homs’ Old City), typographic quotes, boilerplate lines."""
    text = seed_text("001")
    d = Doc("homs-old-city", text, source="LA Times", status=DocStatus.DONE, boilerplate=((0, len("Advertisement")),))
    syria = d.ent("Syria", "GPE", attrs={"actor_type": "State forces"})
    d.ent("Homs", "GPE")
    old = d.ent("Homs’ Old City", "LOC")
    d.ent("Old City", "LOC", nth=0, after=d.find("Homs’ Old City")[0])
    d.event("talks", "X.Conflict.Agreement", [], attrs={"outcome": "broke_down"})
    d.event(
        "offensive", "Conflict.Attack", [("Attacker", syria), ("Place", old)], attrs={"attack_mode": "ground_clash"}
    )
    troops = d.ent("army troops", "ORG", attrs={"actor_type": "State forces"})
    d.event("offensive", "Conflict.Attack", [("Attacker", troops)], nth=1, attrs={"attack_mode": "ground_clash"})
    seven = d.ent("seven people", "PER", attrs={"actor_type": "Civilians"})
    rebels = d.ent("rebels", "ORG", after=d.find("As the army advances")[0])
    # The place is named in the headline only: a cross-sentence argument sentence-level formats must report.
    d.event(
        "killing", "Life.Die", [("Agent", rebels), ("Victim", seven), ("Place", old)], fatalities=Fatalities(value=7)
    )
    return d.record()


def hard_offsets() -> DocumentRecord:
    """CRLF line ends, a flag emoji, a CJK character outside the BMP, NFD combining marks, a span across lines."""
    homs = unicodedata.normalize("NFD", "Ḥomṣ")  # 6 code points: H, dot below, o, m, s, dot below
    text = (
        f"Activists 🇸🇾 said\r\nnine civilians were killed in 𠜎 {homs} on Monday.\r\n"
        "Syrian\r\nArmy took Khalidiya, 𝐇𝐨𝐦𝐬 residents said."
    )
    d = Doc("hard-offsets/crlf 🇸🇾", text, title="Offsets", published="2014-02-03", status=DocStatus.IN_PROGRESS)
    d.ent("Activists", "PER")
    civilians = d.ent("nine civilians", "PER", attrs={"actor_type": "Civilians"})
    homs = d.ent(homs, "GPE")
    monday = d.ent("Monday", "TIME", normalized={"value": "2014-02-03"})
    army = d.ent(
        "Syrian\r\nArmy", "ORG", attrs={"actor_type": "State forces"}, normalized=gazetteer_value("syria-military")
    )
    d.ent("Syria", "GPE", after=d.find("Monday")[0])  # inside the token "Syrian": token formats must cut it
    place = d.ent("Khalidiya", "LOC", normalized=gazetteer_value("SY-homs-khalidiya"))
    d.ent("𝐇𝐨𝐦𝐬 residents", "PER")
    d.event(
        "killed",
        "Life.Die",
        [("Victim", civilians), ("Place", homs), ("Time", monday)],
        fatalities=Fatalities(value=9),
        date=EventDate(value="2014-02-03", precision="day", text="on Monday"),
    )
    d.event(
        "took",
        "X.Conflict.ChangeOfControl",
        [("Agent", army), ("Place", place)],
        attrs={"control_gainer": "government"},
    )
    return d.record()


def worked_example() -> DocumentRecord:
    """One sentence with an attack and a death; test_textee.py holds its TextEE window, worked out by hand."""
    d = Doc(
        "D1",
        "Government airstrikes on the al-Waer district of Homs killed nine civilians on Saturday, activists said.",
        source="example",
        status=DocStatus.DONE,
    )
    gov = d.ent("Government", "ORG", attrs={"actor_type": "State forces"})
    district = d.ent("al-Waer district", "LOC")
    d.ent("Homs", "GPE", normalized=gazetteer_value("SY-homs"))
    civilians = d.ent("nine civilians", "PER", attrs={"actor_type": "Civilians"})
    d.ent("Saturday", "TIME", normalized={"value": "2014-02-01"})
    d.ent("activists", "PER")
    d.event(
        "airstrikes",
        "Conflict.Attack",
        [("Attacker", gov), ("Place", district)],
        attrs={"attack_mode": "air_drone_strike"},
    )
    d.event(
        "killed",
        "Life.Die",
        [("Agent", gov), ("Victim", civilians), ("Place", district)],
        fatalities=Fatalities(value=9),
        date=EventDate(value="2014-02-01", precision="day", text="on Saturday"),
    )
    return d.record()


def corpus() -> list[DocumentRecord]:
    return [homs_airstrikes(), old_city(), hard_offsets()]


def store(db: Database, recs: list[DocumentRecord], annotator: str = "alice") -> None:
    """Put records into a project database, each as one layer with the record's status."""
    with db.session() as session:
        who = records.annotator_id(session, annotator)
        for record in recs:
            doc = records.store_document(session, record)
            records.store_layer(session, doc, who, record, status=record.status or DocStatus.DONE)


def without_ids(record: DocumentRecord) -> DocumentRecord:
    """A record in text order with ids 1..n, for comparing two readings of the same data.

    Incident ids are left out: they come from the export's incidents, and tests/formats/test_incidents.py
    checks that they survive a round trip.
    """
    renumbered = records.renumber(record)
    events = tuple(replace(e, incident=None) for e in renumbered.events)
    return replace(renumbered, status=record.status, events=events)


def read_tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


FIXED_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@functools.cache
def blank_segmenter() -> Segmenter:
    """spaCy's rule-based English tokenizer and sentencizer: fast, and the same on every machine."""
    return Segmenter(loaded=LoadedPipeline(nlp=None, name=None, message="tests"))


def export(db: Database, schema: Schema, fmt: str, out: Path, **kw: Any) -> ExportResult:
    """Export like the CLI, with every annotation of the layer: format tests check that nothing is lost."""
    kw.setdefault("layer", "alice")
    kw.setdefault("include_suggestions", True)
    kw.setdefault("segmenter", blank_segmenter())
    kw.setdefault("exported_at", FIXED_TIME)
    return export_dataset(db, schema, fmt, out, **kw)


def incident(**changes: object) -> Incident:
    """A consolidated incident as the ACLED and UCDP writers get it: an air strike on al-Waer, all fields known."""
    member = Member(7, 1, "d1", "t", "Outlet", "2017-02-08", "Conflict.Attack", "airstrike", 4, 13, "accepted")
    base = Incident(
        id="ANN000001",
        key=1,
        layer="alice",
        status="accepted",
        score=None,
        reasons=(),
        members=(member,),
        event_type=Evidence("Explosions/Remote violence"),
        sub_event_type=Evidence("Air/drone strike"),
        disorder_type="Political violence",
        date=Evidence("2017-02-07"),
        precision="day",
        location=Evidence("Homs - Al Waer"),
        place=Place(
            "Homs - Al Waer",
            34.72456,
            36.6789,
            country="Syria",
            iso=760,
            region="Middle East",
            admin1="Homs",
            admin2="Homs",
            admin3="Al Waer",
            place_type="district",
        ),
        actors=Actors(
            Evidence("Military Forces of Syria (2000-)"),
            ("Military Forces of Russia (2000-)", "Hezbollah"),
            "State forces",
            Evidence("Civilians (Syria)"),
            ("Health Workers (Syria)",),
            "Civilians",
        ),
        fatalities=FatalityEstimate(9, 9, 10),
        civilian_targeting=True,
        sources=("Outlet", "SOHR"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
