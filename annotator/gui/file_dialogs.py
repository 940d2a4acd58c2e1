"""File choosers that never open the files they list, so SQLite keeps its locks on the project database.

Qt's own file dialog asks its icon provider for each listed file's type, and the default provider
reads the first bytes of files whose name does not tell (QMimeDatabase content matching). Opening and
closing the project database that way drops every POSIX lock SQLite holds on it (see
annotator.store.lock_guard), whatever folder the user browses to. These dialogs use Qt's widget-based
dialog (a platform dialog runs code we cannot control in this process) with a provider that judges
files by name only, and re-check the database's locks once the dialog closes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from a file's name, never from its content."""

    def __init__(self) -> None:
        super().__init__()
        self._mimes = QMimeDatabase()

    def icon(self, what: QFileInfo | QAbstractFileIconProvider.IconType) -> QIcon:
        if isinstance(what, QFileInfo):
            kinds = QAbstractFileIconProvider.IconType
            return super().icon(kinds.Folder if what.isDir() else kinds.File)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        mime = self._mimes.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() or "File"


@cache
def _provider() -> NameOnlyIconProvider:
    """One for the application: a dialog does not take ownership of its icon provider."""
    return NameOnlyIconProvider()


def _dialog(parent: QWidget | None, title: str, start: str, mode: QFileDialog.FileMode) -> QFileDialog:
    dialog = QFileDialog(parent, title, start)
    dialog.setObjectName("file_dialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setIconProvider(_provider())
    dialog.setFileMode(mode)
    if mode == QFileDialog.FileMode.Directory:
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return dialog


def _run(dialog: QFileDialog, after: Callable[[], object] | None) -> list[Path]:
    try:
        accepted = dialog.exec() == QFileDialog.DialogCode.Accepted
        return [Path(f) for f in dialog.selectedFiles()] if accepted else []
    finally:
        dialog.deleteLater()
        if after is not None:
            after()  # whatever happened inside, make sure the database still holds its locks


def choose_files(
    parent: QWidget | None, title: str, name_filter: str, start: str = "", after: Callable[[], object] | None = None
) -> list[Path]:
    dialog = _dialog(parent, title, start, QFileDialog.FileMode.ExistingFiles)
    dialog.setNameFilter(name_filter)
    return _run(dialog, after)


def choose_folder(
    parent: QWidget | None, title: str, start: str = "", after: Callable[[], object] | None = None
) -> Path | None:
    chosen = _run(_dialog(parent, title, start, QFileDialog.FileMode.Directory), after)
    return chosen[0] if chosen else None
