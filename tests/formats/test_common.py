"""Shared format helpers: brat's newline offsets, reversible file names, token cutting and sentence joining."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.dto import Argument, DocumentRecord, Entity, Event, EventDate, Fatalities, Relation, Segmentation
from annotator.core.schema import storage_name
from annotator.formats.align import windows
from annotator.formats.common import (
    CrlfMap,
    date_from,
    date_json,
    describe_entity,
    describe_event,
    doc_id_from_stem,
    dumps,
    fatalities_from,
    fatalities_json,
    file_stem,
    json_objects,
    span_problem,
    stem_problem,
    without_private_attributes,
    without_rejected,
)


def test_crlf_offsets_match_what_universal_newlines_read() -> None:
    text = "a\r\nb\r\n\r\nc🇸🇾\rd\r\n"
    read = text.replace("\r\n", "\n").replace("\r", "\n")  # what brat and pybrat see
    crlf = CrlfMap(text)
    for raw in range(len(text) + 1):
        if raw > 0 and text[raw - 1 : raw + 1] == "\r\n":
            continue  # between CR and LF is no position brat can name
        brat = crlf.to_brat(raw)
        assert crlf.from_brat(brat) == raw
        assert read[:brat].replace("\n", "") == text[:raw].replace("\r\n", "").replace("\r", "")
    assert crlf.to_brat(len(text)) == len(read)


@pytest.mark.parametrize("doc_id", ["plain", "a/b c", "..", ".hidden", "", "🇸🇾 Ḥomṣ", "100%", "x:y?z"])
def test_file_stems_are_safe_and_reversible(doc_id: str) -> None:
    stem = file_stem(doc_id)
    assert "/" not in stem and not stem.startswith(".") and stem
    assert doc_id_from_stem(stem) == doc_id


def test_ids_too_long_for_a_file_name_are_cut_and_reported() -> None:
    url = "https://example.org/" + "very-long-path/" * 30
    stem = file_stem(url)
    assert len(stem.encode("utf-8")) <= 200 and stem != file_stem(url + "x")
    assert stem_problem(url) == [
        f"{url}: the id is too long for a file name; written as {stem}, which a re-import takes as its id"
    ]
    assert stem_problem("short") == []


def test_storage_names_are_brats() -> None:
    assert storage_name("X.Conflict.ChangeOfControl") == "X_Conflict_ChangeOfControl"
    assert storage_name("Justice.Arrest-Jail") == "Justice_Arrest-Jail"


def test_tokens_are_cut_at_span_edges_and_sentences_joined_under_a_span() -> None:
    text = "Troops entered Homs. Old City fell. Rebels fled."
    homs_old_city = (text.index("Homs"), text.index(" fell"))  # a mention the splitter cut in two
    record = DocumentRecord(
        doc_id="d",
        text=text,
        entities=(
            Entity(1, *homs_old_city, "LOC", text[homs_old_city[0] : homs_old_city[1]]),
            Entity(2, 10, 14, "X", "ered"),  # inside the token "entered"
        ),
    )
    tokens = tuple((m, m + len(w)) for m, w in _words(text))
    sentences = ((0, 20), (21, 35), (36, len(text)))
    wins, problems = windows(record, Segmentation(tokens=tokens, sentences=sentences))
    assert [(w.start, w.end) for w in wins] == [(0, 35), (36, len(text))]
    assert problems == ["d: token 'entered' at 7-14 cut at 10 to fit a span edge"]
    first = wins[0]
    assert [text[s:e] for s, e in first.tokens][:3] == ["Troops", "ent", "ered"]
    assert first.token_span(*homs_old_city) == (3, 7)
    assert first.token_span(0, 3) is None  # "Tro" is not on token edges


def _words(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for word in text.replace(".", " .").split():
        at = text.index(word, at)
        out.append((at, word))
        at += len(word)
    return out


def test_json_lines_name_each_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        "\ufeff".encode() + b'{"a": 1}\n\n  \n[1, 2]\n{"b": }\n' + b'{"c": "\xff"}\n' + '{"d": "x\u2028y"}\n'.encode()
    )
    assert list(json_objects(path)) == [
        (1, {"a": 1}),  # a byte-order mark on the first line is dropped
        (4, "a line must hold one JSON object"),
        (5, "not valid JSON (Expecting value, column 7): truncated line?"),
        (6, "not UTF-8 (invalid start byte at byte 7 of the line)"),
        (7, {"d": "x\u2028y"}),  # a line separator inside a string does not end the line
    ]


def test_dumps_is_stable_and_keeps_non_ascii() -> None:
    assert dumps({"b": [1, {"d": None, "c": "Ḥomṣ"}], "a": True}) == '{"a":true,"b":[1,{"c":"Ḥomṣ","d":null}]}'


def test_values_to_json_and_back() -> None:
    toll = Fatalities(value=9, low=9, high=12, qualifier="at_least", text="at least nine")
    assert fatalities_json(toll) == {"value": 9, "low": 9, "high": 12, "qualifier": "at_least", "text": "at least nine"}
    assert fatalities_from(fatalities_json(toll)) == toll and fatalities_json(None) is None
    assert fatalities_from("nine") is None and fatalities_from({"value": 3}) == Fatalities(value=3)
    day = EventDate("2017-02-07", "day", "Tuesday")
    assert date_json(day) == {"value": "2017-02-07", "precision": "day", "text": "Tuesday"}
    assert date_from(date_json(day)) == day and date_json(None) is None and date_from([1]) is None


@pytest.mark.parametrize(
    ("start", "end", "expected", "problem"),
    [
        (0, 4, "Jets", None),
        (0, 4, None, None),
        (0, 0, "", None),
        (9, 13, "Homs", None),
        (-1, 3, None, "offsets -1-3 are not a span"),
        (5, 4, None, "offsets 5-4 are not a span"),
        (9, 14, None, "offsets 9-14 run past the end of the text (13 characters)"),
        (0, 4, "Jet", "span 0-4 reads 'Jets' in the text, not 'Jet'"),
    ],
)
def test_span_problems(start: int, end: int, expected: str | None, problem: str | None) -> None:
    assert span_problem("Jets hit Homs", start, end, expected) == problem


def test_rejections_and_private_attributes_are_left_out() -> None:
    record = DocumentRecord(
        doc_id="d",
        text="Jets hit Homs.",
        entities=(
            Entity(1, 0, 4, "VEH", "Jets", attrs={"_adjudicated": ["label"], "kind": "jet"}),
            Entity(2, 9, 13, "GPE", "Homs", status="rejected"),
        ),
        events=(
            Event(1, "Attack", 5, 8, "hit", (Argument("Instrument", 1), Argument("Place", 2)), attrs={"_x": 1}),
            Event(2, "Attack", 5, 8, "hit", status="rejected"),
            Event(3, "Cause", 5, 8, "hit", (Argument("Cause", event_id=1), Argument("Effect", event_id=2))),
            Event(4, "Attack", 5, 8, "hit", (Argument("Instrument", 1, status="rejected"),)),
        ),
        relations=(Relation(1, "Near", 1, 1), Relation(2, "Near", 1, 2)),
    )
    kept = without_rejected(record)
    assert [e.id for e in kept.entities] == [1] and [ev.id for ev in kept.events] == [1, 3, 4]
    assert [a.role for a in kept.events[0].arguments] == ["Instrument"]
    assert [a.event_id for a in kept.events[1].arguments] == [1] and kept.events[2].arguments == ()
    assert [r.id for r in kept.relations] == [1]
    public = without_private_attributes(record)
    assert public.entities[0].attrs == {"kind": "jet"} and public.events[0].attrs == {}
    assert without_private_attributes(kept) is not kept  # bookkeeping to drop
    plain = DocumentRecord(doc_id="p", text="x")
    assert without_private_attributes(plain) is plain
    assert describe_entity(record, record.entities[0]) == "d: VEH 'Jets' at 0-4"
    assert describe_event(record, record.events[0]) == "d: event Attack 'hit' at 5-8"
