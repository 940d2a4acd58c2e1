"""UIMA XMI read back with dkpro-cassis: every mention and event, role links, UTF-16 offsets in the files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

from cassis import Cas, load_cas_from_xmi, load_typesystem

from annotator.core.dto import Argument, EventDate, Fatalities
from annotator.core.schema import Schema, parse_schema
from annotator.formats.common import file_stem, without_rejected
from annotator.formats.xmi import XmiWriter, event_features
from annotator.store.database import Database
from tests.formats.corpus import FIXTURES, Doc, corpus, export

NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
EVENT = "webanno.custom.Event"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"


def load(folder: Path, stem: str, typesystem: str = "TypeSystem.xml") -> Cas:
    with (folder / typesystem).open("rb") as handle:
        ts = load_typesystem(handle)
    with (folder / f"{stem}.xmi").open("rb") as handle:
        return load_cas_from_xmi(handle, typesystem=ts)


def links(host: Any, feature: str = "arguments") -> list[tuple[str, str]]:
    """The WebAnno/INCEpTION slot pattern: an FSArray of link feature structures with role and target."""
    return [(link.role, link.target.get_covered_text()) for link in getattr(host, feature).elements]


def test_cassis_finds_every_entity_and_event(project: Database, schema: Schema, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(project, schema, "xmi", out)
    for record in map(without_rejected, corpus()):
        cas = load(out, file_stem(record.doc_id))
        assert cas.sofa_string == record.text  # CR LF, emoji and combining marks intact
        [meta] = cas.select(METADATA)
        assert meta.documentId == record.doc_id
        entities = sorted((a.begin, a.end, a.value, a.get_covered_text()) for a in cas.select(NE))
        assert entities == sorted((e.start, e.end, e.label, e.text) for e in record.entities)
        texts = {e.id: e.text for e in record.entities}
        events = sorted((a.begin, a.end, a.value, a.get_covered_text(), tuple(links(a))) for a in cas.select(EVENT))
        want = sorted(
            (
                ev.trigger_start,
                ev.trigger_end,
                ev.type,
                ev.trigger_text,
                tuple((x.role, texts[x.entity_id or 0]) for x in ev.arguments),
            )
            for ev in record.events
        )
        assert events == want
        attack = next((a for a in cas.select(EVENT) if a.value == "Conflict.Attack"), None)
        if attack is not None:
            assert attack.attack_mode in schema.event_types["Conflict.Attack"].attributes["attack_mode"]
        assert cas.select("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence")


def test_offsets_in_the_files_count_utf16_units(project: Database, schema: Schema, tmp_path: Path) -> None:
    export(project, schema, "xmi", tmp_path / "out")
    record = without_rejected(corpus()[2])

    def units(offset: int) -> int:
        return len(record.text[:offset].encode("utf-16-le")) // 2

    tree = ET.parse(tmp_path / "out" / f"{file_stem(record.doc_id)}.xmi")
    written = sorted(
        (int(el.get("begin", -1)), int(el.get("end", -1)), el.get("value"))
        for el in tree.iter()
        if el.tag.endswith("NamedEntity")
    )
    assert written == sorted((units(e.start), units(e.end), e.label) for e in record.entities)
    assert any(units(e.start) != e.start for e in record.entities)  # the emoji shifts them


def test_the_reader_handles_real_inception_and_webanno_files() -> None:
    """The same cassis reading, on files INCEpTION and UIMA wrote, finds what their SOURCE.txt describes."""
    emoji = FIXTURES / "uima" / "inception-ner-emoji"
    cas = load(emoji, "cas_with_smileys", "important_dkpro_types.xml")
    assert len(cas.sofa_string) == 836 and "\r\n" in cas.sofa_string
    assert [a.get_covered_text() for a in cas.select(NE)] == [
        "Transformers",
        "Transformers",
        "Transformers",
        "PyTorch",
        "TensorFlow",
    ]
    slot = FIXTURES / "uima" / "webanno-slot-feature"
    cas = load(slot, "debug", "debug-typesystem.xml")
    [host] = cas.select("webanno.custom.SimpleLinkHost")
    assert (host.get_covered_text(), links(host, "links")) == ("This", [("p1", "is"), ("p2", "a")])


def test_what_xmi_cannot_carry_is_counted_by_kind(schema: Schema, tmp_path: Path) -> None:
    doc = Doc("d", "Jets hit Homs and killed nine.")
    doc.ent("Homs", "GPE", normalized={"value": "Homs"}, attrs={"mention_type": "NAM"})
    doc.event("hit", "Conflict.Attack", [], attrs={"polarity": "Negative", "note": "x", "realis": 1})
    doc.event("killed", "Life.Die", [], attrs={"polarity": "Positive"}, fatalities=Fatalities(value=9))
    doc.event("hit", "Conflict.Attack", [], date=EventDate(value="2016-03-01", precision="day"))
    writer = XmiWriter(tmp_path, schema)
    assert writer.write(doc.record(), None) == []
    _files, summaries = writer.close()
    assert summaries == [
        "XMI carries labels, event attributes of the schema and role links only; not carried: entity attributes "
        "(1), entity normalisations (1), event attributes (2), event dates (1), fatalities (1); the jsonl export "
        "keeps them"
    ]  # "note" is no feature of the schema and realis 1 no string: two attributes stay behind
    attack = next(e for e in load(tmp_path, "d").select(EVENT) if e.get_covered_text() == "hit" and e.polarity)
    assert attack.polarity == "Negative" and attack.realis is None


def test_an_argument_that_is_an_event_is_left_out_and_named(schema: Schema, tmp_path: Path) -> None:
    doc = Doc("d", "Jets hit Homs and killed nine.")
    homs = doc.ent("Homs", "GPE")
    attack = doc.event("hit", "Conflict.Attack", [])
    doc.event("killed", "Life.Die", [("Place", homs)])
    doc.events[-1] = replace(doc.events[-1], arguments=(*doc.events[-1].arguments, Argument("Cause", event_id=attack)))
    writer = XmiWriter(tmp_path, schema)
    assert writer.write(doc.record(), None) == [
        "d: event Life.Die 'killed' at 18-24: argument Cause is an event; INCEpTION links point at entity spans, "
        "left out"
    ]
    writer.close()
    die = next(e for e in load(tmp_path, "d").select(EVENT) if e.get_covered_text() == "killed")
    assert links(die) == [("Place", "Homs")]


def test_event_features_are_the_attributes_that_can_be_uima_feature_names() -> None:
    """A feature must be an identifier, and `value` and `arguments` are the Event type's own features."""
    schema = parse_schema(
        "schema: t\nversion: 1\nentity_types: {PER: {}}\n"
        "event_types: {Attack: {attributes: {attack-mode: [a], realis: [actual]}}}\n"
        "event_attributes: {polarity: [Positive], value: [x], arguments: [y], 2nd: [z]}\n"
    )
    assert event_features(schema) == ["polarity", "realis"]
