"""Suggestions: how good they are against finished documents, learning a better suggester, and the way back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import GOLD, MODEL
from annotator.core.errors import UserError
from annotator.core.progress import Progress
from annotator.gui.wheel_guard import guard_wheel
from annotator.services.agreement import Score
from annotator.services.evaluation import CURRENT, DONE, Evaluation, evaluate, measures, shown, suggested_now
from annotator.services.learning import Learner, LearnResult, use_version, versions
from annotator.services.resuggest import ResuggestResult, resuggest

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("", "Matched", "Suggested", "Reference", "Precision", "Recall", "F1")
_SHARES = 4  # the first column of precision, recall and F1
TIPS = (
    "",
    "Suggestions that match the reference",
    "Suggestions made (rejected ones left out)",
    "What people accepted or made in the finished documents",
    "Share of the suggestions people kept",
    "Share of the people's answer that was suggested",
    "Balance of precision and recall: 2 × matched / (suggested + reference)",
)
EXPLANATION = (
    "Scores compare the suggestions with what people accepted or made in the documents they marked done. "
    "<b>Exact</b>: same start, end and label; <b>overlapping</b>: spans that overlap, with the same label. "
    "<b>Triggers</b>: identification is the same trigger words, classification also the same event type. "
    "<b>Arguments</b>: the same event and filler, and for classification the same role."
)


class ScoreTableModel(QAbstractTableModel):
    """Rows of an Evaluation: a heading per measure, then one row per label or event type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, Score, bool]] = []

    def set_evaluation(self, evaluation: Evaluation | None) -> None:
        self.beginResetModel()
        self._rows = _rows(evaluation) if evaluation is not None else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, score, heading = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column >= _SHARES:
                return shown(measures(score)[column - _SHARES])
            return (name, str(score.matched), str(score.first), str(score.second))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column >= _SHARES and measures(score)[column - _SHARES] is None:
            return "Not applicable: nothing to divide by (nothing suggested, or nothing in the reference)"
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and heading:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return TIPS[section]
        return None


def _rows(evaluation: Evaluation) -> list[tuple[str, Score, bool]]:
    e, v = evaluation.entities, evaluation.events
    rows: list[tuple[str, Score, bool]] = []
    for heading, total, parts in (
        ("Entities, exact", e.exact, e.exact_by_label),
        ("Entities, overlapping", e.overlap, e.overlap_by_label),
        ("Triggers, identification", v.trigger_id, {}),
        ("Triggers, classification", v.trigger_cls, v.trigger_cls_by_type),
        ("Arguments, identification", v.arg_id, {}),
        ("Arguments, classification", v.arg_cls, v.arg_cls_by_type),
    ):
        rows.append((heading, total, True))
        rows += [(f"    {name}", score, False) for name, score in sorted(parts.items())]
    return rows


class SuggestionsDialog(QDialog):
    """Evaluate, learn, roll back and suggest again; every long step runs on the task runner with a cancel."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("suggestions_dialog")
        self.setWindowTitle("Suggestions")
        self.window_ = window
        self.project = window.project
        self.reference = QComboBox(self)
        self.reference.setObjectName("suggestions_reference")
        self.reference.addItem("Finished by anyone (gold first)", DONE)
        for name in sorted(set(window.queries.annotators()) - {MODEL}):
            self.reference.addItem("Gold" if name == GOLD else name, name)
        self.suggestions = QComboBox(self)
        self.suggestions.setObjectName("suggestions_source")
        self.suggestions.addItem("As suggested at import (model layer)", MODEL)
        self.suggestions.addItem("By the suggester in use now", CURRENT)
        self.model = ScoreTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("suggestions_table")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 260)
        for column in range(1, len(COLUMNS)):
            self.table.setColumnWidth(column, 84)
        self.summary = QLabel(self)
        self.summary.setObjectName("suggestions_summary")
        self.summary.setWordWrap(True)
        self.version = QLabel(self)
        self.version.setObjectName("suggestions_version")
        explanation = QLabel(EXPLANATION, self)
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.RichText)
        self.evaluate_button = self._button("&Evaluate", "evaluate", self.evaluate)
        self.learn_button = self._button("&Learn from finished documents", "learn", self.learn)
        self.rollback_button = self._button("Roll &back to the previous version", "rollback", self.rollback)
        self.resuggest_button = self._button("&Suggest again for unopened documents", "resuggest", self.resuggest)
        form = QFormLayout()
        form.addRow("Reference", self.reference)
        form.addRow("Suggestions", self.suggestions)
        row = QHBoxLayout()
        row.addWidget(self.evaluate_button)
        row.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.learn_button, self.rollback_button, self.resuggest_button):
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(explanation)
        layout.addWidget(self.version)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.resize(820, 640)
        self.show_version()
        guard_wheel(self)

    def _button(self, text: str, name: str, handler: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"suggestions_{name}")
        button.setAutoDefault(False)
        button.clicked.connect(handler)
        return button

    def _busy(self, busy: bool) -> None:
        for button in (self.evaluate_button, self.learn_button, self.rollback_button, self.resuggest_button):
            button.setEnabled(not busy)
        if not busy:
            self.show_version()

    # -- actions -----------------------------------------------------------------------------------------------

    def evaluate(self) -> None:
        project, against, source = self.project, str(self.reference.currentData()), str(self.suggestions.currentData())

        def work(progress: Progress) -> Evaluation:
            suggest = suggested_now(project.preannotator()) if source == CURRENT else None
            return evaluate(project.db, against=against, suggestions=source, suggest=suggest, progress=progress)

        self._run(work, "Evaluating suggestions…", self._evaluated)

    def _evaluated(self, evaluation: Evaluation) -> None:
        self.model.set_evaluation(evaluation if evaluation.documents else None)
        if not evaluation.documents:
            self.summary.setText("No finished documents yet: mark documents done (Ctrl+Enter) to evaluate on them.")
            return
        f1 = evaluation.headline_text()
        self.summary.setText(
            f"{evaluation.documents} finished documents. F1: entities {f1['entities']}, "
            f"triggers {f1['triggers']}, arguments {f1['arguments']}."
        )

    def learn(self) -> None:
        project, source = self.project, str(self.reference.currentData())

        def work(progress: Progress) -> LearnResult:
            learner = Learner(project.db, project.schema, project.pipeline_name, project.models)
            return learner.learn(source, progress=progress)

        self._run(work, "Learning from the finished documents…", self._learned)

    def _learned(self, result: LearnResult) -> None:
        self.project.forget_preannotator()
        lines = [result.message]
        if result.before is not None and result.after is not None:
            old, new = result.before.headline_text(), result.after.headline_text()
            lines.append(
                f"Cross-validated F1 on {result.compared} documents ({result.folds} folds), before → after: "
                + "; ".join(f"{k} {old[k]} → {new[k]} ({result.components.get(k, '')})" for k in old)
                + f". {result.seconds:.0f} s. The table shows the new suggester's cross-validated scores."
            )
            self.model.set_evaluation(result.after)
        self.summary.setText("\n".join(lines))
        self.window_.statusBar().showMessage(result.message, 10000)

    def rollback(self) -> None:
        try:
            now = use_version(self.project.models, "previous")
        except UserError as exc:  # nothing earlier: said in the dialog, nothing changed
            self.summary.setText(exc.describe())
            return
        self.project.forget_preannotator()
        self.summary.setText(f"Now using {now or 'the base suggester'}; new imports and Suggest again use it.")
        self.show_version()

    def resuggest(self) -> None:
        project = self.project

        def work(progress: Progress) -> ResuggestResult:
            return resuggest(project.db, project.preannotator(), documents="unopened", progress=progress)

        self._run(work, "Suggesting again for unopened documents…", self._resuggested)

    def _resuggested(self, result: ResuggestResult) -> None:
        self.window_.list_model.reload()
        self.summary.setText(
            f"Suggested again for {result.documents} unopened documents ({result.entities} entities, "
            f"{result.events} events); {result.opened} documents someone opened keep their layers."
            + (" Cancelled; what was done stays." if result.cancelled else "")
        )

    def show_version(self) -> None:
        found = versions(self.project.models)
        active = next(v for v in found if v.active)
        if active.created:
            parts = ", ".join(f"{k} {state}" for k, state in active.components.items())
            self.version.setText(
                f"In use: learned version {active.name} ({active.created}, from {active.documents} documents; {parts})."
            )
        else:
            self.version.setText("In use: the base suggester (spaCy pipeline, gazetteer, trigger lexicon, rules).")
        self.rollback_button.setEnabled(active.name != found[0].name)

    def _run(self, work: Any, label: str, done: Any) -> None:
        self._busy(True)

        def finished(result: Any) -> None:
            self._busy(False)
            done(result)

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.window_.transfers.failed(exc)
            self.summary.setText(str(exc) if str(exc) else "Cancelled; nothing changed.")

        self.window_.tasks.run(work, on_done=finished, on_error=failed, parent=self, label=label, with_progress=True)
