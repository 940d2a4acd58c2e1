"""A search is counted a step at a time as the list scrolls to its end; every match is reachable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from annotator.core.dto import DocumentRecord
from annotator.gui.document_list_model import DocumentListModel
from annotator.services import records
from annotator.services.documents import DocumentQueries
from annotator.store.database import Database


def _model(db: Database) -> DocumentListModel:
    batch = [
        DocumentRecord(doc_id=f"d{i}", text=f"Report {i} from {'Homs' if i % 3 else 'Idlib'}.", title=f"Report {i}")
        for i in range(30)
    ]
    with db.session() as session:
        records.store_documents(session, batch)
    model = DocumentListModel(DocumentQueries(db), "alice")
    model.search_step = 4
    return model


def test_scrolling_to_the_end_counts_more(qtbot, qtmodeltester, db: Database) -> None:  # type: ignore[no-untyped-def]
    model = _model(db)
    model.reload(query="Homs")
    assert model.rowCount() == 4 and model.canFetchMore()
    qtmodeltester.check(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 200)
    view.show()
    view.setFocus()
    for _ in range(12):  # End, as a user presses it to reach the last result
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(5)
    assert model.rowCount() == 20 and not model.canFetchMore()
    assert model.document_id(19) == DocumentQueries(db).ids("alice", "Homs")[-1]
    qtmodeltester.check(model)
    model.reload(query="")
    assert model.rowCount() == 30 and not model.canFetchMore()
    model.reload(status="new")  # a filter most documents pass is counted a step at a time too (the view
    assert 4 <= model.rowCount() < 30 and model.canFetchMore()  # asks for as many steps as it shows rows)
    qtmodeltester.check(model)


def test_locating_a_match_beyond_the_rows_counted(db: Database) -> None:
    model = _model(db)
    model.reload(query="Homs")
    last = DocumentQueries(db).ids("alice", "Homs")[-1]
    assert model.row_of(last) == 19
    assert model.rowCount() == 20
    assert model.document_id(19) == last
