"""UIMA CAS XMI (INCEpTION, DKPro): one .xmi per document and TypeSystem.xml, written with dkpro-cassis.

Entities are DKPro NamedEntity annotations (`value` = label); events are `webanno.custom.Event` spans
whose link feature `arguments` holds `webanno.custom.EventArgumentsLink` role/target pairs: the type
system INCEpTION generates for a span layer "Event" with a link feature "arguments" to Named entity
(its link types are named layer + Feature + "Link"). Offsets in the files count UTF-16 units; cassis
converts from our code points.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cassis import Cas, TypeSystem

from annotator.core.dto import DocumentRecord, Segmentation
from annotator.core.schema import Schema
from annotator.formats.common import describe_event, file_stem, stem_problem

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
EVENT = "webanno.custom.Event"
EVENT_LINK = "webanno.custom.EventArgumentsLink"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
TYPESYSTEM_FILE = "TypeSystem.xml"
_STRING = "uima.cas.String"


def event_features(schema: Schema) -> list[str]:
    """String features of the event type: the schema's event attributes (polarity, attack_mode, ...)."""
    names = set(schema.event_attributes) | {a for t in schema.event_types.values() for a in t.attributes}
    return sorted(n for n in names if n.isidentifier() and n not in {"value", "arguments"})


def build_typesystem(schema: Schema) -> TypeSystem:
    ts = TypeSystem()
    metadata = ts.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId"):
        ts.create_feature(metadata, name, _STRING)
    ts.create_type(SENTENCE)
    ts.create_type(TOKEN)
    entity = ts.create_type(NAMED_ENTITY)
    ts.create_feature(entity, "value", _STRING)
    ts.create_feature(entity, "identifier", _STRING)
    link = ts.create_type(EVENT_LINK, supertypeName="uima.cas.TOP")
    ts.create_feature(link, "role", _STRING)
    ts.create_feature(link, "target", entity)
    event = ts.create_type(EVENT)
    ts.create_feature(event, "value", _STRING)
    ts.create_feature(event, "arguments", "uima.cas.FSArray", elementType=link)
    for name in event_features(schema):
        ts.create_feature(event, name, _STRING)
    return ts


class XmiWriter:
    """Writes one CAS per document; sentences and tokens go in when a segmentation is given."""

    name = "xmi"
    needs_segmentation = True

    def __init__(self, directory: Path, schema: Schema) -> None:
        self._dir = directory
        self._ts = build_typesystem(schema)
        self._features = set(event_features(schema))
        self._not_carried: Counter[str] = Counter()

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        ts = self._ts
        cas = Cas(typesystem=ts)
        cas.sofa_string = record.text
        cas.add(
            ts.get_type(METADATA)(
                begin=0,
                end=len(record.text),
                documentId=record.doc_id,
                documentTitle=record.title or record.doc_id,
                documentUri=record.url or None,
            )
        )
        if segmentation is not None:
            cas.add_all([ts.get_type(SENTENCE)(begin=s, end=e) for s, e in segmentation.sentences])
            cas.add_all([ts.get_type(TOKEN)(begin=s, end=e) for s, e in segmentation.tokens])
        entity_type, event_type, link_type = ts.get_type(NAMED_ENTITY), ts.get_type(EVENT), ts.get_type(EVENT_LINK)
        entities = {e.id: entity_type(begin=e.start, end=e.end, value=e.label) for e in record.entities}
        cas.add_all(list(entities.values()))
        self._not_carried["entity attributes"] += sum(1 for e in record.entities if e.attrs)
        self._not_carried["entity normalisations"] += sum(1 for e in record.entities if e.normalized)
        problems = []
        for ev in record.events:
            links = []
            for a in ev.arguments:
                if a.entity_id is None:
                    problems.append(
                        f"{describe_event(record, ev)}: argument {a.role} is an event; INCEpTION links "
                        "point at entity spans, left out"
                    )
                    continue
                links.append(link_type(role=a.role, target=entities[a.entity_id]))
            features = {k: v for k, v in ev.attrs.items() if k in self._features and isinstance(v, str)}
            self._not_carried["event attributes"] += len(ev.attrs) - len(features)
            self._not_carried["fatalities"] += ev.fatalities is not None
            self._not_carried["event dates"] += ev.date is not None
            cas.add(
                event_type(
                    begin=ev.trigger_start,
                    end=ev.trigger_end,
                    value=ev.type,
                    arguments=ts.get_type("uima.cas.FSArray")(elements=links),
                    **features,
                )
            )
        (self._dir / f"{file_stem(record.doc_id)}.xmi").write_bytes(cas.to_xmi(pretty_print=True).encode("utf-8"))
        return stem_problem(record.doc_id) + problems

    def close(self) -> tuple[list[Path], list[str]]:
        path = self._dir / TYPESYSTEM_FILE
        path.write_bytes(self._ts.to_xml().encode("utf-8"))
        carried = {k: n for k, n in self._not_carried.items() if n}
        if not carried:
            return [path], []
        counts = ", ".join(f"{k} ({n})" for k, n in sorted(carried.items()))
        return [path], [
            f"XMI carries labels, event attributes of the schema and role links only; not carried: "
            f"{counts}; the jsonl export keeps them"
        ]
