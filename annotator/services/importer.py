"""The import use case: read files, skip duplicates, mark boilerplate, pre-annotate in batches, store."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.dto import MODEL, DocStatus, DocumentRecord, ReadProblem
from annotator.core.errors import Cancelled
from annotator.core.progress import NullProgress, Progress
from annotator.core.schema import Schema
from annotator.services import reading, records
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator, Suggestions

log = logging.getLogger(__name__)
SUGGEST_BATCH, PLAIN_BATCH = 32, 500  # documents per transaction by default, with and without suggestions


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)  # database ids of new documents
    layers_added: int = 0  # annotation layers added to documents already present
    duplicates: int = 0
    entities: int = 0  # suggestions and imported annotations stored
    events: int = 0
    incidents: int = 0  # incidents the files link their events into
    problems: list[ReadProblem] = field(default_factory=list)
    pipeline: str = ""
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "document_ids": self.added,
            "layers_added": self.layers_added,
            "duplicates": self.duplicates,
            "entities": self.entities,
            "events": self.events,
            "incidents": self.incidents,
            "errors": [p.describe() for p in self.problems if p.severity == "error"],
            "warnings": [p.describe() for p in self.problems if p.severity != "error"],
            "pipeline": self.pipeline,
            "cancelled": self.cancelled,
        }


def import_paths(
    db: Database,
    paths: Iterable[Path],
    *,
    annotator: str,
    preannotator: Preannotator | None,
    schema: Schema | None = None,
    max_bytes: int = 10_000_000,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every readable document; a failing file is reported and the rest goes on.

    Each batch is one transaction, so a crash, a cancel or a locked database loses at most the two batches
    in hand (one being stored, the next being pre-annotated) and never touches what was stored before.
    `preannotator=None` imports without suggestions; `schema`, when given, lets annotated files (brat,
    native, doccano) report labels it does not know.
    """
    progress = progress or NullProgress()
    paths = list(paths)
    result = ImportResult(pipeline=preannotator.message if preannotator else "no pre-annotation (--no-suggest)")
    items = list(reading.expand(paths, db.owned_files()))  # a folder is listed once, for the estimate and reading
    progress.start(reading.estimate(items), "Importing")
    seen: set[str] = set()
    links: dict[tuple[int, str], list[int]] = {}  # (layer, incident id in the files) -> stored events
    try:
        # Documents per transaction: a spaCy batch with suggestions; without, 500 keep SQLite's speed.
        size = batch_size or (SUGGEST_BATCH if preannotator is not None else PLAIN_BATCH)
        # Without suggestions, reading (Python) would hold up storing (SQLite): another process reads.
        elsewhere = preannotator is None and len(items) >= reading.READ_ELSEWHERE
        inputs = (reading.read_elsewhere if elsewhere else reading.read_items)(items, max_bytes, schema)

        storer = _Storer(db, annotator, result, links, progress, background=preannotator is None)
        # Pre-annotation's other processes start on a batch before the one before it is stored, so storing
        # overlaps their work: two batches are in hand at a time.
        ready: _Sorted | None = None
        try:
            for batch in _batches(inputs, size, result.problems):
                if progress.cancelled():
                    raise Cancelled()
                sorted_batch = _sort(db, batch, preannotator, seen)
                if ready is not None:
                    storer.store(ready)
                ready = sorted_batch.collected()
            if ready is not None:
                storer.store(ready)
            storer.wait()
        finally:
            storer.close()
    except Cancelled:
        result.cancelled = True
    finally:
        progress.finish()
    if links:  # incidents span documents, so they are stored once every batch is in
        from annotator.services.incidents import store_imported

        result.incidents = store_imported(db, links)
    return result


class _Storer:
    """Stores sorted batches in order, one transaction each; in the `background` a thread stores a batch while
    the caller reads the next (SQLite lets other threads run while it writes), so an import without
    suggestions keeps both the reading and the writing busy. The result's counts are only changed by the
    storing; problems and progress are reported by the caller's thread once a batch is in."""

    def __init__(
        self,
        db: Database,
        annotator: str,
        result: ImportResult,
        links: dict[tuple[int, str], list[int]],
        progress: Progress,
        *,
        background: bool,
    ) -> None:
        self._write: Callable[[_Sorted], None] = lambda ready: _store(db, ready, annotator, result, links)
        self._result, self._progress = result, progress
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="import-store") if background else None
        self._pending: tuple[_Sorted, Future[None]] | None = None

    def store(self, ready: _Sorted) -> None:
        """Store `ready` after the batch before is in; a failure of either is raised here."""
        self.wait()
        if self._progress.cancelled():
            raise Cancelled()
        if self._thread is None:
            self._write(ready)
            self._done(ready)
        else:
            self._pending = (ready, self._thread.submit(self._write, ready))

    def wait(self) -> None:
        if self._pending is not None:
            ready, future = self._pending
            self._pending = None
            future.result()
            self._done(ready)

    def _done(self, ready: _Sorted) -> None:
        self._result.problems.extend(ready.problems)
        self._progress.advance(ready.size)

    def close(self) -> None:
        """After a cancel or a failure: let the batch being stored finish whole, and stop the thread."""
        try:
            with contextlib.suppress(Exception):  # the failure on the way out is the one to report
                self.wait()
        finally:
            if self._thread is not None:
                self._thread.shutdown(wait=True)


@dataclass
class _Sorted:
    """A batch sorted into new documents (with their suggestions once collected) and layers for stored ones."""

    size: int
    duplicates: int  # records whose text is stored already or earlier in this import, with no layer to add
    fresh: list[DocumentRecord]
    layered: list[tuple[int, DocumentRecord]]
    # annotated records whose text an earlier record of this import brings: a layer once that one is stored
    later: list[tuple[str, DocumentRecord]]
    collect: Callable[[], list[DocumentRecord | None]]
    suggestions: list[DocumentRecord | None] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)  # found while storing

    def collected(self) -> _Sorted:
        self.suggestions = self.collect()
        return self


def _batches(
    items: Iterator[DocumentRecord | ReadProblem], size: int, problems: list[ReadProblem]
) -> Iterator[list[DocumentRecord]]:
    batch: list[DocumentRecord] = []
    for item in items:
        if isinstance(item, ReadProblem):
            problems.append(item)
            log.warning("import: %s", item.describe())
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _sort(db: Database, batch: list[DocumentRecord], preannotator: Preannotator | None, seen: set[str]) -> _Sorted:
    """Which records are new, which bring a layer to a stored document, which are duplicates; the new ones'
    pre-annotation is started."""
    shas = [records.text_sha256(r.text) for r in batch]
    with db.reader() as session:
        existing = records.find_duplicates(session, set(shas))
    fresh: list[DocumentRecord] = []
    layered: list[tuple[int, DocumentRecord]] = []
    later: list[tuple[str, DocumentRecord]] = []
    duplicates = 0
    problems: list[ReadProblem] = []
    for record, sha in zip(batch, shas, strict=True):
        doc_id = existing.get(sha)
        if doc_id is None and sha not in seen:
            seen.add(sha)
            fresh.append(record)
        elif _annotated(record):  # same text already here: add this layer if it is new
            if doc_id is None:
                later.append((sha, record))
            else:
                layered.append((doc_id, record))
        else:
            duplicates += 1
    # Pre-annotation's problems are reported with the storing's, once the batch is in.
    collect = _suggest(preannotator, fresh, problems)
    return _Sorted(len(batch), duplicates, fresh, layered, later, collect, problems=problems)


def _store(
    db: Database, batch: _Sorted, annotator: str, result: ImportResult, links: dict[tuple[int, str], list[int]]
) -> None:
    """Store a sorted batch in one transaction: new documents, their suggestions and layers, new layers."""
    fresh, layered = batch.fresh, list(batch.layered)
    result.duplicates += batch.duplicates
    with db.session() as session:
        model_id = records.annotator_id(session, MODEL)
        # The person's row only when the files bring a layer for them: a plain import adds no annotator.
        wanted = layered or batch.later or any(_annotated(r) for r in fresh)
        layer_id = records.annotator_id(session, annotator) if wanted else 0
        stored_ids = records.store_documents(session, fresh)  # one statement for the batch
        for record, suggested, doc_id in zip(fresh, batch.suggestions, stored_ids, strict=True):
            if doc_id is None:  # another import stored the same text since the duplicate check
                present = records.find_duplicate(session, records.text_sha256(record.text))
                if present is not None and (record.entities or record.events):
                    layered.append((present, record))
                else:
                    result.duplicates += 1
                continue
            result.added.append(doc_id)
            if suggested is not None:
                records.store_layer(session, doc_id, model_id, suggested)
                result.entities += len(suggested.entities)
                result.events += len(suggested.events)
            if _annotated(record):
                stored: dict[int, int] = {}
                records.store_layer(session, doc_id, layer_id, record, _layer_status(record, annotator), stored)
                _collect(links, layer_id, record, stored)
                result.entities += len(record.entities)
                result.events += len(record.events)
        for sha, record in batch.later:
            present = records.find_duplicate(session, sha)
            if present is None:  # its text's first record could not be stored
                result.duplicates += 1
            else:
                layered.append((present, record))
        for doc_id, record in layered:
            if records.has_layer(session, doc_id, layer_id):
                result.duplicates += 1
                batch.problems.append(
                    ReadProblem(
                        str(record.meta.get("path", record.doc_id)),
                        f"document {record.doc_id} is already in the project with a layer for {annotator}; skipped",
                        doc_id=record.doc_id,
                        severity="warning",
                    )
                )
                continue
            stored = {}
            records.store_layer(session, doc_id, layer_id, record, _layer_status(record, annotator), stored)
            _collect(links, layer_id, record, stored)
            result.layers_added += 1
            result.entities += len(record.entities)
            result.events += len(record.events)


def _annotated(record: DocumentRecord) -> bool:
    return bool(record.entities or record.events)


def _collect(
    links: dict[tuple[int, str], list[int]], layer: int, record: DocumentRecord, stored: dict[int, int]
) -> None:
    for event in record.events:
        if event.incident is not None:
            links.setdefault((layer, event.incident), []).append(stored[event.id])


def _layer_status(record: DocumentRecord, annotator: str) -> str | None:
    """The model's layer has no document state; a person's imported layer is in progress unless it says."""
    return None if annotator == MODEL else record.status or DocStatus.IN_PROGRESS


def _suggest(
    preannotator: Preannotator | None, fresh: list[DocumentRecord], problems: list[ReadProblem]
) -> Callable[[], list[DocumentRecord | None]]:
    """Start pre-annotating a batch; what the returned callable collects holds suggestions per document.
    A document the pipeline fails on is imported without them, and named."""
    if preannotator is None or not fresh:
        return lambda: [None] * len(fresh)
    from annotator.nlp.preannotate import AnnotationInput

    inputs = [AnnotationInput(r.text, r.boilerplate, r.published) for r in fresh]
    started = preannotator.submit(inputs, batch_size=len(inputs))

    def collect() -> list[DocumentRecord | None]:
        try:
            return _records(fresh, started())
        except Exception:  # one bad text must not cost the batch: find it by running them one by one
            log.exception("pre-annotation failed on a batch; retrying its documents one by one")
        suggested: list[DocumentRecord | None] = []
        for record, item in zip(fresh, inputs, strict=True):
            try:
                suggested.extend(_records([record], preannotator.annotate([item], batch_size=1)))
            except Exception as exc:
                log.exception("pre-annotation failed on %s", record.doc_id)
                problems.append(
                    ReadProblem(
                        str(record.meta.get("path", record.doc_id)),
                        f"imported without suggestions: the pipeline failed on this text ({exc})",
                        line=record.meta.get("line"),
                        doc_id=record.doc_id,
                        severity="warning",
                    )
                )
                suggested.append(None)
        return suggested

    return collect


def _records(fresh: list[DocumentRecord], suggestions: Iterable[Suggestions]) -> list[DocumentRecord | None]:
    return [
        DocumentRecord(doc_id=r.doc_id, text=r.text, entities=s.entities, events=s.events)
        for r, s in zip(fresh, suggestions, strict=True)
    ]
