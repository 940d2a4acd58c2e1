"""The composition root: paths, settings, database, schema, then Qt, in a fixed and logged order."""

from __future__ import annotations

import gc
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.core.errors import UserError
from annotator.core.paths import seeds_dir
from annotator.gui.markup import message_box, warn
from annotator.services.project import Project, open_project

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Bugs are logged with their traceback and shown; user errors are shown plainly."""
    if isinstance(exc, UserError):
        warn(None, "annotator", exc.describe())
        return
    text = "".join(traceback.format_exception(kind, exc, tb))
    log.error("unexpected error:\n%s", text)
    box = message_box(
        QMessageBox.Icon.Critical,
        "annotator — unexpected error",
        f"{exc!r}\n\nYour edits so far are saved. Please report this with the details below.",
    )
    box.setDetailedText(text)
    box.exec()


def ask_annotator_name(project: Project) -> None:
    """On first start, ask who is annotating (the OS user by default) and remember it."""
    if project.settings.get("annotator_confirmed"):
        return
    name, ok = QInputDialog.getText(
        None,
        "Welcome to annotator",
        "Your name (your edits are stored under it):",
        text=str(project.settings.get("annotator_name")),
    )
    if ok and name.strip():
        project.settings.set("annotator_name", name.strip())
    project.settings.set("annotator_confirmed", True)


def build_window(project: Project) -> MainWindow:
    from annotator.gui.main_window import MainWindow
    from annotator.nlp.spacy_loader import describe_available

    return MainWindow(project, describe_available(str(project.settings.get("spacy_model"))))


def freeze_start_up() -> None:
    """Put what start-up made (modules, schema, widgets), which lives as long as the process, out of the
    garbage collector's reach: its full collections then walk only what came since. Otherwise the first
    open of a document, whose thousands of spans outlive the previous one's, pays for walking all of it
    (about 15 ms of a 50 ms open). No collection first: start-up leaves no garbage for one to find, and
    walking everything would cost the window 60 ms before it draws."""
    gc.freeze()


def open_initial_document(window: MainWindow, open_id: int | None = None) -> None:
    """The document asked for, else the one open when the app was last closed, else the first."""
    target = open_id or int(window.project.settings.get("last_document")) or None
    if target is None or window.list_model.row_of(target) is None:
        target = window.documents.neighbour(None, 1)
    window.open_document(target)


def run_gui(
    db: str | None = None, open_id: int | None = None, screenshot: Path | None = None, view: str | None = None
) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("annotator")
    try:
        project = open_project(db)
    except UserError as exc:  # not a database, newer, locked: say so in a window, not only on a terminal
        if screenshot is None:
            message_box(QMessageBox.Icon.Critical, "annotator — cannot open the project", exc.describe()).exec()
        raise
    if screenshot is None:
        sys.excepthook = _excepthook
        ask_annotator_name(project)
    window = build_window(project)
    window.show()
    freeze_start_up()

    def ready() -> None:
        open_initial_document(window, open_id)
        if view is not None:  # the map or the incidents: shot once the incidents are read
            window.incident_docks.loaded.connect(
                lambda: screenshot is not None and QTimer.singleShot(400, lambda: _save_screenshot(window, screenshot))
            )
            window.incident_docks.show_view(view)
        elif screenshot is not None:
            QTimer.singleShot(400, lambda: _save_screenshot(window, screenshot))

    seeds = seeds_dir()
    if project.is_empty() and seeds.is_dir():
        # First run: the four sample articles, pre-annotated, so there is something real to look at.
        window.transfers.start_import([seeds], then=ready)
    else:
        ready()
    return int(app.exec())


def _save_screenshot(window: MainWindow, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        log.error("could not write the screenshot %s", path)
    window.close()
    QApplication.quit()
