"""Hostile input to every importer: a clear problem naming the file (and line), or a correct import.

Never a traceback, and never a half-written document: whatever is stored is consistent with its text.
Hypothesis runs a fixed, derandomised set of examples so the suite stays fast and repeatable.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from annotator.core.schema import load_schema
from annotator.services.importer import ImportResult, import_paths
from annotator.store import models as m
from annotator.store.database import Database

SCHEMA = load_schema()  # not a fixture: hypothesis would print its whole YAML with every example
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LABELS = ["PER", "ORG", "GPE", "Person", "Organization", "Conflict_Attack", "Conflict.Attack", "Weird", "", "T1"]
ROLES = ["Attacker", "Place", "Target", "Victim", "Attacker2", "Nope", ""]

# text that exercises offsets: astral characters (two UTF-16 units), combining marks, CRLF, RTL script
texts = st.lists(
    st.sampled_from([*"ab Homs\n\r\t.,“”", "\U0001f600", "é", "e\u0301", "حمص", "\x00", "\ufeff", "<b>"]), max_size=40
).map("".join)
KEYS = [
    "text",
    "id",
    "label",
    "entities",
    "relations",
    "annotations",
    "text_sha256",
    "entity_mentions",
    "event_mentions",
    "doc_id",
    "published",
    "title",
    "boilerplate",
    "meta",
    "status",
]
numbers = st.one_of(st.integers(-3, 90), st.sampled_from([2**31, -(2**63), 10**20]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def fuzz_db(tmp_path: Path) -> Iterator[Database]:
    database = Database("sqlite:///" + str(tmp_path / "fuzz.sqlite3"))
    yield database
    database.dispose()


def _import(db: Database, path: Path) -> ImportResult:
    return import_paths(db, [path], annotator="fuzz", preannotator=None, schema=SCHEMA)


def _check(db: Database, result: ImportResult, inputs: Path) -> None:
    """Problems name an input file; every stored annotation points at its own text."""
    for problem in result.problems:
        assert problem.message and problem.severity in {"error", "warning"}
        assert Path(problem.path) == inputs or inputs in Path(problem.path).parents, problem
    with db.reader() as session:
        texts_by_id = dict(session.execute(select(m.Document.id, m.Document.text)).all())
        for doc, start, end, text in session.execute(
            select(m.EntityMention.document_id, m.EntityMention.start, m.EntityMention.end, m.EntityMention.text)
        ):
            assert 0 <= start <= end <= len(texts_by_id[doc]) and texts_by_id[doc][start:end] == text
        for doc, start, end, text in session.execute(
            select(m.Event.document_id, m.Event.trigger_start, m.Event.trigger_end, m.Event.trigger_text)
        ):
            assert texts_by_id[doc][start:end] == text
        for event_doc, entity_doc in session.execute(
            select(m.Event.document_id, m.EntityMention.document_id)
            .join(m.EventArgument, m.EventArgument.event_id == m.Event.id)
            .join(m.EntityMention, m.EntityMention.id == m.EventArgument.entity_id)
        ):
            assert event_doc == entity_doc


def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-"))


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".jsonl", ""]))
def test_random_bytes(fuzz_db: Database, data: bytes, suffix: str) -> None:
    folder = _folder()
    try:
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        _check(fuzz_db, _import(fuzz_db, path), folder)
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(
    flavour=st.sampled_from([{"text": "x"}, {"text": "x", "label": []}, {"text": "x", "text_sha256": ""}]),
    lines=st.lists(
        st.one_of(
            json_values.map(json.dumps),
            # real keys of the three JSON Lines flavours, with values of any shape
            st.dictionaries(st.sampled_from(KEYS), st.one_of(json_values, texts), max_size=6).map(json.dumps),
            st.builds(
                lambda text, extra: json.dumps({"text": text, **extra}),
                texts,
                st.dictionaries(st.sampled_from(KEYS[2:]), json_values, min_size=1, max_size=3),
            ),
            st.fixed_dictionaries(
                {"text": texts},
                optional={
                    "id": st.one_of(st.integers(), st.text(max_size=5)),
                    "title": texts,
                    "published": st.one_of(st.text(max_size=12), numbers),
                    "label": st.lists(st.tuples(numbers, numbers, st.sampled_from(LABELS)).map(list), max_size=3),
                    "entities": st.lists(
                        st.fixed_dictionaries(
                            {
                                "id": numbers,
                                "start_offset": numbers,
                                "end_offset": numbers,
                                "label": st.sampled_from(LABELS),
                            }
                        ),
                        max_size=3,
                    ),
                    "text_sha256": st.text(max_size=4),
                    "entity_mentions": st.lists(
                        st.fixed_dictionaries(
                            {
                                "id": st.sampled_from(["E1", "E2", "x"]),
                                "type": st.sampled_from(LABELS),
                                "start": numbers,
                                "end": numbers,
                            }
                        ),
                        max_size=3,
                    ),
                },
            ).map(json.dumps),
            st.text(max_size=30),
        ),
        max_size=5,
    ),
)
def test_hostile_json_lines(fuzz_db: Database, flavour: dict[str, object], lines: list[str]) -> None:
    folder = _folder()
    try:
        path = folder / "input.jsonl"
        # the first line decides how the file is read (articles, doccano or native): make it one of them
        body = [json.dumps(flavour), *lines]
        path.write_text("\n".join(body), encoding="utf-8", errors="surrogatepass")
        result = _import(fuzz_db, path)
        _check(fuzz_db, result, folder)
        assert all(p.line is not None for p in result.problems if p.severity == "error" and "line" not in p.message)
    finally:
        shutil.rmtree(folder)


ann_lines = st.one_of(
    st.builds(
        lambda n, label, s, e, text: f"T{n}\t{label} {s} {e}\t{text}",
        st.integers(1, 4),
        st.sampled_from(LABELS),
        numbers,
        numbers,
        texts.map(lambda t: t.replace("\n", " ").replace("\r", " ")),
    ),
    st.builds(
        lambda n, label, t, role, a: f"E{n}\t{label}:T{t} {role}:T{a}",
        st.integers(1, 3),
        st.sampled_from(LABELS),
        st.integers(1, 4),
        st.sampled_from(ROLES),
        st.integers(1, 5),
    ),
    st.builds(lambda n, t: f"A{n}\tNegation E{t}", st.integers(1, 3), st.integers(1, 3)),
    st.builds(lambda n, t: f"#{n}\tAnnotatorNotes T{t}\tnote", st.integers(1, 3), st.integers(1, 5)),
    st.builds(
        lambda n, a, b: f"R{n}\tLocated Arg1:T{a} Arg2:T{b}", st.integers(1, 3), st.integers(1, 5), st.integers(1, 5)
    ),
    st.text(max_size=20).map(lambda t: t.replace("\n", " ")),
)


@FUZZ
@given(text=texts, lines=st.lists(ann_lines, max_size=8), conf=st.booleans())
def test_hostile_standoff(fuzz_db: Database, text: str, lines: list[str], conf: bool) -> None:
    folder = _folder()
    try:
        (folder / "doc.txt").write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
        (folder / "doc.ann").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        if conf:
            (folder / "annotation.conf").write_text(
                "[entities]\nPerson\nOrganization\nGPE\n[relations]\nLocated Arg1:Person, Arg2:GPE\n"
                "[events]\nConflict_Attack\tAttacker?:Person|Organization, Place?:GPE\n[attributes]\n"
                "Negation Arg:<EVENT>\n",
                encoding="utf-8",
            )
        result = _import(fuzz_db, folder)
        _check(fuzz_db, result, folder)
        assert all(p.line is not None for p in result.problems if p.path.endswith(".ann") and "line" in p.message)
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(
    text=st.text(min_size=1, max_size=60).filter(str.strip),
    spans=st.lists(
        st.tuples(st.integers(0, 59), st.integers(1, 60), st.sampled_from(["PER", "ORG", "GPE"])), max_size=4
    ),
)
def test_valid_standoff_imports_exactly(fuzz_db: Database, text: str, spans: list[tuple[int, int, str]]) -> None:
    """Well-formed brat files come back exactly: every span at its offsets, with its label."""
    text = text.replace("\r", " ").replace("\x00", " ")
    spans = sorted(
        {
            (s, e, label)
            for s, e, label in spans
            if s < e <= len(text) and text[s:e].strip() == text[s:e] and "\n" not in text[s:e]
        }
    )
    folder = _folder()
    try:
        (folder / "doc.txt").write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
        ann = "".join(f"T{i}\t{label} {s} {e}\t{text[s:e]}\n" for i, (s, e, label) in enumerate(spans, 1))
        (folder / "doc.ann").write_text(ann, encoding="utf-8", errors="surrogatepass")
        result = _import(fuzz_db, folder)
        _check(fuzz_db, result, folder)
        with fuzz_db.reader() as session:
            doc = session.scalar(select(m.Document.id).where(m.Document.text == text))
            stored = sorted(
                session.execute(
                    select(m.EntityMention.start, m.EntityMention.end, m.EntityMention.label).where(
                        m.EntityMention.document_id == doc
                    )
                ).all()
            )
        if result.added or result.layers_added:
            assert [tuple(r) for r in stored] == spans
    finally:
        shutil.rmtree(folder)
