"""The agreement report's breakdowns and text, on the second article of tests/services/agreement_corpus.py.

On d2 alice marked Rebels ORG, Aleppo GPE, army ORG, Palmyra GPE, "Islamic State" ORG; bob marked Rebels PER,
Aleppo, army, Palmyra the same, and "Islamic State fighters" ORG. Alice typed "retook" ChangeOfControl, bob
Attack; both typed "shelled" Attack.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.dto import DocStatus, DocumentRecord, Entity
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services.adjudication import AdjudicationService
from annotator.services.agreement_report import agreement_report, alpha_units, format_report
from annotator.services.agreement_stats import NONE
from annotator.store.database import Database
from tests.services.agreement_corpus import build


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Database:
    return Database("sqlite:///" + build(capsys, tmp_path))


def test_one_document_by_label_and_by_event_type(db: Database) -> None:
    report = agreement_report(db, ["bob", "alice"], document_ids=[2, 999])
    data = report.to_json()
    assert data["annotators"] == ["alice", "bob"] and data["documents_counted"] == "done"
    [pair] = data["pairs"]
    assert pair["documents"] == 1
    # every span either marked, the other's label or none: both marked GPE/GPE twice, ORG/ORG, ORG/PER
    assert pair["confusion"] == [
        ["GPE", "GPE", 2],
        ["ORG", "ORG", 1],
        ["ORG", "PER", 1],
        ["ORG", NONE, 1],
        [NONE, "ORG", 1],
    ]
    # kappa on the four both marked: po 3/4; alice GPE 2 ORG 2, bob GPE 2 ORG 1 PER 1: pe 6/16
    assert pair["entities"]["kappa"] == round((3 / 4 - 6 / 16) / (1 - 6 / 16), 4) == 0.6
    # five spans each: Aleppo, Palmyra and army match exactly; overlap adds Islamic State (fighters)
    assert pair["entities"]["exact"] == {
        "matched": 3,
        "first": 5,
        "second": 5,
        "precision": 0.6,
        "recall": 0.6,
        "f1": 0.6,
    }
    assert pair["entities"]["overlap"] == {
        "matched": 4,
        "first": 5,
        "second": 5,
        "precision": 0.8,
        "recall": 0.8,
        "f1": 0.8,
    }
    assert data["by_label"] == {
        "GPE": {"f1_exact": 1.0, "f1_overlap": 1.0, "spans": 4},
        "ORG": {"f1_exact": 0.4, "f1_overlap": 0.8, "spans": 5},  # army of 3 and 2; overlap adds Islamic State
        "PER": {"f1_exact": 0.0, "f1_overlap": 0.0, "spans": 1},
    }
    assert data["by_event_type"] == {
        "Conflict.Attack": {"trigger_cls_f1": round(2 / 3, 4), "arg_cls_f1": 0.8, "events": 3},
        "X.Conflict.ChangeOfControl": {"trigger_cls_f1": 0.0, "arg_cls_f1": 0.0, "events": 1},
    }
    [document] = data["documents"]
    assert {k: document[k] for k in ("id", "doc_id", "annotators", "entity_f1_exact", "entity_f1_overlap")} == {
        "id": 2,
        "doc_id": "d2",
        "annotators": ["alice", "bob"],
        "entity_f1_exact": 0.6,
        "entity_f1_overlap": 0.8,
    }
    assert (document["trigger_cls_f1"], document["arg_cls_f1"]) == (0.5, round(2 / 3, 4))
    assert document["score"] == round((0.8 + 0.5 + 2 / 3) / 3, 4)  # the mean of overlap, trigger and argument F1
    assert (document["open"], document["gold_status"]) == (document["disagreements"], None) and document["open"] > 0
    assert data["alpha_units"] == 6  # the six offsets either of them marked


def test_each_document_says_how_far_its_gold_got(db: Database, schema: Schema) -> None:
    before = {d.doc_id: d for d in agreement_report(db, ["alice", "bob"]).documents}
    AdjudicationService(db, schema).auto(2, 2)  # d2: what both agree on goes into gold
    after = {d.doc_id: d for d in agreement_report(db, ["alice", "bob"]).documents}
    assert (after["d1"].gold_status, after["d2"].gold_status) == (None, DocStatus.IN_PROGRESS)
    assert after["d2"].to_json()["gold_status"] == "in_progress"
    assert after["d2"].open == before["d2"].open  # agreeing decides no disagreement


def test_the_text_report(db: Database) -> None:
    text = format_report(agreement_report(db))
    assert text.splitlines() == [
        "pair                      docs  ent F1 overlap  kappa trig-I trig-C  arg-I  arg-C",
        "alice / bob                  2   0.500   0.800  0.588  1.000  0.750  0.429  0.286",
        "alice / carol                1   0.667   0.667  0.667  0.000  0.000  0.000  0.000",
        "bob / carol                  1   0.000   0.444 -1.000  0.000  0.000  0.000  0.000",
        "Krippendorff's alpha (nominal, spans of all annotators): 0.278",
        "documents agreeing least: d1 (0.38), d2 (0.66)",  # the worst first
    ]
    nobody = format_report(agreement_report(db, ["carol", "alice"], document_ids=[2]))
    assert nobody == "no document has two or more layers marked done by alice, carol: nothing to compare"
    started = format_report(agreement_report(db, ["carol", "alice"], "all", document_ids=[2]))
    assert started == "no document has two or more layers started by alice, carol: nothing to compare"


def test_bad_choices_are_named(db: Database) -> None:
    with pytest.raises(UserError, match=r"^documents must be one of done, all, not 'finished'$"):
        agreement_report(db, documents="finished")
    with pytest.raises(UserError, match=r"^no annotator is called 'zoe'; the project has alice, bob, carol$"):
        agreement_report(db, ["alice", "zoe"])


def test_alpha_units_give_each_layer_one_value_per_offset() -> None:
    def layer(*spans: tuple[int, int, str]) -> DocumentRecord:
        entities = tuple(Entity(k, s, e, label, "x" * (e - s)) for k, (s, e, label) in enumerate(spans))
        return DocumentRecord(doc_id="d", text="x" * 40, entities=entities)

    units = alpha_units([layer((0, 4, "GPE"), (10, 14, "PER")), layer((10, 14, "ORG"), (10, 14, "PER")), layer()])
    assert units == [["GPE", NONE, NONE], ["PER", "ORG+PER", NONE]]
    assert alpha_units([layer((5, 9, "LOC"), (0, 4, "GPE"))]) == [["GPE"], ["LOC"]]  # in text order


def test_an_event_type_without_roles_still_has_its_argument_figure(tmp_path: Path) -> None:
    """Both marked the deaths, neither filled a role: the type is listed, with an empty argument score."""
    from annotator.services import records
    from tests.formats.corpus import Doc, store

    db = Database("sqlite:///" + str(tmp_path / "t.sqlite3"))
    d = Doc("x", "Nine people died in Homs.")
    d.event("died", "Life.Die", [])
    store(db, [d.record()], annotator="alice")
    with db.session() as session:
        records.store_layer(session, 1, records.annotator_id(session, "bob"), d.record(), status="done")
    report = agreement_report(db)
    [(kind, (triggers, arguments))] = report.by_event_type().items()
    assert kind == "Life.Die" and (triggers.matched, triggers.first, triggers.second) == (1, 1, 1)
    assert (arguments.matched, arguments.first, arguments.second) == (0, 0, 0)
    expected = {"Life.Die": {"trigger_cls_f1": 1.0, "arg_cls_f1": 1.0, "events": 2}}  # no role to disagree on
    assert report.to_json()["by_event_type"] == expected
    db.dispose()
