"""A constructed gold set: news-like documents with the entities, events and roles a reviewer would keep.

Sentences are written with inline marks, `[text](LABEL#key)` for an entity and `<text>(Type: Role=key, ...)`
for an event trigger and its role fillers, so offsets are computed, never typed. Slots ({place}, {actor}...)
are filled from small lists with a seeded random generator. Trigger words such as "strafe", "torch" and
"round up" are not in the schema's lexicon; "blast", "strike" and "battle" are, but here only in senses
that are no attack ("a blast of criticism", "a general strike", "a bitter battle for customers"): a reviewer
rejects them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from annotator.core.dto import Argument, DocStatus, DocumentRecord, Entity, Event
from annotator.services import records
from annotator.services.importer import import_paths
from annotator.store.database import Database

_MARK = re.compile(r"\[(?P<etext>[^\]]+)\]\((?P<label>[A-Z]+)#(?P<key>\w+)\)|<(?P<ttext>[^>]+)>\((?P<spec>[^)]*)\)")

PLACES = ["Idlib", "Aleppo", "Hama", "Daraa", "Raqqa", "Douma", "Palmyra", "Homs", "Latakia", "Manbij", "Azaz"]
ACTORS = ["Syrian", "Russian", "Turkish", "Iraqi", "Iranian"]
SOURCES = [
    "the Syrian Observatory for Human Rights",
    "the White Helmets",
    "Amnesty International",
    "the Local Coordination Committees",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["three", "four", "five", "six", "seven", "eight", "nine", "11", "12", "14"]

TEMPLATES = [
    "[{actor}](GPE#a) jets <strafed>(Conflict.Attack: Attacker=a, Target=b, Place=c) [a convoy](VEH#b) near "
    "[{place}](GPE#c) on [{day}](TIME#d), [{source}](ORG#s) said.",
    "Gunmen <torched>(X.Artifact.DamageDestroy: Agent=g, Artifact=h, Place=c) [{n} houses](FAC#h) in "
    "[{place}](GPE#c), residents said, and [the gunmen](PER#g) fled.",
    "[Security forces](PER#f) <rounded up>(Justice.Arrest-Jail: Agent=f, Person=p, Place=c) [{n} activists](PER#p) in "
    "[{place}](GPE#c) on [{day}](TIME#d), according to [{source}](ORG#s).",
    "[The army](ORG#f) <strafed>(Conflict.Attack: Attacker=f, Place=c) rebel positions outside [{place}](GPE#c), "
    "<killing>(Life.Die: Victim=v, Place=c) [{n} fighters](PER#v).",
    "Thousands of workers joined a general strike in [{place}](GPE#c) on [{day}](TIME#d) to demand higher wages.",
    "The governor of [{place}](GPE#c) faced a blast of criticism from [{source}](ORG#s) over the budget.",
    "[{actor}](GPE#a) warplanes <strafed>(Conflict.Attack: Attacker=a, Target=m, Place=c) [a market](FAC#m) in "
    "[{place}](GPE#c), <wounding>(Life.Injure: Victim=w, Place=c) [{n} people](PER#w).",
    "Militiamen <torched>(X.Artifact.DamageDestroy: Artifact=t, Place=c) [a school](FAC#t) in [{place}](GPE#c) "
    "on [{day}](TIME#d).",
]

#: In every document: "battle" is in the lexicon, and a reviewer rejects it in every one of them.
NOT_AN_ATTACK = "Two firms in [{place}](GPE#c) are locked in a bitter battle for customers, [{source}](ORG#s) said."


def parse_marked(marked: str) -> tuple[str, list[Entity], list[Event]]:
    """Plain text, entities and events (ids from 1) from a marked-up text."""
    text = ""
    keys: dict[str, Entity] = {}
    pending: list[tuple[int, int, str, str]] = []
    last = 0
    for match in _MARK.finditer(marked):
        text += marked[last : match.start()]
        start = len(text)
        if match.group("etext") is not None:
            text += match.group("etext")
            keys[match.group("key")] = Entity(
                len(keys) + 1, start, len(text), match.group("label"), match.group("etext")
            )
        else:
            text += match.group("ttext")
            pending.append((start, len(text), match.group("ttext"), match.group("spec")))
        last = match.end()
    text += marked[last:]
    events = []
    for n, (start, end, trigger, spec) in enumerate(pending, 1):
        event_type, _, roles = spec.partition(":")
        arguments = tuple(
            Argument(role.strip(), keys[key.strip()].id)
            for role, _, key in (part.partition("=") for part in roles.split(",") if part.strip())
        )
        events.append(Event(n, event_type.strip(), start, end, trigger, arguments))
    return text, list(keys.values()), events


def documents(count: int, seed: int = 3, sentences: int = 6) -> Iterator[tuple[str, list[Entity], list[Event]]]:
    """`count` documents of `sentences` filled templates, each a paragraph of its own."""
    rng = random.Random(seed)
    for _ in range(count):
        text = ""
        entities: list[Entity] = []
        events: list[Event] = []
        chosen = [TEMPLATES[i % len(TEMPLATES)] for i in rng.sample(range(len(TEMPLATES) * 2), sentences - 1)]
        chosen.insert(rng.randrange(sentences), NOT_AN_ATTACK)
        for template in chosen:
            filled = template.format(
                place=rng.choice(PLACES),
                actor=rng.choice(ACTORS),
                source=rng.choice(SOURCES),
                day=rng.choice(DAYS),
                n=rng.choice(NUMBERS),
            )
            plain, ents, evs = parse_marked(filled)
            shift, first = len(text), len(entities)
            entities += [replace(e, id=e.id + first, start=e.start + shift, end=e.end + shift) for e in ents]
            events += [
                replace(
                    ev,
                    id=ev.id + len(events),
                    trigger_start=ev.trigger_start + shift,
                    trigger_end=ev.trigger_end + shift,
                    arguments=tuple(replace(a, entity_id=(a.entity_id or 0) + first) for a in ev.arguments),
                )
                for ev in evs
            ]
            text += plain + "\n\n"
        yield text, entities, events


def build_project(db: Database, folder: Path, count: int, *, annotator: str = "alice", preannotator=None):  # type: ignore[no-untyped-def]
    """Import `count` constructed documents with suggestions, then store each reviewer's answer as done.

    Returns the database ids of the documents in order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    golds = list(documents(count))
    for n, (text, _e, _v) in enumerate(golds):
        (folder / f"gold-{n:03d}.txt").write_text(text, encoding="utf-8")
    result = import_paths(db, sorted(folder.glob("gold-*.txt")), annotator=annotator, preannotator=preannotator)
    assert len(result.added) == count, result.problems
    with db.session() as session:
        aid = records.annotator_id(session, annotator)
        for doc_id, (text, entities, events) in zip(result.added, golds, strict=True):
            record = DocumentRecord(doc_id=str(doc_id), text=text, entities=tuple(entities), events=tuple(events))
            records.store_layer(session, doc_id, aid, record, status=DocStatus.DONE)
    return result.added
