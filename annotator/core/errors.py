"""The two kinds of error: user errors (shown plainly, nothing lost) and bugs (logged with a traceback)."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Something the user can fix: a bad file, an unknown label, a locked database.

    `where` names the file and, when known, the line or offset, so every message points at the problem.
    """

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None, offset: int | None = None
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.offset = offset
        super().__init__(self.describe())

    @property
    def where(self) -> str:
        parts = []
        if self.path:
            parts.append(self.path)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.offset is not None:
            parts.append(f"offset {self.offset}")
        return ", ".join(parts)

    def describe(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class SchemaError(UserError):
    """The annotation schema file is invalid; `key_path` says where (e.g. event_types.Conflict.Attack.roles)."""

    def __init__(self, message: str, *, key_path: str, path: str | Path | None = None) -> None:
        self.key_path = key_path
        super().__init__(f"{key_path}: {message}", path=path)


class DatabaseLockedError(UserError):
    """Another process holds a write lock on the database for longer than the busy timeout."""


class DatabaseTooNewError(UserError):
    """The database was written by a newer version of annotator; opening it could damage it."""


class StaleEditError(UserError):
    """The edit was aimed at rows another session of the same layer changed or removed meanwhile."""

    def __init__(self, what: str = "what you edited") -> None:
        super().__init__(
            f"{what} was changed or removed in another window or session of this layer; nothing was changed "
            "and the document is shown as it is now"
        )


class Cancelled(Exception):
    """Long work was cancelled by the user; what was committed before stays committed."""
