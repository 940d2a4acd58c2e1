"""The Agreement window: pairs of annotators, documents worst first, labels and event types, a confusion heat map.

Figures come from the agreement service, computed off the GUI thread with a progress bar; the view only
shows them. Double-clicking a document opens it for adjudication.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.measures import MEASURES
from annotator.core.progress import Progress
from annotator.gui.figures_model import KEY_ROLE, SORT_ROLE, FiguresModel
from annotator.gui.heatmap import HeatMap
from annotator.gui.markup import plain
from annotator.gui.tables import plain_rows
from annotator.gui.tasks import TaskRunner
from annotator.gui.wheel_guard import guard_wheel
from annotator.services.agreement_report import AgreementReport, PairFigures, agreement_report
from annotator.store.database import Database

PAIR_HEADERS = (
    "Annotators",
    "Documents",
    "Entity F1 exact",
    "Entity F1 overlap",
    "Kappa",
    "Trigger-I F1",
    "Trigger-C F1",
    "Argument-I F1",
    "Argument-C F1",
    "Fatalities exact",
    "Fatalities in range",
)
DOC_HEADERS = (
    "Document",
    "Title",
    "Annotators",
    "Agreement",
    "Entity F1 exact",
    "Entity F1 overlap",
    "Trigger-C F1",
    "Argument-C F1",
    "Disagreements",
    "Open",
    "Gold",
)
AGREEMENT_COLUMN = 3


def _table(model: FiguresModel, parent: QWidget, name: str, *, sortable: bool = False) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    if sortable:
        proxy = QSortFilterProxyModel(table)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        table.setModel(proxy)
        table.setSortingEnabled(True)
    else:
        table.setModel(model)
    plain_rows(table)
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for column, title in enumerate(model.headers):  # from the titles: measuring rows would read them all
        header.resizeSection(column, max(metrics.horizontalAdvance(title) + 28, 64))
    header.setStretchLastSection(True)
    return table


def help_html() -> str:
    items = "".join(f"<dt><b>{escape(name)}</b></dt><dd>{escape(text)}</dd>" for name, text in MEASURES)
    return f"<h3>What the figures mean</h3><dl>{items}</dl>"


class AgreementView(QWidget):
    """A window of its own (Review > Agreement); emits `document_chosen` for adjudication."""

    document_chosen = Signal(int)

    def __init__(self, db: Database, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("agreement_view")
        self.setWindowTitle("Agreement — annotator")
        self.db = db
        self.tasks = tasks
        self.report: AgreementReport | None = None
        self.mode = QComboBox(self)
        self.mode.setObjectName("agreement_documents")
        self.mode.addItem("Layers marked done", "done")
        self.mode.addItem("Also layers in progress", "all")
        refresh = QPushButton("Refresh", self)
        refresh.setToolTip("Compute the figures again (F5)")
        refresh.clicked.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.summary = plain(QLabel("", self))
        self.summary.setObjectName("agreement_summary")
        top = QHBoxLayout()
        top.addWidget(QLabel("Count", self))
        top.addWidget(self.mode)
        top.addWidget(refresh)
        top.addWidget(self.summary, 1)

        self.pairs = FiguresModel(PAIR_HEADERS, scored=range(2, 11), parent=self)
        self.documents = FiguresModel(DOC_HEADERS, scored=range(3, 8), parent=self)
        self.labels = FiguresModel(("Entity label", "Spans", "F1 exact", "F1 overlap"), scored=(2, 3), parent=self)
        self.types = FiguresModel(("Event type", "Events", "Trigger-C F1", "Argument-C F1"), scored=(2, 3), parent=self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(_table(self.pairs, self, "agreement_pairs"), "Pairs")
        self.document_table = _table(self.documents, self, "agreement_documents_table", sortable=True)
        self.document_table.setToolTip(
            "Double-click (or Enter) to adjudicate the document. Open: disagreements gold has not decided yet."
        )
        self.document_table.horizontalHeader().resizeSection(1, 260)  # the title
        self.document_table.activated.connect(self._activated)
        self.tabs.addTab(self.document_table, "Documents")
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(_table(self.labels, self, "agreement_labels", sortable=True))
        split.addWidget(_table(self.types, self, "agreement_types", sortable=True))
        self.tabs.addTab(split, "Labels and event types")
        confusion = QWidget(self)
        self.pair_box = QComboBox(confusion)
        self.pair_box.setObjectName("confusion_pair")
        self.pair_box.currentIndexChanged.connect(self._show_confusion)
        self.heatmap = HeatMap(confusion)
        scroll = QScrollArea(confusion)
        scroll.setWidget(self.heatmap)
        scroll.setWidgetResizable(False)
        box = QVBoxLayout(confusion)
        box.addWidget(self.pair_box)
        box.addWidget(QLabel("Labels of the same spans (∅: one of them marked no span there)", confusion))
        box.addWidget(scroll, 1)
        self.tabs.addTab(confusion, "Confusion")
        self.help = QTextBrowser(self)
        self.help.setObjectName("agreement_help")
        self.help.setHtml(help_html())
        self.tabs.addTab(self.help, "Help")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.mode.currentIndexChanged.connect(lambda _i: self.refresh())
        self.resize(1100, 640)
        guard_wheel(self)

    # -- computing ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        mode = str(self.mode.currentData())
        db = self.db

        def work(progress: Progress) -> AgreementReport:
            return agreement_report(db, documents=mode, progress=progress)

        self.summary.setText("Computing…")
        self.tasks.run(
            work,
            on_done=self.show_report,
            on_error=lambda exc: self.summary.setText(f"Could not compute the figures: {exc}"),
            parent=self,
            label="Comparing annotators…",
            with_progress=True,
        )

    # -- showing -----------------------------------------------------------------------------------------------

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        if not report.pairs:
            self.summary.setText(
                "No document has two or more layers by different people in this state yet: nothing to compare."
            )
        else:
            alpha = "n/a" if report.alpha is None else f"{report.alpha:.3f}"
            compared = {name for pair in report.pairs for name in pair.annotators}
            self.summary.setText(
                f"{len(compared)} annotators, {len(report.documents)} documents compared; "
                f"Krippendorff's alpha (spans, all annotators) {alpha}"
            )
        self.pairs.set_rows([self._pair_row(p) for p in report.pairs])
        docs = report.documents
        self.documents.set_rows(
            [
                (
                    d.doc_id,
                    d.title,
                    ", ".join(d.annotators),
                    d.score,
                    d.entity_exact.f1,
                    d.entity_overlap.f1,
                    d.trigger_cls.f1,
                    d.arg_cls.f1,
                    d.disagreements,
                    d.open,
                    (d.gold_status or "not started").replace("_", " "),
                )
                for d in docs
            ],
            keys=[d.id for d in docs],
        )
        self.document_table.sortByColumn(AGREEMENT_COLUMN, Qt.SortOrder.AscendingOrder)  # worst first
        self.labels.set_rows([(label, e.first + e.second, e.f1, o.f1) for label, (e, o) in report.by_label().items()])
        self.types.set_rows([(t, tr.first + tr.second, tr.f1, ar.f1) for t, (tr, ar) in report.by_event_type().items()])
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        for pair in report.pairs:
            self.pair_box.addItem(" / ".join(pair.annotators))
        self.pair_box.blockSignals(False)
        self._show_confusion(0)

    @staticmethod
    def _pair_row(pair: PairFigures) -> tuple[object, ...]:
        data = pair.to_json()
        ent, ev = data["entities"], data["events"]
        fatalities = ev["fatalities"]
        return (
            " / ".join(pair.annotators),
            pair.documents,
            pair.exact.f1,
            pair.overlap.f1,
            ent["kappa"],
            pair.trigger_id.f1,
            pair.trigger_cls.f1,
            pair.arg_id.f1,
            pair.arg_cls.f1,
            fatalities["exact"],
            fatalities["within_range"],
        )

    def _show_confusion(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.pairs):
            self.heatmap.set_matrix("", "", {})
            return
        pair = self.report.pairs[index]
        self.heatmap.set_matrix(pair.annotators[0], pair.annotators[1], dict(pair.labels))

    def _activated(self, index: QModelIndex) -> None:
        document_id = index.data(KEY_ROLE)
        if document_id is not None:
            self.document_chosen.emit(int(document_id))
