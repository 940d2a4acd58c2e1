"""Shared format helpers: brat's newline offsets, reversible file names, token cutting and sentence joining."""

from __future__ import annotations

import pytest

from annotator.core.dto import DocumentRecord, Entity, Segmentation
from annotator.core.schema import storage_name
from annotator.formats.align import windows
from annotator.formats.common import CrlfMap, doc_id_from_stem, file_stem, stem_problem


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
