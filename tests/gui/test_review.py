"""Review in the real window: adjudication by keyboard into an exported gold, the Agreement window, the
double-annotation settings, and the question about unreviewed suggestions before a document is done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from annotator.core.dto import GOLD, DocStatus, Status
from annotator.gui.adjudication_view import AdjudicationView
from annotator.gui.main_window import MainWindow
from annotator.services import records
from annotator.services.assignment import TeamSettings, load_team_settings
from annotator.services.export import export_dataset
from annotator.services.project import Project, open_project
from annotator.store import models as m
from tests.gui.conftest import make_window
from tests.services.agreement_corpus import build

Key = Qt.Key


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Project:
    """Alice's and Bob's finished layers of two articles; Dave adjudicates."""
    project = open_project(build(capsys, tmp_path, ("alice", "bob")))
    project.settings.set("annotator_name", "dave")
    project.settings.set("annotator_confirmed", True)
    yield project  # type: ignore[misc]
    project.db.dispose()


def document(project: Project, external: str) -> int:
    from sqlalchemy import select

    with project.db.reader() as session:
        return int(session.scalar(select(m.Document.id).where(m.Document.external_id == external)))


def press(qtbot, view: AdjudicationView, *keys: Key) -> None:  # type: ignore[no-untyped-def]
    """Keys in the adjudication list, its window active as on a desktop (else the main window takes them)."""
    if QApplication.activeWindow() is not view:
        with qtbot.waitActive(view):
            view.activateWindow()
    view.table.setFocus()
    for k in keys:
        qtbot.keyClick(view.table, k)


def current(view: AdjudicationView) -> tuple[str, str, str]:
    row = view.model.rows[view.table.currentIndex().row()]
    return row.kind, row.name, view.model.text[row.start : row.end]


def test_adjudicate_a_document_by_keyboard_and_export_exactly_the_chosen_gold(  # type: ignore[no-untyped-def]
    qtbot, team: Project, tmp_path: Path
) -> None:
    window = make_window(qtbot, team)
    d1 = document(team, "d1")
    window.open_document(d1)
    qtbot.keyClick(window.article, Key.Key_J, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.review.adjudication
    # agreements went into gold at once: the spans al-Waer and Tuesday, both events and the attack mode
    assert view.state is not None and view.state.open == 10 and view.state.gold_status == DocStatus.IN_PROGRESS
    assert current(view) == ("span", "", "Russian jets")
    press(qtbot, view, Key.Key_3)  # there is no third annotator: said, nothing changes
    assert "no annotator 3" in view.message.text() and current(view) == ("span", "", "Russian jets")
    press(qtbot, view, Key.Key_1)  # Alice's "Russian jets"
    assert current(view) == ("role filler", "Instrument", "bombed")
    # After a decision the keys are shown again, as markup (bold keys), not as tags in the text.
    assert view.message.textFormat() == Qt.TextFormat.RichText and view.message.text().startswith("<b>1</b>")
    press(qtbot, view, Key.Key_1)  # Alice's instrument: Russian jets
    assert current(view) == ("role filler", "Place", "bombed")
    press(qtbot, view, Key.Key_2)  # Bob's: no place
    assert current(view) == ("role filler", "Target", "bombed")
    press(qtbot, view, Key.Key_0)  # nobody's targets
    assert current(view) == ("attribute", "polarity", "bombed")
    press(qtbot, view, Key.Key_1, Key.Key_2)  # Positive; Homs is Bob's LOC
    assert current(view) == ("role filler", "Place", "killing")
    press(qtbot, view, Key.Key_1, Key.Key_2)  # al-Waer; Bob's victim "civilians", with its span
    assert current(view) == ("fatalities", "", "killing")
    press(qtbot, view, Key.Key_1)  # 9, exact
    assert view.state.open == 0 and view.state.gold_status == DocStatus.ADJUDICATED
    assert "adjudicated" in view.message.text()
    qtbot.keyClick(view.table, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # second thoughts...
    assert view.state.open == 1 and view.state.gold_status == DocStatus.IN_PROGRESS
    view.refresh(select=next(r.key for r in view.model.rows if r.kind == "fatalities"))
    press(qtbot, view, Key.Key_2)  # ... Bob's "at least 9"
    assert view.state.open == 0

    result = export_dataset(team.db, team.schema, "jsonl", tmp_path / "gold", layer=GOLD)
    assert result.documents == 1
    line = json.loads((tmp_path / "gold" / "documents.jsonl").read_text(encoding="utf-8"))
    assert line["status"] == "adjudicated"
    text = {e["id"]: e["text"] for e in line["entity_mentions"]}
    assert sorted((e["text"], e["type"], e["status"]) for e in line["entity_mentions"]) == [
        ("Homs", "LOC", "accepted"),
        ("Russian jets", "VEH", "accepted"),
        ("Tuesday", "TIME", "accepted"),
        ("al-Waer", "GPE", "accepted"),
        ("civilians", "PER", "accepted"),
    ]
    events = {ev["type"]: ev for ev in line["event_mentions"]}
    assert set(events) == {"Conflict.Attack", "Life.Die"}
    attack, die = events["Conflict.Attack"], events["Life.Die"]
    assert attack["attrs"] == {"attack_mode": "air_drone_strike", "polarity": "Positive"}
    assert [(a["role"], text[a["entity_mention_id"]]) for a in attack["arguments"]] == [("Instrument", "Russian jets")]
    assert sorted((a["role"], text[a["entity_mention_id"]]) for a in die["arguments"]) == [
        ("Place", "al-Waer"),
        ("Victim", "civilians"),
    ]
    assert die["attrs"] == {} and (die["fatalities"]["low"], die["fatalities"]["high"]) == (9, None)
    assert die["fatalities"]["qualifier"] == "at_least"
    # the document list shows gold's status on the gold layer
    assert window.queries.rows([d1], GOLD)[0].status == DocStatus.ADJUDICATED


def test_edit_in_gold_is_a_decision_and_ctrl_enter_goes_on(qtbot, team: Project) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, team)
    d1, d2 = document(team, "d1"), document(team, "d2")
    window.review.adjudicate(d1)
    view = window.review.adjudication
    row = next(i for i, r in enumerate(view.model.rows) if r.kind == "attribute")
    view._select(row)
    press(qtbot, view, Key.Key_E)
    assert window.editor.annotator == GOLD and window.editor.current is not None and window.editor.current.id == d1
    attack = next(ev for ev in window.editor.current.events if ev.type == "Conflict.Attack")
    window.editor.event_edit("Set polarity", window.editor.service.set_attribute, attack.id, "polarity", "Negative")
    window.event_panel.show_event(attack.id)
    card = window.event_panel.card
    assert card.attr_boxes["polarity"].currentText() == "Negative" and "adjudicated" not in card.other_attrs.text()
    view.refresh()
    polarity = next(r for r in view.model.rows if r.kind == "attribute")
    assert polarity.decided and polarity.gold == "Negative" and polarity.gold_is is None  # the adjudicator's own
    qtbot.keyClick(view.table, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.document_id == d2 and view.state is not None and view.state.doc_id == "d2"


def test_agreement_window_lists_documents_worst_first_and_opens_one(qtbot, qtmodeltester, team: Project) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, team)
    window.registry["agreement"].trigger()
    view = window.review.agreement
    qtbot.waitUntil(lambda: view.report is not None, timeout=10000)
    assert "2 annotators, 2 documents compared" in view.summary.text()
    qtmodeltester.check(view.documents)
    qtmodeltester.check(view.pairs)
    assert view.pairs.index(0, 0).data() == "alice / bob" and view.pairs.index(0, 2).data() == "0.500"
    table = view.document_table
    first = table.model().index(0, 0).data()
    assert first == "d1"  # d1 agrees least: it is listed first
    assert view.heatmap.counts[("GPE", "LOC")] == 1 and "∅" in view.heatmap.labels
    assert "Krippendorff" in view.help.toPlainText() and "Cohen's kappa" in view.help.toPlainText()
    view.tabs.setCurrentIndex(1)
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))
    qtbot.keyClick(table, Key.Key_Return)
    assert window.review.adjudication.document_id == document(team, "d2")


def test_double_annotation_settings_dialog_stores_them_in_the_project(qtbot, team: Project) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.team_dialog import TeamDialog

    dialog = TeamDialog(load_team_settings(team.db))
    qtbot.addWidget(dialog)
    assert not dialog.share.isEnabled()  # one annotator per document: no share to choose
    dialog.per_document.setFocus()
    qtbot.keyClick(dialog.per_document, Key.Key_Up)
    assert dialog.share.isEnabled()
    dialog.share.setValue(20)
    assert dialog.chosen() == TeamSettings(annotators_per_document=2, double_share=0.2)


def test_done_asks_about_unreviewed_suggestions(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    first = window.editor.current
    assert first is not None and any(e.status == Status.SUGGESTED for e in first.entities)
    window.registry["done"].trigger()
    box = next(b for b in window.findChildren(QMessageBox, "unreviewed_box") if b.isVisible())
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.editor.current is not None and window.editor.current.id == first.id  # nothing happened
    window.registry["done"].trigger()
    box = next(b for b in window.findChildren(QMessageBox, "unreviewed_box") if b.isVisible())
    box.findChild(QPushButton, "unreviewed_reject").click()
    invalid = [b for b in window.findChildren(QMessageBox, "invalid_events_box") if b.isVisible()]
    assert not invalid  # the rejected suggestions left no invalid event to ask about
    with project.db.reader() as session:
        aid = records.annotator_id(session, "alice")
        assert session.get_one(m.DocumentState, (first.id, aid)).status == DocStatus.DONE
        statuses = {e.status for e in records.layer_entities(session, first.id, aid)}
    assert statuses == {Status.REJECTED}
    assert window.editor.current is not None and window.editor.current.id != first.id


def test_file_export_leaves_out_or_adds_unreviewed_suggestions(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(["alice", "model"], "alice", tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.suggestions.isEnabled() and not dialog.suggestions.isChecked()
    dialog.layer.setCurrentText("model")
    assert not dialog.suggestions.isEnabled()  # the model layer's suggestions are its content
    for folder, include in (("plain", False), ("all", True)):
        done: list[bool] = []
        window.transfers.start_export(
            "jsonl", tmp_path / folder, "alice", include_suggestions=include, then=lambda d=done: d.append(True)
        )
        qtbot.waitUntil(lambda d=done: bool(d), timeout=60000)
        if not include:
            assert "suggestions nobody reviewed were left out" in window.statusBar().currentMessage()
    plain = (tmp_path / "plain" / "documents.jsonl").read_text(encoding="utf-8")
    everything = (tmp_path / "all" / "documents.jsonl").read_text(encoding="utf-8")
    assert '"status":"suggested"' not in plain and '"status":"suggested"' in everything
