"""Suggestion scores on a real SQLite project, checked against counts worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from annotator.cli import main
from annotator.core.dto import GOLD, MODEL, Argument, DocStatus, DocumentRecord, Entity, Event, Origin, Relation, Status
from annotator.core.errors import Cancelled, UserError
from annotator.services import records
from annotator.services.agreement import EntityScores, EventScores, Score
from annotator.services.evaluation import Evaluation, evaluate, finished_documents, format_evaluation, suggested_now
from annotator.store.database import Database
from tests.services.test_export import RecordingProgress

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator

TEXT = "Russian jets bombed al-Waer in Homs on Tuesday, killing nine civilians."
S, H, A, R = Status.SUGGESTED, Origin.HUMAN, Status.ACCEPTED, Status.REJECTED


def _span(i: int, words: str, label: str, status: str = A, origin: str = Origin.MODEL) -> Entity:
    start = TEXT.index(words)
    return Entity(i, start, start + len(words), label, words, origin=origin, status=status)


def _event(i: int, trigger: str, kind: str, arguments: tuple[Argument, ...], status: str = A) -> Event:
    start = TEXT.index(trigger)
    return Event(i, kind, start, start + len(trigger), trigger, arguments, origin=Origin.MODEL, status=status)


# What the model suggested: 5 spans and 2 events with 3 role fillers.
SUGGESTED = DocumentRecord(
    doc_id="d",
    text=TEXT,
    entities=(
        _span(1, "Russian", "GPE", S),
        _span(2, "al-Waer", "GPE", S),
        _span(3, "Homs", "GPE", S),
        _span(4, "Tuesday", "TIME", S),
        _span(5, "civilians", "PER", S),
    ),
    events=(
        _event(1, "bombed", "Conflict.Attack", (Argument("Attacker", 1, status=S), Argument("Place", 2, status=S)), S),
        _event(2, "killing", "Life.Die", (Argument("Victim", 5, status=S),), S),
    ),
)
# What alice kept: Russian, Homs and Tuesday accepted; al-Waer rejected and made again as LOC; "civilians"
# rejected and "nine civilians" made; "jets" (VEH) added; the attack accepted with its attacker, its place
# moved to her LOC span; the deaths rejected; one suggestion (none here) left undecided would not count.
ALICE = DocumentRecord(
    doc_id="d",
    text=TEXT,
    entities=(
        _span(1, "Russian", "GPE"),
        _span(2, "al-Waer", "GPE", R),
        _span(3, "Homs", "GPE"),
        _span(4, "Tuesday", "TIME"),
        _span(5, "civilians", "PER", R),
        _span(6, "al-Waer", "LOC", A, H),
        _span(7, "nine civilians", "PER", A, H),
        _span(8, "jets", "VEH", A, H),
    ),
    events=(
        _event(1, "bombed", "Conflict.Attack", (Argument("Attacker", 1), Argument("Place", 6, origin=H))),
        _event(2, "killing", "Life.Die", (Argument("Victim", 5, status=R),), R),
    ),
)


def _store(db: Database, layers: dict[str, tuple[DocumentRecord, str | None]], text: str = TEXT) -> int:
    with db.session() as session:
        doc_id = records.store_document(session, DocumentRecord(doc_id=f"d{len(text)}", text=text))
        for name, (record, status) in layers.items():
            records.store_layer(session, doc_id, records.annotator_id(session, name), record, status=status)
    return doc_id


def test_scores_match_the_hand_count(db: Database) -> None:
    _store(db, {MODEL: (SUGGESTED, None), "alice": (ALICE, DocStatus.DONE)})
    # A document nobody finished is not evaluated, whatever its layers say.
    other = TEXT.replace("Homs", "Hama")
    _store(db, {MODEL: (SUGGESTED, None), "bob": (ALICE, DocStatus.IN_PROGRESS)}, text=other)

    result = evaluate(db)
    assert result.documents == 1
    entities = result.entities
    # Reviewed spans: Russian, Homs, Tuesday, al-Waer (LOC), nine civilians, jets = 6; suggested 5.
    assert entities.exact == Score(matched=3, first=5, second=6)  # Russian, Homs, Tuesday
    assert entities.overlap == Score(matched=4, first=5, second=6)  # + civilians / nine civilians
    assert entities.exact_by_label == {
        "GPE": Score(2, 3, 2),
        "LOC": Score(0, 0, 1),
        "PER": Score(0, 1, 1),
        "TIME": Score(1, 1, 1),
        "VEH": Score(0, 0, 1),
    }
    assert entities.overlap_by_label["PER"] == Score(1, 1, 1)
    events = result.events
    assert events.trigger_id == Score(1, 2, 1) and events.trigger_cls == Score(1, 2, 1)
    assert events.trigger_cls_by_type == {"Conflict.Attack": Score(1, 1, 1), "Life.Die": Score(0, 1, 0)}
    # Fillers are compared by offsets: the suggested GPE al-Waer and alice's LOC al-Waer are the same place.
    assert events.arg_id == Score(2, 3, 2) and events.arg_cls == Score(2, 3, 2)
    assert events.trigger_cls.precision == pytest.approx(0.5) and events.trigger_cls.recall == 1.0
    assert entities.exact.f1 == pytest.approx(6 / 11)


def test_a_suggester_run_now_is_scored_instead_of_the_stored_suggestions(db: Database) -> None:
    """Given `suggest`, the stored layer is not read at all: even a layer that does not exist is no error."""
    _store(db, {MODEL: (SUGGESTED, None), "alice": (ALICE, DocStatus.DONE)})
    seen: list[str] = []

    def only_russian(answers: list[DocumentRecord]) -> list[DocumentRecord]:
        seen.extend(answer.text for answer in answers)
        russian = (_span(1, "Russian", "GPE", S),)
        return [DocumentRecord(doc_id=a.doc_id, text=a.text, entities=russian) for a in answers]

    result = evaluate(db, suggestions="nobody", suggest=only_russian)
    assert seen == [TEXT]
    assert result.documents == 1 and result.entities.exact == Score(matched=1, first=1, second=6)
    assert result.events.trigger_id == Score(matched=0, first=0, second=1)


def test_a_cancelled_evaluation_stops_before_the_next_batch(db: Database) -> None:
    _store(db, {MODEL: (SUGGESTED, None), "alice": (ALICE, DocStatus.DONE)})
    _store(db, {MODEL: (SUGGESTED, None), "alice": (ALICE, DocStatus.DONE)}, text=TEXT.replace("Homs", "Hama"))
    seen: list[str] = []

    def suggest(answers: list[DocumentRecord]) -> list[DocumentRecord]:
        seen.extend(answer.text for answer in answers)
        return answers

    with pytest.raises(Cancelled):
        evaluate(db, suggest=suggest, progress=RecordingProgress(cancel_after=1), batch=1)
    assert seen == [TEXT]  # the second document was never read nor offered to the suggester
    with pytest.raises(Cancelled):
        evaluate(db, suggest=suggest, progress=RecordingProgress(cancel_after=0))
    assert seen == [TEXT]


def test_the_command_prints_the_same_figures(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _store(db, {MODEL: (SUGGESTED, None), "alice": (ALICE, DocStatus.DONE)})
    url = db.url
    db.dispose()
    assert main(["evaluate", "--db", url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 1 and data["suggestions"] == MODEL and data["against"] == "done"
    assert data["entities"]["exact"] == {
        "matched": 3,
        "first": 5,
        "second": 6,
        "precision": 0.6,
        "recall": 0.5,
        "f1": round(6 / 11, 4),
    }
    assert data["triggers"]["by_type"]["Life.Die"]["first"] == 1
    # No LOC was suggested: its precision is no number at all (not 1.0), its recall 0 of 1.
    loc = data["entities"]["exact_by_label"]["LOC"]
    assert (loc["first"], loc["second"], loc["precision"], loc["recall"], loc["f1"]) == (0, 1, None, 0.0, 0.0)
    assert data["triggers"]["by_type"]["Life.Die"]["recall"] is None  # nothing of that type in the reference
    assert data["arguments"]["classification"]["matched"] == 2
    assert main(["evaluate", "--db", url]) == 0
    table = capsys.readouterr().out
    assert "entities, exact span" in table and "Conflict.Attack" in table
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines() if line.startswith("  ")}
    assert rows["LOC"] == ["0", "0", "1", "\u2014", "0.000", "0.000"]  # a dash, not 1.000, for 0 of 0
    assert rows["GPE"] == ["2", "3", "2", "0.667", "1.000", "0.800"]
    assert main(["evaluate", "--db", url, "--against", "nobody"]) == 2
    assert "no layer named 'nobody'" in capsys.readouterr().err


def _finish_later(db: Database, document_id: int, name: str) -> None:
    from datetime import UTC, datetime, timedelta

    from annotator.store import models as m

    with db.session() as session:
        aid = records.annotator_id(session, name)
        records.store_layer(session, document_id, aid, ALICE)
        later = datetime.now(UTC) + timedelta(minutes=5)
        session.add(m.DocumentState(document_id=document_id, annotator_id=aid, status=DocStatus.DONE, updated_at=later))


def test_which_layer_is_the_reference(db: Database, tmp_path: Path) -> None:
    # Gold finished first, alice later: the latest finisher would be alice, but gold wins.
    first = _store(db, {MODEL: (SUGGESTED, None), GOLD: (ALICE, "adjudicated")})
    _finish_later(db, first, "alice")
    second = _store(db, {MODEL: (SUGGESTED, None), "bob": (ALICE, DocStatus.DONE)}, text=TEXT.replace("Homs", "Hama"))
    chosen = {r.document_id: r.layer for r in finished_documents(db)}
    assert chosen == {first: GOLD, second: "bob"}  # gold wins where it finished a document
    assert [r.document_id for r in finished_documents(db, "alice")] == [first]
    with pytest.raises(UserError) as refused:
        finished_documents(db, MODEL)
    assert str(refused.value) == (
        "the model's suggestions cannot be the reference; use done, gold or an annotator's name"
    )
    assert evaluate(db, against="bob").documents == 1
    progress = RecordingProgress()
    assert evaluate(db, batch=1, progress=progress) == evaluate(db)  # read in batches, summed the same
    assert progress.calls == [("start", 2), ("advance", ""), ("advance", ""), ("finish", None)]
    assert progress.label == "Evaluating suggestions"
    with pytest.raises(UserError) as unknown:
        evaluate(db, suggestions="nobody")
    assert str(unknown.value) == "there is no layer named 'nobody' in this project"


def test_suggestions_made_now_read_each_reference_as_an_import_would(preannotator: Preannotator) -> None:
    """The suggester run now sees each document's boilerplate and publication date, and offers no relations."""
    from annotator.nlp.preannotate import AnnotationInput

    text = "Subscribe to Reuters for more news.\nRussian jets bombed Homs on Tuesday, killing nine civilians in Syria."
    line = (0, text.index("\n"))
    first = DocumentRecord(
        doc_id="a", text=text, boilerplate=(line,), published="2016-03-04", entities=ALICE.entities[:1]
    )
    second = DocumentRecord(doc_id="b", text=TEXT, published="2017-01-01", relations=(Relation(1, "Located", 1, 2),))
    offered = suggested_now(preannotator)([first, second])
    expected = preannotator.annotate(
        [AnnotationInput(text, (line,), "2016-03-04"), AnnotationInput(TEXT, (), "2017-01-01")], batch_size=1
    )
    assert [r.doc_id for r in offered] == ["a", "b"] and [r.published for r in offered] == ["2016-03-04", "2017-01-01"]
    for record, suggestions in zip(offered, expected, strict=True):
        assert record.entities == suggestions.entities and record.events == suggestions.events
        assert record.relations == ()
    assert offered[0].entities and not any(e.start < line[1] for e in offered[0].entities)  # not in the boilerplate
    tuesday = next(e for e in offered[0].entities if e.text == "Tuesday")
    assert tuesday.normalized is not None and tuesday.normalized["value"].startswith("2016-03")
    assert any(ev.type == "Conflict.Attack" for ev in offered[1].events)


def test_the_headline_figures_as_a_table_shows_them() -> None:
    """F1 of exact entities, classified triggers and classified arguments; a dash where nothing was scored."""
    result = Evaluation(
        entities=EntityScores(Score(3, 5, 6), Score(5, 5, 6)),
        events=EventScores(Score(2, 2, 1), Score(1, 2, 1), Score(1, 1, 1), Score()),
    )
    assert result.headline_text() == {"entities": "0.545", "triggers": "0.667", "arguments": "\u2014"}


def test_the_table_lists_every_score_under_its_heading() -> None:
    by_label = {"PER": Score(1, 1, 2), "GPE": Score(2, 4, 4)}
    result = Evaluation(
        documents=2,
        entities=EntityScores(Score(3, 5, 6), Score(5, 5, 6), by_label, {"GPE": Score(3, 4, 4)}),
        events=EventScores(
            Score(1, 2, 2),
            Score(1, 2, 1),
            Score(1, 1, 1),
            Score(0, 1, 0),
            {"Life.Die": Score(0, 1, 0), "Conflict.Attack": Score(1, 1, 1)},
            {"Conflict.Attack": Score(0, 1, 0)},
        ),
    )
    assert format_evaluation(result, "model", "done").splitlines() == [
        "2 finished documents; suggestions: model; reference: done (what a person accepted or made)",
        "                                   matched suggested reference precision  recall      F1",
        "entities, exact span                     3         5         6     0.600   0.500   0.545",
        "  GPE                                    2         4         4     0.500   0.500   0.500",
        "  PER                                    1         1         2     1.000   0.500   0.667",
        "entities, overlapping span               5         5         6     1.000   0.833   0.909",
        "  GPE                                    3         4         4     0.750   0.750   0.750",
        "triggers, identification                 1         2         2     0.500   0.500   0.500",
        "triggers, classification                 1         2         1     0.500   1.000   0.667",
        "  Conflict.Attack                        1         1         1     1.000   1.000   1.000",
        "  Life.Die                               0         1         0     0.000       \u2014   0.000",
        "arguments, identification                1         1         1     1.000   1.000   1.000",
        "arguments, classification                0         1         0     0.000       \u2014   0.000",
        "  Conflict.Attack                        0         1         0     0.000       \u2014   0.000",
        "\u2014: nothing to divide by (no precision where nothing was suggested, no recall where the reference "
        "has none)",
    ]
