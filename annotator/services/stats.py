"""Corpus figures: documents, annotators, entity and event counts by label, origin, status and layer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from annotator.store import models as m
from annotator.store.database import Database


def corpus_stats(db: Database) -> dict[str, Any]:
    """Counts over every layer; `by_annotator` splits them so one layer can be read alone."""
    with db.reader() as session:

        def grouped(column: Any, model: Any) -> dict[str, int]:
            rows = session.execute(select(column, func.count()).select_from(model).group_by(column).order_by(column))
            return {str(key): int(count) for key, count in rows}

        names = dict(session.execute(select(m.Annotator.id, m.Annotator.name)).all())
        by_annotator = {
            names[k]: v
            for k, v in session.execute(
                select(m.EntityMention.annotator_id, func.count()).group_by(m.EntityMention.annotator_id)
            )
        }
        return {
            "documents": session.scalar(select(func.count()).select_from(m.Document)) or 0,
            "annotators": sorted(names.values()),
            "entities": {
                "total": session.scalar(select(func.count()).select_from(m.EntityMention)) or 0,
                "by_label": grouped(m.EntityMention.label, m.EntityMention),
                "by_origin": grouped(m.EntityMention.origin, m.EntityMention),
                "by_status": grouped(m.EntityMention.status, m.EntityMention),
                "by_annotator": dict(sorted(by_annotator.items())),
            },
            "events": {
                "total": session.scalar(select(func.count()).select_from(m.Event)) or 0,
                "by_type": grouped(m.Event.type, m.Event),
                "by_status": grouped(m.Event.status, m.Event),
            },
        }


def format_stats(stats: dict[str, Any]) -> str:
    """The same figures as aligned text for the terminal."""
    lines = [f"documents   {stats['documents']}", f"annotators  {', '.join(stats['annotators']) or '-'}"]
    for section, keys in (
        ("entities", ("by_label", "by_origin", "by_status", "by_annotator")),
        ("events", ("by_type", "by_status")),
    ):
        lines.append(f"{section:<11} {stats[section]['total']}")
        for key in keys:
            table = stats[section][key]
            if table:
                lines.append(f"  {key.replace('_', ' '):<11} " + ", ".join(f"{k} {v}" for k, v in table.items()))
    return "\n".join(lines)
