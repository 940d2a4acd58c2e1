"""Reads doccano JSONL exports: `label` span triples, relation-style `entities`/`relations`, legacy `annotations`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.core.dto import DocumentRecord, Entity, ReadProblem, Relation
from annotator.core.schema import Schema
from annotator.formats.common import LineError, json_objects, span_problem

#: Keys that carry annotations; every other key of a line is kept in the document's meta.
_ANNOTATION_KEYS = {"text", "label", "labels", "entities", "relations", "annotations", "id"}


def read_doccano(
    path: Path, *, schema: Schema | None = None, label_names: Mapping[int, str] | None = None
) -> Iterator[DocumentRecord | ReadProblem]:
    """Every line of a doccano export as a document; doc ids are doccano's `id`, else FILE:LINE.

    Legacy exports name labels by number: `label_names` maps them; unmapped numbers are kept as the
    label "2" (say) and reported. With `schema`, labels are mapped onto its types where a rule exists
    (Schema.resolve_label); others are kept and reported.
    """
    unnamed: set[int] = set()  # legacy label numbers and labels outside the schema: reported once a file,
    outside: set[str] = set()  # at their first line, not on each of thousands of lines
    path = Path(path)
    for number, data in json_objects(path):
        doc_id = f"{path.stem}:{number}"
        if isinstance(data, str):
            yield ReadProblem(str(path), data, line=number, doc_id=doc_id)
            continue
        doc_id = str(data["id"]) if data.get("id") is not None else doc_id
        warnings: list[str] = []
        try:
            record = _record(data, doc_id, schema, label_names or {}, unnamed, outside, warnings)
        except LineError as exc:
            yield ReadProblem(str(path), str(exc), line=number, doc_id=doc_id)
            continue
        except (AttributeError, TypeError, ValueError) as exc:  # a value of the wrong shape inside the line
            yield ReadProblem(str(path), f"malformed line: {exc}", line=number, doc_id=doc_id)
            continue
        for message in warnings:
            yield ReadProblem(str(path), message, line=number, doc_id=doc_id, severity="warning")
        yield record


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LineError(f"{what} {value!r} is not a whole number")
    return value


def _record(
    data: dict[str, Any],
    doc_id: str,
    schema: Schema | None,
    label_names: Mapping[int, str],
    unnamed: set[int],
    outside: set[str],
    warnings: list[str],
) -> DocumentRecord:
    text = data.get("text")
    if not isinstance(text, str):
        raise LineError("no 'text' string")
    meta = {k: v for k, v in data.items() if k not in _ANNOTATION_KEYS}
    spans: list[tuple[Any, Any, Any, Any]] = []  # (doccano id, start, end, label)
    raw_label = data.get("label", data.get("labels"))
    if isinstance(raw_label, list) and all(isinstance(x, str) for x in raw_label) and raw_label:
        meta["categories"] = raw_label
        warnings.append(f"document categories {raw_label} are not spans; kept in the document's meta")
    elif isinstance(raw_label, list):
        for k, item in enumerate(raw_label):
            if not isinstance(item, list) or len(item) != 3:
                raise LineError(f"label item {k} is not [start, end, label]")
            spans.append((k, *item))
    for item in data.get("entities") or []:
        spans.append((item.get("id"), item.get("start_offset"), item.get("end_offset"), item.get("label")))
    users = set()
    for item in data.get("annotations") or []:
        spans.append((item.get("id"), item.get("start_offset"), item.get("end_offset"), item.get("label")))
        users.add(item.get("user"))
    if len(users) > 1:
        warnings.append(f"annotations of {len(users)} doccano users ({sorted(map(str, users))}) go into one layer")
    known = {*schema.entity_types, *schema.event_types} if schema is not None else None
    entities = []
    ids: dict[Any, int] = {}
    for k, (source_id, start, end, label) in enumerate(spans, 1):
        where = f"span {source_id}: "
        start, end = _int(start, where + "start"), _int(end, where + "end")
        if isinstance(label, int) and not isinstance(label, bool):
            if label not in label_names and label not in unnamed:
                unnamed.add(label)
                warnings.append(
                    f"label id {label} has no name in a legacy doccano export; kept as label "
                    f"'{label}' (give the label names to map it)"
                )
            label = label_names.get(label, str(label))
        if not isinstance(label, str) or not label:
            raise LineError(f"{where}label {label!r} is not a name")
        problem = span_problem(text, start, end, None)
        if problem or start == end:
            raise LineError(where + (problem or f"empty span at {start}"))
        if schema is not None and known is not None and label not in known:
            mapped = schema.resolve_label(label)  # "PERSON", "Organization", ... where a rule says how
            if mapped is not None:
                label = mapped
            elif label not in outside:
                outside.add(label)
                warnings.append(f"{where}label {label!r} is not in the project schema and no rule maps it; kept as is")
        ids[source_id] = k
        entities.append(Entity(id=k, start=start, end=end, label=label, text=text[start:end]))
    relations: list[Relation] = []
    for item in data.get("relations") or []:
        arg1, arg2 = ids.get(item.get("from_id")), ids.get(item.get("to_id"))
        if arg1 is None or arg2 is None or not isinstance(item.get("type"), str):
            raise LineError(f"relation {item} points at a missing entity or has no type")
        relations.append(Relation(id=len(relations) + 1, type=item["type"], arg1=arg1, arg2=arg2))
    return DocumentRecord(doc_id=doc_id, text=text, meta=meta, entities=tuple(entities), relations=tuple(relations))
