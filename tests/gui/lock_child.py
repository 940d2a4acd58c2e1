"""A real window in a child process for the lock tests: edit, a file dialog on the database's folder, edit.

Protocol on stdout/stdin: prints "ready", "dialog-closed" after cancelling the dialog, waits for a line
"go", makes a second edit and prints "edited START" once it is committed; then it waits to be killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from annotator.gui.app import build_window
from annotator.services.project import open_project


def main(db: str, which: str) -> None:
    app = QApplication([])
    project = open_project(db)
    project.settings.set("annotator_name", "alice")
    project.settings.set("annotator_confirmed", True)
    window = build_window(project)
    window.show()
    window.open_document(1)
    text = window.editor.current.text

    def label(word: str) -> int:
        start = text.index(word)
        window.article.set_selection(start, start + len(word))
        window.editor.label("ORG")
        return start

    label("Siege Watch")
    print("ready", flush=True)

    def cancel_when_listed() -> None:
        dialog = next((w for w in app.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, cancel_when_listed)
            return
        # give the dialog's file model time to list the folder (and, unfixed, sniff every file in it)
        QTimer.singleShot(1500, dialog.reject)

    def open_dialog() -> None:
        QTimer.singleShot(50, cancel_when_listed)
        if which == "import":
            window.registry["import_folder"].trigger()
            after_dialog()
        else:
            QTimer.singleShot(0, export_browse)
            window.registry["export"].trigger()

    def export_browse() -> None:
        export = next(w for w in app.topLevelWidgets() if w.objectName() == "export_dialog" and w.isVisible())
        export.folder.setText(str(Path(db).parent))
        export.findChild(QPushButton, "export_browse").click()  # the folder dialog, cancelled by the timer
        export.reject()
        after_dialog()

    def after_dialog() -> None:
        print("dialog-closed", flush=True)
        sys.stdin.readline()  # the parent has let another process read the database meanwhile
        start = label("al-Waer")
        print(f"edited {start}", flush=True)

    QTimer.singleShot(100, open_dialog)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
