"""Writes brat standoff: the exact .txt and an .ann per document, then annotation.conf and visual.conf."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from annotator.core.dto import DocumentRecord, Entity, Event, Origin, Relation, Segmentation, Status
from annotator.core.schema import Schema, storage_name
from annotator.formats.brat_conf import (
    GAZETTEER,
    REFERENCES,
    TOKEN,
    BratUsage,
    declarable_attributes,
    render_annotation_conf,
    render_tools_conf,
    render_visual_conf,
)
from annotator.formats.common import CrlfMap, date_json, dumps, fatalities_json, file_stem, stem_problem

#: The note type carrying what brat has no line for (fatalities, dates, structured attributes), as JSON.
DATA_NOTE = "AnnotatorData"
#: The note on a model suggestion that lacks a role its type requires (a person has not reviewed it yet).
INCOMPLETE_NOTE = "IncompleteSuggestion"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
_REF_DB = re.compile(r"^[^\s:]+$")
_REF_ID = re.compile(r"^\S+$")
_COORDINATE = re.compile(r"^-?\d{1,3}(\.\d+)?$")
LINE_BREAK = re.compile(r"[\r\n]+")


class BratWriter:
    """One .txt/.ann pair per document; the configuration is written last, declaring all the data used."""

    name = "brat"
    needs_segmentation = False

    def __init__(self, directory: Path, schema: Schema, *, relax_for_suggestions: bool = False) -> None:
        """`relax_for_suggestions`: the export is the model's layer, all suggestions, so a required role its
        suggestions lack is optional in annotation.conf; elsewhere the schema's cardinality stays, and brat's
        validation flags a person's incomplete events and the unreviewed suggestions exported beside them."""
        self._dir = directory
        self._schema = schema
        self._relax = relax_for_suggestions
        self._usage = BratUsage()
        self._declarable = declarable_attributes(schema)
        self._schema_attributes = (
            set(schema.entity_attributes)
            | set(schema.event_attributes)
            | {a for t in schema.event_types.values() for a in t.attributes}
        )

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        lines, problems = self._ann_lines(record)
        stem = file_stem(record.doc_id)
        (self._dir / f"{stem}.txt").write_text(record.text, encoding="utf-8", newline="")
        (self._dir / f"{stem}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="")
        return stem_problem(record.doc_id) + problems

    def close(self) -> tuple[list[Path], list[str]]:
        conf, visual = self._dir / "annotation.conf", self._dir / "visual.conf"
        conf.write_text(render_annotation_conf(self._schema, self._usage), encoding="utf-8", newline="\n")
        visual.write_text(render_visual_conf(self._schema, self._usage), encoding="utf-8", newline="\n")
        written = [conf, visual]
        if self._usage.references:
            tools = self._dir / "tools.conf"
            tools.write_text(render_tools_conf(self._usage), encoding="utf-8", newline="\n")
            written.append(tools)
        mixed = sorted(n for n, use in self._usage.attributes.items() if use.flag and use.values)
        problems = [
            f"attribute {n} is a flag on some annotations and has values on others; brat declares it valued, "
            "so its validator flags the bare uses"
            for n in mixed
        ]
        return written, problems

    # -- one document --------------------------------------------------------------------------------------

    def _ann_lines(self, record: DocumentRecord) -> tuple[list[str], list[str]]:
        crlf = CrlfMap(record.text)
        problems: list[str] = []
        entity_spans = {e.id: _fragments(record, e.start, e.end, crlf, problems) for e in record.entities}
        trigger_spans = {
            ev.id: _fragments(record, ev.trigger_start, ev.trigger_end, crlf, problems) for ev in record.events
        }
        skipped = {i for i, spans in entity_spans.items() if spans is None}
        dropped = {i for i, spans in trigger_spans.items() if spans is None}
        lines = []
        for e in record.entities:
            if e.id not in skipped:
                lines.append(f"T{e.id}\t{storage_name(e.label)} {entity_spans[e.id]}")
                self._usage.entities.add(e.label)
        # Events with one type and trigger span share one T line, as in brat.
        trigger_ids: dict[tuple[str, int, int], str] = {}
        for ev in record.events:
            key = (ev.type, ev.trigger_start, ev.trigger_end)
            if ev.id not in dropped and key not in trigger_ids:
                trigger_ids[key] = f"T{len(record.entities) + len(trigger_ids) + 1}"
                lines.append(f"{trigger_ids[key]}\t{storage_name(ev.type)} {trigger_spans[ev.id]}")
        labels = {e.id: e.label for e in record.entities}
        for ev in record.events:
            if ev.id not in dropped:
                trigger = trigger_ids[(ev.type, ev.trigger_start, ev.trigger_end)]
                arguments = self._arguments(record, ev, labels, skipped, dropped, problems)
                lines.append(f"E{ev.id}\t{storage_name(ev.type)}:{trigger}{arguments}")
        lines += self._relations(record, skipped, problems)
        lines += self._extras(record, skipped, dropped, problems)
        return lines, problems

    def _arguments(
        self,
        record: DocumentRecord,
        ev: Event,
        labels: dict[int, str],
        skipped: set[int],
        dropped: set[int],
        problems: list[str],
    ) -> str:
        roles = self._usage.roles[ev.type]  # touching it declares the type even without arguments
        seen: Counter[str] = Counter()
        out = ""
        for a in ev.arguments:
            if a.entity_id in skipped or a.event_id in dropped:
                problems.append(f"{record.doc_id}: argument {a.role} of event {ev.type} left out with its span")
                continue
            seen[a.role] += 1
            # brat numbers repeated roles: the second Victim is Victim2.
            role = a.role if seen[a.role] == 1 else f"{a.role}{seen[a.role]}"
            if seen[a.role] == 2 and a.role[-1:].isdigit():
                problems.append(f"{record.doc_id}: role {a.role} ends in a digit, so brat cannot number its repeats")
            if a.entity_id is not None:
                out += f" {role}:T{a.entity_id}"
                roles[a.role].add(storage_name(labels[a.entity_id]))
            else:
                out += f" {role}:E{a.event_id}"
                roles[a.role].add("<EVENT>")
        return out

    def _relations(self, record: DocumentRecord, skipped: set[int], problems: list[str]) -> list[str]:
        labels = {e.id: e.label for e in record.entities}
        lines: list[str] = []
        groups: dict[str, dict[int, int]] = defaultdict(dict)  # equivalence type -> union-find parents
        for r in record.relations:
            if r.arg1 in skipped or r.arg2 in skipped:
                problems.append(f"{record.doc_id}: relation {r.type} left out with its span")
                continue
            if r.attrs.get("equivalence"):
                parents = groups[r.type]
                parents[_root(parents, r.arg1)] = _root(parents, r.arg2)
                self._usage.relation(r.type, "Arg1", "Arg2", True, labels[r.arg1], labels[r.arg2])
                if set(r.attrs) - {"equivalence"}:
                    problems.append(f"{record.doc_id}: brat equivalences hold no attributes or notes ({r.type})")
                continue
            if r.role1 == r.role2:
                problems.append(f"{record.doc_id}: relation {r.type} has two {r.role1} roles, which brat refuses")
                continue
            lines.append(f"R{len(lines) + 1}\t{storage_name(r.type)} {r.role1}:T{r.arg1} {r.role2}:T{r.arg2}")
            self._usage.relation(r.type, r.role1, r.role2, False, labels[r.arg1], labels[r.arg2])
        for rel_type, parents in sorted(groups.items()):
            members: dict[int, list[int]] = defaultdict(list)
            for node in sorted(parents):
                members[_root(parents, node)].append(node)
            for group in sorted(members.values()):
                lines.append(f"*\t{storage_name(rel_type)} " + " ".join(f"T{i}" for i in group))
        return lines

    def _extras(self, record: DocumentRecord, skipped: set[int], dropped: set[int], problems: list[str]) -> list[str]:
        """A, N and # lines for every annotation, in T, E, R order."""
        targets: list[tuple[str, str, Entity | Event | Relation]] = []
        targets += [(f"T{e.id}", storage_name(e.label), e) for e in record.entities if e.id not in skipped]
        targets += [(f"E{ev.id}", storage_name(ev.type), ev) for ev in record.events if ev.id not in dropped]
        plain = [r for r in record.relations if not r.attrs.get("equivalence") and r.role1 != r.role2]
        plain = [r for r in plain if r.arg1 not in skipped and r.arg2 not in skipped]
        targets += [(f"R{i}", storage_name(r.type), r) for i, r in enumerate(plain, 1)]
        attributes: list[str] = []
        normalizations: list[str] = []
        notes: list[str] = []
        for target, stored_type, item in targets:
            data: dict[str, Any] = {}
            for key, value in sorted(item.attrs.items()):
                if key == "notes" and _is_notes(value):
                    for note in value:
                        text = LINE_BREAK.sub(" ", note["text"]).replace("\t", " ")
                        if text != note["text"]:
                            problems.append(f"{record.doc_id}: line breaks in a note on {target} became spaces")
                        notes.append(f"#{len(notes) + 1}\t{note['type']} {target}\t{text}")
                elif not self._attribute_line(key, value, stored_type, target, attributes):
                    data.setdefault("attrs", {})[key] = value
                    if self._free_text(key, value):  # shown in brat as a note; the data note keeps it exactly
                        notes.append(f"#{len(notes) + 1}\t{key} {target}\t{LINE_BREAK.sub(' ', value)}")
            if isinstance(item, Entity):
                normalized = dict(item.normalized) if item.normalized is not None else None
                refs = normalized.pop("refs", None) if normalized else None
                ours = False  # references of our own resources read back as the value they show, unless noted
                if refs is not None and not _writable_refs(refs):
                    normalized = {**(normalized or {}), "refs": refs}
                elif refs is not None:
                    for ref in refs:
                        number = len(normalizations) + 1
                        normalizations.append(f"N{number}\tReference {target} {ref['db']}:{ref['id']}\t" + ref["text"])
                        if ref["db"] in REFERENCES:
                            self._usage.references.add(ref["db"])
                            ours = True
                if normalized or item.normalized == {} or ours:
                    data["normalized"] = normalized
                for db, ref_id, shown in derived_references(item.normalized):  # what brat shows; the data note keeps it
                    normalizations.append(f"N{len(normalizations) + 1}\tReference {target} {db}:{ref_id}\t{shown}")
                    self._usage.references.add(db)
            if isinstance(item, Event) and item.incident is not None:
                data["incident"] = item.incident
            if isinstance(item, Event) and (missing := self._missing_roles(item)):
                if self._relax:
                    self._usage.relaxed[item.type].update(missing)
                else:
                    problems.append(
                        f"{record.doc_id}: unreviewed suggestion {item.type} {item.trigger_text!r} lacks "
                        f"{', '.join(missing)}; noted, and brat's validation flags it"
                    )
                notes.append(
                    f"#{len(notes) + 1}\t{INCOMPLETE_NOTE} {target}\tnot reviewed; lacks required role(s): "
                    + ", ".join(missing)
                )
            if isinstance(item, Event):
                data.update(
                    {
                        k: v
                        for k, v in (("fatalities", fatalities_json(item.fatalities)), ("date", date_json(item.date)))
                        if v
                    }
                )
            if isinstance(item, Entity | Event) and (item.origin != Origin.HUMAN or item.status != Status.ACCEPTED):
                data["origin"], data["status"] = str(item.origin), str(item.status)
            if data:
                notes.append(f"#{len(notes) + 1}\t{DATA_NOTE} {target}\t{dumps(data)}")
        return attributes + normalizations + notes

    def _free_text(self, key: str, value: Any) -> bool:
        """A value outside the schema's closed lists (the suggester's attribution): a note, never an A line."""
        return key not in self._schema_attributes and bool(TOKEN.match(key)) and isinstance(value, str) and bool(value)

    def _missing_roles(self, event: Event) -> list[str]:
        """Required roles an unreviewed suggestion does not fill (a person's own events are theirs to fix)."""
        spec = self._schema.event_types.get(event.type)
        if spec is None or event.status != Status.SUGGESTED:
            return []
        filled = Counter(a.role for a in event.arguments)
        return [r.name for r in spec.roles if filled[r.name] < r.min]

    def _attribute_line(self, key: str, value: Any, stored_type: str, target: str, out: list[str]) -> bool:
        """Write an A line when brat can hold the attribute: a flag, or a one-token value of a declarable name."""
        if not TOKEN.match(key) or (key in self._schema_attributes and key not in self._declarable):
            return False
        if self._free_text(key, value):
            return False
        if value is not True and not (isinstance(value, str) and TOKEN.match(value)):
            return False
        use = self._usage.attributes[key]
        use.targets.add(stored_type)
        if value is True:
            use.flag = True
            out.append(f"A{len(out) + 1}\t{key} {target}")
        else:
            use.values.add(value)
            out.append(f"A{len(out) + 1}\t{key} {target} {value}")
        return True


def derived_references(normalized: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(resource, id, text) of the N lines showing a normalised value in brat: the gazetteer entry a mention
    names (an actor, a monitor, a person, a place) with its GeoNames id where it has one, a geocoded place's
    coordinates (as geocoding by hand or an ACLED-style gazetteer write them), or a date."""
    if not normalized:
        return []
    name = normalized.get("name")
    shown = LINE_BREAK.sub(" ", name).replace("\t", " ") if isinstance(name, str) and name.strip() else None
    refs = []
    entry, geonames = normalized.get("id"), normalized.get("geonameid")
    if shown and isinstance(entry, str) and _REF_ID.match(entry):
        refs.append((GAZETTEER, entry, shown))
    if shown and isinstance(geonames, int | str) and not isinstance(geonames, bool) and _REF_ID.match(str(geonames)):
        refs.append(("GeoNames", str(geonames), shown))
    lat, lon = normalized.get("lat", normalized.get("latitude")), normalized.get("lon", normalized.get("longitude"))
    if shown and isinstance(lat, int | float) and isinstance(lon, int | float):
        refs.append(("OpenStreetMap", f"{lat:.5f}/{lon:.5f}", shown))
    value = normalized.get("value")
    if isinstance(value, str) and _DATE.match(value):
        refs.append(("ISO8601", value, value))
    return refs


def value_of_references(refs: list[dict[str, str]]) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    """The normalised value that N lines of our own resources give when no data note holds it (a file made or
    edited in brat): the inverse of derived_references. The other references come back as they are."""
    value: dict[str, Any] = {}
    rest = []
    for ref in refs:
        db, ref_id = ref["db"], ref["id"]
        lat, _, lon = ref_id.partition("/")
        if db == GAZETTEER and "id" not in value:
            value["id"] = ref_id
        elif db == "GeoNames" and ref_id.isdigit() and str(int(ref_id)) == ref_id and "geonameid" not in value:
            value["geonameid"] = int(ref_id)
        elif db == "OpenStreetMap" and _COORDINATE.match(lat) and _COORDINATE.match(lon) and "lat" not in value:
            value["lat"], value["lon"] = float(lat), float(lon)
        elif db == "ISO8601" and _DATE.match(ref_id) and "value" not in value:
            value.update({"value": ref_id, "precision": _date_precision(ref_id)})
            continue
        else:
            rest.append(ref)
            continue
        value.setdefault("name", ref["text"])
    return value or None, rest


def _date_precision(value: str) -> str:
    if "W" in value:
        return "week"
    return {4: "year", 7: "month"}.get(len(value), "day")


def _root(parents: dict[int, int], node: int) -> int:
    parents.setdefault(node, node)
    while parents[node] != node:
        node = parents[node]
    return node


def _is_notes(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(n, dict)
        and set(n) == {"type", "text"}
        and isinstance(n["text"], str)
        and isinstance(n["type"], str)
        and TOKEN.match(n["type"])
        for n in value
    )


def _writable_refs(refs: Any) -> bool:
    """N lines hold a resource, an id and a one-line text; anything richer goes in the data note."""
    return isinstance(refs, list) and all(
        isinstance(r, dict)
        and set(r) == {"db", "id", "text"}
        and _REF_DB.match(str(r["db"]))
        and TOKEN.match(str(r["id"]))
        and isinstance(r["text"], str)
        and not LINE_BREAK.search(r["text"])
        for r in refs
    )


def _fragments(record: DocumentRecord, start: int, end: int, crlf: CrlfMap, problems: list[str]) -> str | None:
    """`s e[;s e]<TAB>text` in brat offsets; a span across line breaks becomes fragments, as brat makes them."""
    pieces = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\r\n]+", record.text[start:end])]
    if not pieces:
        problems.append(f"{record.doc_id}: span {start}-{end} holds only line breaks; left out")
        return None
    if pieces[0][0] != start or pieces[-1][1] != end:
        problems.append(f"{record.doc_id}: span {start}-{end} starts or ends with a line break, which brat leaves out")
    offsets = ";".join(f"{crlf.to_brat(s)} {crlf.to_brat(e)}" for s, e in pieces)
    return offsets + "\t" + " ".join(record.text[s:e] for s, e in pieces)
