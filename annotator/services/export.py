"""The export use case: stream one layer into a dataset folder in one format, with its DATASET.md card."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, or_, select

from annotator.core.dto import GOLD, MODEL, Origin, Status
from annotator.core.errors import UserError
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.review import unreviewed_count, without_unreviewed
from annotator.core.schema import Schema
from annotator.formats.acled import AcledWriter
from annotator.formats.brat_write import BratWriter
from annotator.formats.card import CARD_FILE, REVIEW_MARKS, CardInfo, CorpusStats, ReviewInfo, render_card
from annotator.formats.common import DatasetWriter, without_private_attributes, without_rejected
from annotator.formats.conll import ConllWriter
from annotator.formats.jsonl import NativeWriter
from annotator.formats.textee import TextEEWriter
from annotator.formats.ucdp import UcdpWriter
from annotator.formats.xmi import XmiWriter
from annotator.services import records
from annotator.services.assignment import FINISHED
from annotator.store import models as m
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.nlp.segment import Segmenter

#: Writer factories by format name: (folder, schema, window size in sentences, layer) -> writer.
WRITERS: dict[str, Callable[[Path, Schema, int, str], DatasetWriter]] = {
    "jsonl": lambda d, s, w, layer: NativeWriter(d, s),
    "brat": lambda d, s, w, layer: BratWriter(d, s, relax_for_suggestions=layer == MODEL),
    "textee": lambda d, s, w, layer: TextEEWriter(d, s, w),
    "conll": lambda d, s, w, layer: ConllWriter(d, s),
    "xmi": lambda d, s, w, layer: XmiWriter(d, s),
    "acled-csv": lambda d, s, w, layer: AcledWriter(d, s),
    "ucdp-ged-csv": lambda d, s, w, layer: UcdpWriter(d, s),
}
#: Formats that carry incidents: each event names its incident, or rows are incidents.
INCIDENT_FORMATS = frozenset({"jsonl", "brat", "acled-csv", "ucdp-ged-csv"})
EXPORT_FORMATS = tuple(WRITERS)
_NO_PROGRESS = NullProgress()  # stateless, so one instance serves as the default
MAX_PROBLEMS = 200  # kept verbatim; beyond that only counted, so memory stays flat on a large corpus


@dataclass(frozen=True)
class ExportResult:
    format: str
    layer: str
    out: Path
    files: list[Path]  # files shared by the corpus; per-document files (brat, xmi) sit beside them
    documents: int
    entities: int
    events: int
    relations: int
    problems: list[str]  # the first MAX_PROBLEMS, corpus-wide summaries first
    problem_total: int
    status: str | None = None
    exported_at: str = ""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    include_suggestions: bool = False
    unreviewed: int = 0  # suggestions nobody reviewed: left out, or (include_suggestions, model layer) marked

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "layer": self.layer,
            "status": self.status,
            "out": str(self.out),
            "files": [str(f) for f in self.files],
            "documents": self.documents,
            "entities": self.entities,
            "events": self.events,
            "relations": self.relations,
            "problems": self.problems,
            "problem_total": self.problem_total,
            "exported_at": self.exported_at,
            "counts": self.counts,
            "include_suggestions": self.include_suggestions,
            "unreviewed": self.unreviewed,
        }


def export_dataset(
    db: Database,
    schema: Schema,
    fmt: str,
    out: Path,
    *,
    layer: str,
    status: str | None = None,
    segmenter: Segmenter | None = None,
    progress: Progress = _NO_PROGRESS,
    window: int = 1,
    exported_at: datetime | None = None,
    include_suggestions: bool = False,
) -> ExportResult:
    """Write `layer` (documents with `status`, if given) as `fmt` into the folder `out`.

    A person's layer and gold give only what a person reviewed (accepted, or made); with
    `include_suggestions` the suggestions nobody decided on go too, marked as the format allows. The
    model layer's suggestions are its content and always go.

    The folder is built under a temporary name beside `out` and renamed into place at the end, so a
    failed or cancelled export leaves nothing half-written; an earlier export in `out` is replaced.
    `window` is TextEE's window size in sentences. The card's export time is `exported_at`, else
    $SOURCE_DATE_EPOCH, else now; everything else depends only on the database.
    """
    if fmt not in WRITERS:
        raise UserError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out)
    _check_target(out)
    ids = records.layer_document_ids(db, layer, status)
    if not ids:
        with_status = f" with status {status}" if status else ""
        raise UserError(f"nothing to export: layer {layer!r} has no documents{with_status}")
    when = _export_time(exported_at)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(out)
        staging = out.with_name(f".{out.name}.partial-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        staging.mkdir()  # with the user's umask, like every folder they make (mkdtemp's would be 0700)
    except OSError as exc:
        raise _write_error(exc, out) from exc
    writer: DatasetWriter | None = None
    stats = CorpusStats()
    problems: list[str] = []
    total = 0
    try:
        writer = WRITERS[fmt](staging, schema, window, layer)
        keep_suggestions = include_suggestions or layer == MODEL
        in_incident = _incidents(db, schema, fmt, layer, ids, writer, reviewed_only=not keep_suggestions)
        if writer.needs_segmentation and segmenter is None:
            from annotator.nlp.segment import Segmenter

            segmenter = Segmenter()
        progress.start(len(ids), f"Exporting {len(ids)} documents as {fmt}")
        unreviewed = 0
        for record in records.iter_records(db, layer, ids):
            check_cancelled(progress)
            if in_incident:
                record = replace(
                    record, events=tuple(replace(e, incident=in_incident.get(e.id)) for e in record.events)
                )
            unreviewed += unreviewed_count(record)
            if not keep_suggestions:
                record = without_unreviewed(record)
            record = records.renumber(
                without_private_attributes(record if fmt == "jsonl" else without_rejected(record))
            )
            segmentation = (
                segmenter.segment(record.text) if segmenter is not None and writer.needs_segmentation else None
            )
            found = writer.write(record, segmentation)
            problems += found[: max(MAX_PROBLEMS - len(problems), 0)]
            total += len(found)
            stats.add(record)
            progress.advance(1, record.doc_id)
        files, summaries = writer.close()
        if keep_suggestions and unreviewed and fmt not in REVIEW_MARKS:
            summaries.append(
                f"{unreviewed} suggestions nobody reviewed are written like reviewed annotations: {fmt} has no "
                "place to mark them (jsonl, brat, textee and acled-csv mark them)"
            )
        problems, total = (summaries + problems)[:MAX_PROBLEMS], total + len(summaries)
        names = [*sorted(f.name for f in files), CARD_FILE]
        card = CardInfo(
            fmt=fmt,
            layer=layer,
            status=status,
            schema=schema,
            stats=stats,
            annotators=_annotators(db, layer, status),
            exported_at=when,
            files=names,
            problems=problems,
            problem_total=total,
            review=ReviewInfo(
                suggestions="model" if layer == MODEL else "included" if include_suggestions else "left out",
                unreviewed=unreviewed,
                gold=_gold_decisions(db, ids) if layer == GOLD else None,
            ),
            agreement=_agreement(db, ids),
        )
        (staging / CARD_FILE).write_text(render_card(card), encoding="utf-8", newline="\n")
        _move_into_place(staging, out)
    except BaseException as exc:
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()  # releases open files; the folder goes anyway
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(exc, out) from exc
        raise
    finally:
        progress.finish()
    if total > len(problems):
        problems = [*problems, f"... and {total - len(problems)} more ({total} in all)"]
    return ExportResult(
        format=fmt,
        layer=layer,
        out=out,
        files=[out / name for name in names],
        documents=stats.documents,
        entities=stats.entities.total(),
        events=stats.events.total(),
        relations=stats.relations.total(),
        problems=problems,
        problem_total=total,
        status=status,
        exported_at=when.isoformat(),
        counts={"entities": dict(stats.entities), "events": dict(stats.events), "relations": dict(stats.relations)},
        include_suggestions=include_suggestions,
        unreviewed=unreviewed,
    )


def _incidents(
    db: Database, schema: Schema, fmt: str, layer: str, ids: list[int], writer: Any, *, reviewed_only: bool
) -> dict[int, str]:
    """The layer's incidents over the exported documents, handed to a writer that writes them; event -> id.

    When only reviewed annotations go, so do only reviewed reports and the links a person confirmed.
    """
    if fmt not in INCIDENT_FORMATS:
        return {}
    from annotator.services.incidents import IncidentService

    service = IncidentService(db, schema)
    service.ensure_suggestions()
    incidents = service.incidents(layer, ids, reviewed_only=reviewed_only)
    if hasattr(writer, "set_incidents"):
        writer.set_incidents(incidents)
    return {event_id: incident.id for incident in incidents for event_id in incident.event_ids}


def _export_time(given: datetime | None) -> datetime:
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # the reproducible-builds convention for a fixed clock
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UserError("exports are folders, and this is a file; choose a folder name", path=out)
    if out.is_dir() and any(out.iterdir()) and not (out / CARD_FILE).exists():
        raise UserError(
            f"the folder holds other files and no {CARD_FILE}, so it is not an earlier export to "
            "replace; choose an empty or new folder",
            path=out,
        )


def _write_error(exc: OSError, out: Path) -> UserError:
    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: "free some space or choose another disk",
        errno.EDQUOT: "free some space or choose another disk",
        errno.EROFS: "the disk is read-only; choose another folder",
        errno.EACCES: "you may not write there; choose another folder",
        errno.EPERM: "you may not write there; choose another folder",
    }.get(exc.errno or 0, "choose another folder")
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(out) else ""
    return UserError(
        f"cannot write the export: {reason}{where}; nothing was written and an earlier export there is "
        f"unchanged — {hint}",
        path=out,
    )


def _remove_abandoned(out: Path) -> None:
    """Hidden staging folders an export killed half-way left beside `out` (their process is gone)."""
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.partial-*"):
        pid = leftover.name.rsplit(".partial-", 1)[1].split("-", 1)[0]
        if leftover.is_dir() and not (pid.isdigit() and _running(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _move_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _annotators(db: Database, layer: str, status: str | None) -> dict[str, tuple[int, int, int]]:
    """Annotators with a layer on the exported documents: on how many, how many done, how many items reviewed."""
    with db.reader() as session:
        if layer == MODEL:
            docs = select(m.Document.id)
        else:
            docs = (
                select(m.DocumentState.document_id)
                .join(m.Annotator, m.Annotator.id == m.DocumentState.annotator_id)
                .where(m.Annotator.name == layer)
            )
            if status:
                docs = docs.where(m.DocumentState.status == status)
        finished = case((m.DocumentState.status.in_(FINISHED), 1), else_=0)
        rows = session.execute(
            select(m.Annotator.id, m.Annotator.name, func.count(), func.sum(finished))
            .join(m.DocumentState, m.DocumentState.annotator_id == m.Annotator.id)
            .where(m.DocumentState.document_id.in_(docs))
            .group_by(m.Annotator.id, m.Annotator.name)
        ).all()
        found = {}
        for aid, name, n, done in rows:
            reviewed = 0
            for model in (m.EntityMention, m.Event):
                reviewed += (
                    session.scalar(
                        select(func.count())
                        .select_from(model)
                        .where(model.annotator_id == aid, model.document_id.in_(docs))
                        .where(
                            or_(
                                model.status == Status.ACCEPTED,
                                and_(model.origin == Origin.HUMAN, model.status != Status.REJECTED),
                            )
                        )
                    )
                    or 0
                )
            found[str(name)] = (int(n), int(done or 0), reviewed)
    return found


def _gold_decisions(db: Database, ids: list[int]) -> dict[str, int]:
    """How gold's standing edits on these documents were made: agreements put in automatically, decisions
    taken by an adjudicator, and other edits made in gold by hand."""
    with db.reader() as session:
        gold = records.find_annotator(session, GOLD)
        rows = session.execute(
            select(m.History.document_id, m.History.operation, func.count())
            .where(m.History.annotator_id == gold, m.History.undone.is_(False))
            .group_by(m.History.document_id, m.History.operation)
        ).all()
    exported = set(ids)  # filtered here: a list of 100,000 ids does not fit in one SQL statement
    kinds = {"adjudicate_auto": "automatic", "adjudicate": "adjudicator"}
    found = {"automatic": 0, "adjudicator": 0, "by hand": 0}
    for document_id, operation, n in rows:
        if document_id in exported:
            found[kinds.get(operation, "by hand")] += int(n)
    return found


def _agreement(db: Database, ids: list[int]) -> dict[str, Any] | None:
    """Agreement among the annotators on the exported documents two or more of them finished."""
    from annotator.services.agreement_report import agreement_report

    report = agreement_report(db, document_ids=ids)
    return report.to_json() if report.pairs else None
