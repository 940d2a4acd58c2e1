"""`annotator adjudicate`: agreements into gold across the project, and what is left for a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.schema import Schema
from annotator.services.adjudication import AdjudicationService
from annotator.services.agreement_report import annotator_ids, shared_documents
from annotator.services.assignment import FINISHED, load_team_settings
from annotator.store.database import Database


def adjudicate_project(
    db: Database,
    schema: Schema,
    annotators: Sequence[str] | None = None,
    *,
    auto: bool = False,
    min_agree: int | None = None,
) -> dict[str, Any]:
    """Every document two or more people finished: agreements into gold (with `auto`), then the open items."""
    service = AdjudicationService(db, schema)
    min_agree = min_agree or load_team_settings(db).min_agree
    with db.reader() as session:
        documents = shared_documents(session, annotator_ids(session, annotators), FINISHED)
    out: list[dict[str, Any]] = []
    for document_id, names in documents.items():
        added = service.auto(document_id, min_agree, names)[1] if auto else 0
        state = service.state(document_id, names)
        out.append(
            {
                "id": document_id,
                "doc_id": state.doc_id,
                "annotators": list(state.annotators),
                "added": added,
                "agreed": state.agreed,
                "status": state.gold_status,
                "left": [
                    {
                        "kind": row.kind,
                        "name": row.name,
                        "start": row.start,
                        "end": row.end,
                        "versions": dict(zip(state.annotators, row.versions, strict=True)),
                        "gold": row.gold or None,
                    }
                    for row in state.rows
                    if not row.decided
                ],
            }
        )
    return {
        "min_agree": min_agree,
        "auto": auto,
        "documents": out,
        "added": sum(d["added"] for d in out),
        "left": sum(len(d["left"]) for d in out),
        "adjudicated": sum(1 for d in out if d["status"] == "adjudicated"),
    }


def format_run(run: dict[str, Any]) -> str:
    lines = []
    for doc in run["documents"]:
        lines.append(
            f"{doc['doc_id']}: {doc['added']} put into gold, {len(doc['left'])} left "
            f"({', '.join(doc['annotators'])}; gold {doc['status'] or 'not started'})"
        )
        for item in doc["left"]:
            versions = "; ".join(f"{who}: {what}" for who, what in item["versions"].items())
            what = f"{item['kind']} {item['name']}".strip()
            lines.append(f"  {what} at {item['start']}-{item['end']}: {versions}")
    lines.append(
        f"{len(run['documents'])} documents, {run['added']} items put into gold, {run['left']} left for a person, "
        f"{run['adjudicated']} adjudicated"
    )
    return "\n".join(lines)
