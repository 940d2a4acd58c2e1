"""The import use case: read files, skip duplicates, mark boilerplate, pre-annotate in batches, store."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.dto import MODEL, DocStatus, DocumentRecord, ReadProblem
from annotator.core.errors import Cancelled, UserError
from annotator.core.progress import NullProgress, Progress
from annotator.core.schema import Schema
from annotator.formats.text import guess_title
from annotator.services import records
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator, Suggestions

log = logging.getLogger(__name__)
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUGGEST_BATCH, PLAIN_BATCH = 32, 500  # documents per transaction by default, with and without suggestions
_OWN_DATABASE = "the project's own database (and its -wal/-shm files); not imported"


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


def _sniff_jsonl(path: Path) -> str:
    """Which JSON Lines flavour a file is, from its first object: native export, doccano, or raw articles."""
    import json

    try:
        with path.open(encoding="utf-8-sig") as handle:
            first = next((line for line in handle if line.strip()), "")
        data = json.loads(first) if first else {}
    except (OSError, ValueError):
        return "articles"  # the articles reader reports the exact problem with its line number
    if isinstance(data, dict):
        if "text_sha256" in data:  # TextEE windows also carry entity_mentions, but never the text's hash
            return "native"
        if "label" in data or "entities" in data or "annotations" in data:
            return "doccano"
        if "events" in data and "text" not in data:
            return "incidents"  # a native export's incidents.jsonl: read back from the events' incident ids
    return "articles"


def _expand(
    paths: Iterable[Path], skip: Callable[[Path], bool] | None = None
) -> Iterator[tuple[str, Path] | ReadProblem]:
    """(kind, path) for every importable input below `paths`, and a problem for each file left out.

    A folder with .ann files is one brat corpus. `skip` names files never to open (the project's own
    database: reading it would drop SQLite's locks on it).
    """
    for path in paths:
        if skip is not None and skip(path):
            yield ReadProblem(str(path), _OWN_DATABASE, severity="warning")
        elif path.is_dir():
            yield from _expand_folder(path, skip)
        elif path.suffix.lower() == ".ann":
            yield "brat", path
        else:
            yield _kind(path) or "text", path


def _expand_folder(folder: Path, skip: Callable[[Path], bool] | None) -> Iterator[tuple[str, Path] | ReadProblem]:
    found: list[tuple[str, str]] = []
    errors: list[OSError] = []
    for root, dirs, names in os.walk(folder, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend((root, n) for n in names if not n.startswith("."))
    parts = {root: Path(root).parts for root, _ in found}  # sorted as paths sort, without a path per comparison
    found.sort(key=lambda f: (*parts[f[0]], f[1]))
    files = [Path(root, n) for root, n in found]
    for error in errors:
        yield ReadProblem(str(error.filename or folder), f"cannot read the folder: {error.strerror or error}")
    if any(f.suffix.lower() == ".ann" and f.parent == folder for f in files):
        yield "brat", folder
        for other in files:
            if other.parent == folder and other.suffix.lower() in {".ann", ".txt", ".conf"}:
                continue
            yield ReadProblem(
                str(other),
                "not imported: the folder is read as a brat corpus (it has .ann files); import this file on its own",
                severity="warning",
            )
        return
    own_database = [f for f in files if skip is not None and skip(f)]
    if own_database:  # one note for the database and its -wal / -shm files
        yield ReadProblem(str(min(own_database)), _OWN_DATABASE, severity="warning")
    for child in (f for f in files if f not in own_database):
        kind = _kind(child)
        if kind is None:
            yield ReadProblem(
                str(child),
                f"not imported: {child.suffix or 'this'} files are not a format annotator reads "
                "(text, HTML, JSON Lines, brat, native JSONL, doccano)",
                severity="warning",
            )
        else:
            yield kind, child


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        kind = _sniff_jsonl(path) if path.exists() else "articles"
        return None if kind == "incidents" else kind
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _read_items(
    items: Iterable[tuple[str, Path] | ReadProblem], max_bytes: int, schema: Schema | None
) -> Iterator[DocumentRecord | ReadProblem]:
    """Every record the listed inputs hold, lazily; unreadable or skipped inputs become problems naming the file."""
    from annotator.formats import articles, html, text

    for item in items:
        if isinstance(item, ReadProblem):
            yield item
            continue
        kind, path = item
        if not path.exists():
            reason = "a broken symbolic link" if path.is_symlink() else "no such file or folder"
            yield ReadProblem(str(path), reason)
            continue
        try:
            if kind == "text":
                yield from text.read_text(path, max_bytes)
            elif kind == "html":
                yield from html.read_html(path, max_bytes)
            elif kind == "articles":
                yield from articles.read_articles(path, max_bytes)
            else:
                yield from _annotated_reader(kind)(path, schema=schema)
        except UserError as exc:
            yield ReadProblem(exc.path or str(path), exc.message, line=exc.line)


def _annotated_reader(kind: str) -> Callable[..., Iterator[DocumentRecord | ReadProblem]]:
    if kind == "brat":
        from annotator.formats.brat import read_brat

        return read_brat
    if kind == "native":
        from annotator.formats.jsonl import read_native

        return read_native
    from annotator.formats.doccano import read_doccano

    return read_doccano


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


def _prepare(record: DocumentRecord) -> DocumentRecord:
    """Mark boilerplate (kept, greyed, skipped by pre-annotation) and pick a title that is not boilerplate."""
    from annotator.nlp.boilerplate import find_boilerplate

    boilerplate = record.boilerplate or find_boilerplate(record.text)
    title = record.title or guess_title(record.text, boilerplate)
    return replace(record, boilerplate=boilerplate, title=title)


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
    items = list(_expand(paths, db.owned_files()))  # a folder is listed once, for the estimate and the reading
    progress.start(_estimate(items), "Importing")
    seen: set[str] = set()
    links: dict[tuple[int, str], list[int]] = {}  # (layer, incident id in the files) -> stored events
    try:
        # Documents per transaction: a spaCy batch with suggestions; without, 500 keep SQLite's speed.
        size = batch_size or (SUGGEST_BATCH if preannotator is not None else PLAIN_BATCH)
        inputs = _read_items(items, max_bytes, schema)

        def store(ready: _Sorted) -> None:
            if progress.cancelled():
                raise Cancelled()
            _store(db, ready, annotator, result, links)
            progress.advance(ready.size)

        # Pre-annotation's other processes start on a batch before the one before it is stored, so storing
        # overlaps their work: two batches are in hand at a time.
        ready: _Sorted | None = None
        for batch in _batches(inputs, size, result.problems):
            if progress.cancelled():
                raise Cancelled()
            sorted_batch = _sort(db, batch, preannotator, result, seen)
            if ready is not None:
                store(ready)
            ready = sorted_batch.collected()
        if ready is not None:
            store(ready)
    except Cancelled:
        result.cancelled = True
    finally:
        progress.finish()
    if links:  # incidents span documents, so they are stored once every batch is in
        from annotator.services.incidents import store_imported

        result.incidents = store_imported(db, links)
    return result


@dataclass
class _Sorted:
    """A batch sorted into new documents (with their suggestions once collected) and layers for stored ones."""

    size: int
    fresh: list[DocumentRecord]
    layered: list[tuple[int, DocumentRecord]]
    # annotated records whose text an earlier record of this import brings: a layer once that one is stored
    later: list[tuple[str, DocumentRecord]]
    collect: Callable[[], list[DocumentRecord | None]]
    suggestions: list[DocumentRecord | None] = field(default_factory=list)

    def collected(self) -> _Sorted:
        self.suggestions = self.collect()
        return self


def _sort(
    db: Database, batch: list[DocumentRecord], preannotator: Preannotator | None, result: ImportResult, seen: set[str]
) -> _Sorted:
    """Which records are new, which bring a layer to a stored document, which are duplicates; the new ones'
    pre-annotation is started."""
    shas = [records.text_sha256(r.text) for r in batch]
    with db.reader() as session:
        existing = records.find_duplicates(session, set(shas))
    fresh: list[DocumentRecord] = []
    layered: list[tuple[int, DocumentRecord]] = []
    later: list[tuple[str, DocumentRecord]] = []
    for record, sha in zip(batch, shas, strict=True):
        doc_id = existing.get(sha)
        if doc_id is None and sha not in seen:
            seen.add(sha)
            fresh.append(_prepare(record))
        elif _annotated(record):  # same text already here: add this layer if it is new
            if doc_id is None:
                later.append((sha, record))
            else:
                layered.append((doc_id, record))
        else:
            result.duplicates += 1
    return _Sorted(len(batch), fresh, layered, later, _suggest(preannotator, fresh, result.problems))


def _store(
    db: Database, batch: _Sorted, annotator: str, result: ImportResult, links: dict[tuple[int, str], list[int]]
) -> None:
    """Store a sorted batch in one transaction: new documents, their suggestions and layers, new layers."""
    fresh, layered = batch.fresh, list(batch.layered)
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
                result.problems.append(
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


def _estimate(items: list[tuple[str, Path] | ReadProblem]) -> int:
    """How many documents the inputs hold, cheaply: files, plus lines of JSON Lines files."""
    total = 0
    for item in items:
        if isinstance(item, ReadProblem):
            continue
        kind, path = item
        if kind in {"articles", "native", "doccano"} and path.is_file():
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        elif kind == "brat" and path.is_dir():
            total += sum(1 for _ in path.glob("*.ann"))
        else:
            total += 1
    return total
