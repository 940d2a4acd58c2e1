"""Bring a list model's rows to a new list with row signals for what changed, instead of a model reset."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex

T = TypeVar("T")


def update_rows(
    model: QAbstractItemModel,
    rows: list[T],
    new: Sequence[T],
    key: Callable[[T], Hashable],
    parent: QModelIndex | None = None,
    changed: Callable[[T, T], bool] | None = None,
) -> bool:
    """Edit `rows` in place into `new`: rows whose key went are removed, new keys inserted, rows whose key stayed
    but whose content differs reported by dataChanged. A reset would lose the views' selection, scroll and
    expanded groups, and make them measure every row again; an edit touches a few rows. True if anything moved."""
    parent = parent or QModelIndex()
    differs = changed or (lambda old, fresh: old is not fresh and old != fresh)
    last_column = max(model.columnCount(parent) - 1, 0)
    old_keys, new_keys = [key(r) for r in rows], [key(r) for r in new]
    # An edit touches a few rows: match the common head and tail first, and diff only what lies between.
    head = 0
    while head < min(len(old_keys), len(new_keys)) and old_keys[head] == new_keys[head]:
        head += 1
    tail = 0
    while tail < min(len(old_keys), len(new_keys)) - head and old_keys[-1 - tail] == new_keys[-1 - tail]:
        tail += 1
    middle = SequenceMatcher(
        None, old_keys[head : len(old_keys) - tail], new_keys[head : len(new_keys) - tail], autojunk=False
    )
    blocks = [("equal", 0, head, 0, head)] if head else []
    blocks += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        blocks.append(("equal", len(old_keys) - tail, len(old_keys), len(new_keys) - tail, len(new_keys)))
    touched = False
    # Later blocks first, so the row numbers of earlier blocks still hold when their turn comes.
    for tag, i1, i2, j1, j2 in reversed(blocks):
        if tag == "equal":
            rewritten = [i for i in range(i1, i2) if differs(rows[i], new[j1 + i - i1])]
            for i in rewritten:
                rows[i] = new[j1 + i - i1]
            if rewritten:
                top, bottom = model.index(rewritten[0], 0, parent), model.index(rewritten[-1], last_column, parent)
                model.dataChanged.emit(top, bottom)
                touched = True
            continue
        if i2 > i1:
            model.beginRemoveRows(parent, i1, i2 - 1)
            del rows[i1:i2]
            model.endRemoveRows()
        if j2 > j1:
            model.beginInsertRows(parent, i1, i1 + j2 - j1 - 1)
            rows[i1:i1] = list(new[j1:j2])
            model.endInsertRows()
        touched = True
    return touched
