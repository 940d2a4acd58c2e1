"""File > Import and File > Export: dialogs, then the work off the GUI thread with a cancellable progress bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.core.dto import MODEL
from annotator.core.errors import Cancelled, UserError
from annotator.core.paths import project_folder
from annotator.core.progress import Progress
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.file_dialogs import choose_files, choose_folder
from annotator.gui.markup import message_box
from annotator.services.export import ExportResult, export_dataset
from annotator.services.importer import ImportResult, import_paths
from annotator.services.records import default_layer

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class Transfers(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    # -- import ------------------------------------------------------------------------------------------------

    def import_files(self) -> None:
        files = choose_files(
            self.window,
            "Import articles",
            "Articles (*.txt *.html *.htm *.jsonl *.ndjson *.ann);;All files (*)",
            after=self.window.project.db.ensure_locks,
        )
        if files:
            self.start_import(files)

    def import_folder(self) -> None:
        folder = choose_folder(
            self.window, "Import a folder of articles or a brat corpus", after=self.window.project.db.ensure_locks
        )
        if folder:
            self.start_import([folder])

    def start_import(self, paths: list[Path], *, suggest: bool = True, then: Callable[[], None] | None = None) -> None:
        """Import with pre-annotation; `then` runs once it is over, however it ended."""
        project = self.window.project
        annotator = self.window.editor.annotator

        def work(progress: Progress) -> ImportResult:
            return import_paths(
                project.db,
                paths,
                annotator=annotator,
                preannotator=project.preannotator() if suggest else None,
                schema=project.schema,
                max_bytes=int(project.settings.get("max_document_bytes")),
                batch_size=int(project.settings.get("batch_size")) if suggest else None,
                progress=progress,
            )

        self._run(work, "Importing and pre-annotating…", self._import_finished, then)

    def _import_finished(self, result: ImportResult) -> None:
        window = self.window
        window.list_model.reload()
        window.refresh_annotators()
        if result.pipeline:
            window.status_pipeline.setText(result.pipeline)
        summary = f"Imported {len(result.added)} documents ({result.duplicates} already present)" + (
            " — cancelled; what was imported before stays" if result.cancelled else ""
        )
        window.statusBar().showMessage(summary, 8000)
        errors = [p.describe() for p in result.problems if p.severity == "error"]
        if errors:
            self._report(
                "Some files were not imported",
                f"{summary}.\n{len(errors)} file(s) or line(s) could not "
                "be imported; nothing already stored was changed.",
                errors,
            )
        if window.editor.current is None and result.added:
            window.open_document(result.added[0])

    # -- export ------------------------------------------------------------------------------------------------

    def export(self) -> None:
        window = self.window
        project = window.project
        layers = sorted(set(window.queries.annotators()) | {window.editor.annotator})
        dialog = ExportDialog(
            [*[n for n in layers if n != MODEL], MODEL],
            default_layer(project.db, window.editor.annotator),
            project_folder(project.db.url, project.home),  # exports land beside the database, where people look
            dict(project.settings.get("export_choices")),
            window,
            after_browse=project.db.ensure_locks,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            project.settings.set("export_choices", dialog.choices())
            self.start_export(
                dialog.chosen_format(),
                dialog.out(),
                dialog.layer.currentText(),
                dialog.chosen_status(),
                dialog.window_size.value(),
                include_suggestions=dialog.suggestions.isChecked(),
            )

    def start_export(
        self,
        fmt: str,
        out: Path,
        layer: str,
        status: str | None = None,
        window_size: int = 1,
        then: Callable[[], None] | None = None,
        *,
        include_suggestions: bool = False,
    ) -> None:
        project = self.window.project

        def work(progress: Progress) -> ExportResult:
            segmenter = None
            # Token- and sentence-based formats use the project's pipeline; the others need no spaCy load.
            if fmt not in {"jsonl", "brat", "ucdp-ged-csv"}:
                from annotator.nlp.segment import Segmenter

                segmenter = Segmenter(str(project.settings.get("spacy_model")))
            return export_dataset(
                project.db,
                project.schema,
                fmt,
                out,
                layer=layer,
                status=status,
                segmenter=segmenter,
                progress=progress,
                window=window_size,
                include_suggestions=include_suggestions,
            )

        self._run(work, f"Exporting {layer} as {fmt}…", self._export_finished, then)

    def _export_finished(self, result: ExportResult) -> None:
        summary = (
            f"Exported {result.documents} documents, {result.entities} entities and {result.events} events "
            f"of layer {result.layer} as {result.format} to {result.out}"
        )
        if result.unreviewed and not result.include_suggestions and result.layer != MODEL:
            summary += f"; {result.unreviewed} suggestions nobody reviewed were left out"
        self.window.statusBar().showMessage(summary, 10000)
        if result.problems:
            self._report(
                "Export finished with notes",
                f"{summary}.\n{result.problem_total} thing(s) could not be "
                "written in this format; they are listed below and in DATASET.md.",
                result.problems,
            )

    # -- running -----------------------------------------------------------------------------------------------

    def _run(
        self, work: Callable[[Progress], Any], label: str, done: Callable[[Any], None], then: Callable[[], None] | None
    ) -> None:
        """Run with a progress dialog; `then` follows the result or the error, however the work ended."""

        def finished(result: Any) -> None:
            done(result)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self.failed(exc)
            if then is not None:
                then()

        self.window.tasks.run(
            work, on_done=finished, on_error=failed, parent=self.window, label=label, with_progress=True
        )

    # -- errors ------------------------------------------------------------------------------------------------

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.window.statusBar().showMessage("Cancelled; nothing half-written was left behind", 8000)
        elif isinstance(exc, UserError):
            self.window.show_error(exc.describe())
        else:
            self.window.show_error(f"Unexpected error: {exc!r}")

    def _report(self, title: str, text: str, details: list[str]) -> None:
        box = message_box(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.setObjectName("transfer_report")
        box.setDetailedText("\n".join(details))
        box.open()  # not modal-blocking: the work is done and the window stays usable
