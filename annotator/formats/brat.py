"""Reads brat standoff: a folder of .txt/.ann pairs with its annotation.conf, or one pair, into records."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.dto import Argument, DocumentRecord, Entity, Event, ReadProblem, Relation
from annotator.core.schema import Schema
from annotator.formats.brat_conf import Vocabulary, load_vocabulary
from annotator.formats.brat_write import (
    DATA_NOTE,
    INCOMPLETE_NOTE,
    LINE_BREAK,
    derived_references,
    value_of_references,
)
from annotator.formats.common import CrlfMap, date_from, doc_id_from_stem, fatalities_from

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_OFFSETS = re.compile(r"^(\d+) (\d+)$")


def read_brat(path: Path, *, schema: Schema | None = None) -> Iterator[DocumentRecord | ReadProblem]:
    """Every .ann/.txt pair at the top of a brat folder, or the one pair `path` names.

    Labels must be declared in the folder's annotation.conf or in `schema` (when either exists). What
    our model cannot hold (discontinuous spans, relations between events, ...) comes back as warnings.
    """
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if path.is_dir():
        stems = sorted(p.name[:-4] for p in folder.iterdir() if p.suffix == ".ann")
        for lone in sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.name[:-4] not in stems):
            yield ReadProblem(
                str(lone), "no .ann file beside this .txt; not read as a brat document", severity="warning"
            )
    else:
        stems = [path.name[: -len(path.suffix)] if path.suffix in {".ann", ".txt"} else path.name]
    vocabulary = load_vocabulary(folder, schema)
    for stem in stems:
        yield from _Document(folder, stem, vocabulary).read()


@dataclass
class _Item:
    """One parsed .ann line: what it names and where it is."""

    kind: str  # T E R * A N #
    id: str
    line: int
    type: str
    target: str = ""
    args: list[tuple[str, str]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    value: Any = None


@dataclass
class _Built:
    """A held annotation while it is assembled; the frozen DTO is made once every line is attached."""

    kind: str  # entity | event | relation
    number: int
    item: _Item
    span: tuple[int, int] = (0, 0)
    args: list[Argument] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    refs: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)

    def attributes(self) -> dict[str, Any]:
        """A lines, notes and the data note's attributes, without the notes our export derives from the data
        (a free-text attribute shown as a note, an incomplete suggestion's note): they read back as they were."""
        data_attrs = self.data.get("attrs", {})
        views = {(k, LINE_BREAK.sub(" ", v)) for k, v in data_attrs.items() if isinstance(v, str)}
        if self.data.get("status") == "suggested":
            views |= {(n["type"], n["text"]) for n in self.notes if n["type"] == INCOMPLETE_NOTE}
        notes = [n for n in self.notes if (n["type"], n["text"]) not in views]
        return {**self.attrs, **({"notes": notes} if notes else {}), **data_attrs}

    def references(self) -> list[dict[str, str]]:
        """N lines, less those our export derived from the data note's normalised value."""
        refs = list(self.refs)
        for db, ref_id, text in derived_references(self.data.get("normalized")):
            derived = {"db": db, "id": ref_id, "text": text}
            if derived in refs:
                refs.remove(derived)
        return refs


class _Document:
    """Reads one .txt/.ann pair; any error drops the whole document, warnings name what was not held."""

    def __init__(self, folder: Path, stem: str, vocabulary: Vocabulary) -> None:
        self.txt, self.ann = folder / f"{stem}.txt", folder / f"{stem}.ann"
        self.doc_id = doc_id_from_stem(stem)
        self.vocab = vocabulary
        self.errors: list[ReadProblem] = []
        self.warnings: list[ReadProblem] = []
        self.crlf = CrlfMap("")

    def error(self, message: str, line: int | None = None) -> None:
        self.errors.append(ReadProblem(str(self.ann), message, line=line, doc_id=self.doc_id))

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(ReadProblem(str(self.ann), message, line=line, doc_id=self.doc_id, severity="warning"))

    def read(self) -> Iterator[DocumentRecord | ReadProblem]:
        if not self.txt.exists():
            yield ReadProblem(str(self.ann), "no .txt file beside this .ann", doc_id=self.doc_id)
            return
        source = self.txt
        try:
            text = self.txt.read_bytes().decode("utf-8")  # exact text: no newline translation
            source = self.ann
            lines = _LINE_SPLIT.split(self.ann.read_bytes().decode("utf-8-sig")) if self.ann.exists() else []
        except UnicodeDecodeError as exc:
            yield ReadProblem(str(source), f"not UTF-8: {exc.reason} at byte {exc.start}", doc_id=self.doc_id)
            return
        self.crlf = CrlfMap(text)
        items: dict[str, _Item] = {}
        equivalences: list[_Item] = []
        for number, line in enumerate(lines, 1):
            item = self._parse(line, number, text) if line.strip() else None
            if item is None:
                continue
            if item.kind == "*":
                equivalences.append(item)
            elif item.id in items:
                self.error(f"{item.id} is defined twice (first on line {items[item.id].line})", number)
            else:
                items[item.id] = item
        record = None if self.errors else self._build(text, items, equivalences)
        if record is None:
            yield from self.errors
            return
        yield from self.warnings
        yield record

    # -- one line ------------------------------------------------------------------------------------------

    def _parse(self, line: str, number: int, text: str) -> _Item | None:
        ident, tab, rest = line.partition("\t")
        kind = ident[:1]
        if not tab or not re.match(r"^(\*|[TERAMN]\d+|#\d*)$", ident):
            self.error(f"not a brat annotation line (ID<TAB>DATA): {line[:60]!r}", number)
            return None
        data, _, tail = rest.partition("\t")
        fields = data.split()
        try:
            if kind == "T":
                ttype, _, offsets = data.partition(" ")
                return self._textbound(ident, number, ttype, offsets, tail, text)
            if kind == "E":
                etype, trigger = fields[0].split(":")
                return _Item("E", ident, number, etype, target=trigger, args=[_pair(a) for a in fields[1:]])
            if kind == "R":
                rtype, arg1, arg2 = fields
                args = [_pair(arg1), _pair(arg2)]
                if args[0][0] == args[1][0]:
                    raise ValueError("both arguments have the same role")
                return _Item("R", ident, number, rtype, args=args)
            if kind == "*":
                return _Item("*", "*", number, fields[0], args=[("", t) for t in fields[1:]])
            if kind in "AM":
                name, target, *value = data.split(" ", 2)
                return _Item("A", ident, number, name, target=target, value=value[0] if value else True)
            if kind == "N":
                _, target, ref = fields
                db, ref_id = _pair(ref)
                return _Item(
                    "N", ident, number, "Reference", target=target, value={"db": db, "id": ref_id, "text": tail}
                )
            note_type, target = fields
            return _Item("#", ident, number, note_type, target=target, value=tail)
        except (ValueError, IndexError) as exc:
            self.error(f"{ident}: malformed line ({exc}): {line[:80]!r}", number)
            return None

    def _textbound(self, ident: str, number: int, ttype: str, offsets: str, tail: str, text: str) -> _Item | None:
        length = self.crlf.to_brat(len(text))
        spans = []
        for fragment in offsets.split(";"):
            m = _OFFSETS.match(fragment.strip())
            if m is None:
                raise ValueError(f"offsets {offsets!r} are not START END[;START END...]")
            start, end = int(m.group(1)), int(m.group(2))
            if end > length:
                self.error(f"{ident}: offsets {start} {end} run past the end of the text ({length} characters)", number)
                return None
            if end < start:
                self.error(f"{ident}: offsets {start} {end} end before they start", number)
                return None
            spans.append((self.crlf.from_brat(start), self.crlf.from_brat(end)))
        # brat compares the text field with the span as it reads it: newlines translated, fragments joined by a space.
        expected = " ".join(re.sub(r"\r\n?", "\n", text[s:e]) for s, e in spans)
        if tail and not (tail.startswith(expected) and not tail[len(expected) : len(expected) + 1].strip()):
            self.error(f"{ident}: text {tail!r} does not match the span's text {expected!r}", number)
            return None
        return _Item("T", ident, number, ttype, spans=spans)

    # -- the record ----------------------------------------------------------------------------------------

    def _build(self, text: str, items: dict[str, _Item], equivalences: list[_Item]) -> DocumentRecord | None:
        outside: set[str] = set()
        for item in [*items.values(), *equivalences]:
            if (unknown := self.vocab.unknown(item.kind, item.type)) is not None:
                self.error(f"{item.id}: {unknown}", item.line)
            elif item.kind in "TE" and item.type not in outside and (note := self.vocab.outside_schema(item.type)):
                outside.add(item.type)  # once per label and document, at its first line
                self.warn(f"{item.id}: {note}", item.line)
        triggers = {i.target for i in items.values() if i.kind == "E"}
        spans = {i.id: self._span(text, i) for i in items.values() if i.kind == "T"}
        built: dict[str, _Built] = {}
        counts = {"entity": 0, "event": 0}

        def hold(kind: str, item: _Item, span: tuple[int, int]) -> None:
            counts[kind] += 1
            built[item.id] = _Built(kind, counts[kind], item, span)

        for item in (i for i in items.values() if i.kind == "T" and i.id not in triggers):
            if item.type in self.vocab.event_types:
                self.warn(
                    f"{item.id}: {item.type} trigger {_shown(text, item)} has no event (E line); not held", item.line
                )
            elif (span := spans[item.id]) is not None:
                hold("entity", item, span)
        for item in (i for i in items.values() if i.kind == "E"):
            trigger = items.get(item.target)
            if trigger is None or trigger.kind != "T":
                self.error(f"{item.id}: its trigger {item.target} is not a text-bound (T) annotation", item.line)
            elif trigger.type != item.type:
                self.error(
                    f"{item.id}: type {item.type} differs from its trigger {trigger.id}'s {trigger.type}", item.line
                )
            elif (span := spans[trigger.id]) is None:
                self.warn(f"{item.id}: {item.type} event not held, its trigger {trigger.id} is", item.line)
            else:
                hold("event", item, span)
        events = [b for b in built.values() if b.kind == "event"]
        for event in events:
            event.args = self._arguments(event.item, items, built, triggers)
        relations = self._relations(items, equivalences, built, triggers)
        by_trigger: dict[str, list[str]] = {}
        for event in events:
            by_trigger.setdefault(event.item.target, []).append(event.item.id)
        for item in (i for i in items.values() if i.kind in "AN#"):
            self._attach(item, items, built, by_trigger)
        if self.errors:
            return None
        return DocumentRecord(
            doc_id=self.doc_id,
            text=text,
            entities=tuple(self._entity(text, b) for b in built.values() if b.kind == "entity"),
            events=tuple(self._event(text, b) for b in events),
            relations=tuple(
                Relation(
                    id=k,
                    type=r.type,
                    arg1=r.arg1,
                    arg2=r.arg2,
                    role1=r.role1,
                    role2=r.role2,
                    attrs={**r.attrs, **(b.attributes() if b else {})},
                )
                for k, (r, b) in enumerate(relations, 1)
            ),
        )

    def _span(self, text: str, item: _Item) -> tuple[int, int] | None:
        """The span our model holds: one fragment, or fragments with only whitespace between them."""
        if len(item.spans) == 1:
            return item.spans[0]
        ordered = sorted(item.spans)
        shown = ";".join(f"{s} {e}" for s, e in ordered)
        if all(not text[a[1] : b[0]].strip() for a, b in itertools.pairwise(ordered)):
            self.warn(
                f"{item.id}: discontinuous {item.type} span {shown} held as its covering span "
                "(only whitespace between the fragments)",
                item.line,
            )
            return ordered[0][0], ordered[-1][1]
        self.warn(
            f"{item.id}: discontinuous {item.type} span {shown} {_shown(text, item)} not held "
            "(our spans are contiguous)",
            item.line,
        )
        return None

    def _target(self, owner: _Item, target: str, items: dict[str, _Item], triggers: set[str]) -> _Item | None:
        found = items.get(target)
        if found is None:
            self.error(f"{owner.id}: points at {target}, which is not in the file", owner.line)
        elif target in triggers:
            self.error(f"{owner.id}: points at the trigger {target}; brat names the event (E...) instead", owner.line)
        else:
            return found
        return None

    def _arguments(
        self, item: _Item, items: dict[str, _Item], built: dict[str, _Built], triggers: set[str]
    ) -> list[Argument]:
        siblings = {role for role, _ in item.args}
        arguments = []
        for role, target in item.args:
            if self._target(item, target, items, triggers) is None:
                continue
            filler = built.get(target)
            if filler is None:
                self.warn(f"{item.id}: argument {role}:{target} not held, as {target} is not", item.line)
                continue
            name = self.vocab.role(item.type, role, siblings)
            number = filler.number
            arguments.append(
                Argument(role=name, entity_id=number)
                if filler.kind == "entity"
                else Argument(role=name, event_id=number)
            )
        return arguments

    def _relations(
        self, items: dict[str, _Item], equivalences: list[_Item], built: dict[str, _Built], triggers: set[str]
    ) -> list[tuple[Relation, _Built | None]]:
        out: list[tuple[Relation, _Built | None]] = []
        for item in [*(i for i in items.values() if i.kind == "R"), *equivalences]:
            members = []
            for _, target in item.args:
                found = self._target(item, target, items, triggers)
                if found is not None and (filler := built.get(target)) is not None and filler.kind == "entity":
                    members.append(filler.number)
                elif found is not None:
                    self.warn(
                        f"{item.id} {item.type}: {target} is not a held entity mention; only relations "
                        "between entity mentions are held",
                        item.line,
                    )
            rtype = self.vocab.name(item.type)
            if item.kind == "*":
                out += [
                    (Relation(0, rtype, a, b, attrs={"equivalence": True}), None)
                    for a, b in itertools.pairwise(members)
                ]
            elif len(members) == 2:
                holder = _Built("relation", len(out) + 1, item)
                built[item.id] = holder
                out.append((Relation(0, rtype, members[0], members[1], item.args[0][0], item.args[1][0]), holder))
        return out

    def _attach(
        self, item: _Item, items: dict[str, _Item], built: dict[str, _Built], by_trigger: dict[str, list[str]]
    ) -> None:
        """Put an A, N or # line on what it names; brat forbids these on triggers, so those go to the events."""
        if item.target not in items:
            self.error(f"{item.id}: points at {item.target}, which is not in the file", item.line)
            return
        targets = [item.target]
        if item.target in by_trigger:
            targets = by_trigger[item.target]
            self.warn(
                f"{item.id}: on the trigger {item.target}; attached to its event(s) {', '.join(targets)}", item.line
            )
        for target in targets:
            holder = built.get(target)
            if holder is None:
                self.warn(f"{item.id} {item.type}: not held, as {target} is not", item.line)
            elif item.kind == "A":
                holder.attrs[item.type] = item.value
            elif item.kind == "N" and holder.kind != "entity":
                self.warn(f"{item.id}: normalization of {target} not held (only entity mentions have one)", item.line)
            elif item.kind == "N":
                holder.refs.append(item.value)
            elif item.type == DATA_NOTE and isinstance(data := _json(item.value), dict):
                holder.data.update(data)
            else:
                holder.notes.append({"type": item.type, "text": item.value})

    def _entity(self, text: str, b: _Built) -> Entity:
        normalized = b.data.get("normalized")
        refs = b.references()
        if "normalized" not in b.data:  # made or edited in brat: our resources' N lines give the value back
            normalized, refs = value_of_references(refs)
        if refs:
            normalized = {**(normalized or {}), "refs": refs}
        s, e = b.span
        return Entity(
            id=b.number,
            start=s,
            end=e,
            label=self.vocab.name(b.item.type),
            text=text[s:e],
            origin=b.data.get("origin", "human"),
            status=b.data.get("status", "accepted"),
            normalized=normalized,
            attrs=b.attributes(),
        )

    def _event(self, text: str, b: _Built) -> Event:
        s, e = b.span
        return Event(
            id=b.number,
            type=self.vocab.name(b.item.type),
            trigger_start=s,
            trigger_end=e,
            trigger_text=text[s:e],
            arguments=tuple(b.args),
            attrs=b.attributes(),
            fatalities=fatalities_from(b.data.get("fatalities")),
            date=date_from(b.data.get("date")),
            incident=str(b.data["incident"]) if b.data.get("incident") is not None else None,
            origin=b.data.get("origin", "human"),
            status=b.data.get("status", "accepted"),
        )


def _pair(text: str) -> tuple[str, str]:
    left, sep, right = text.partition(":")
    if not sep or not left or not right:
        raise ValueError(f"{text!r} is not ROLE:ID")
    return left, right


def _shown(text: str, item: _Item) -> str:
    return repr(" ".join(text[s:e] for s, e in item.spans))


def _json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return None
