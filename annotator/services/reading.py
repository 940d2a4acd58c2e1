"""Listing and reading an import's files: the format of each, its records with boilerplate marked and a title.

A large import is read in another process, a few chunks of files ahead, while this one stores."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from annotator.core.dto import DocumentRecord, ReadProblem
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.core.workers import process_pool
from annotator.formats.text import guess_title

log = logging.getLogger(__name__)
Item = tuple[str, Path] | ReadProblem  # (format, path) of an input, or why it is left out
Read = DocumentRecord | ReadProblem  # what reading gives: a record, or a problem naming the file
TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}

OWN_DATABASE = "the project's own database (and its -wal/-shm files); not imported"


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


def expand(paths: Iterable[Path], skip: Callable[[Path], bool] | None = None) -> Iterator[Item]:
    """(kind, path) for every importable input below `paths`, and a problem for each file left out.

    A folder with .ann files is one brat corpus. `skip` names files never to open (the project's own
    database: reading it would drop SQLite's locks on it).
    """
    for path in paths:
        if skip is not None and skip(path):
            yield ReadProblem(str(path), OWN_DATABASE, severity="warning")
        elif path.is_dir():
            yield from _expand_folder(path, skip)
        elif path.suffix.lower() == ".ann":
            yield "brat", path
        else:
            yield _kind(path) or "text", path


def _expand_folder(folder: Path, skip: Callable[[Path], bool] | None) -> Iterator[Item]:
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
        yield ReadProblem(str(min(own_database)), OWN_DATABASE, severity="warning")
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


def read_items(items: Iterable[Item], max_bytes: int, schema: Schema | None) -> Iterator[Read]:
    """Every record the listed inputs hold, prepared, lazily; unreadable or skipped inputs become problems naming
    the file."""
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
            for found in _reader(kind)(path, max_bytes=max_bytes, schema=schema):
                yield prepare(found) if isinstance(found, DocumentRecord) else found
        except UserError as exc:
            yield ReadProblem(exc.path or str(path), exc.message, line=exc.line)


def _reader(kind: str) -> Callable[..., Iterator[Read]]:
    """The reader of a format, called with the path, `max_bytes` and `schema` (each reader takes what it needs)."""
    from annotator.formats import articles, html, text

    if kind == "text":
        return lambda path, max_bytes, schema: text.read_text(path, max_bytes)
    if kind == "html":
        return lambda path, max_bytes, schema: html.read_html(path, max_bytes)
    if kind == "articles":
        return lambda path, max_bytes, schema: articles.read_articles(path, max_bytes)
    if kind == "brat":
        from annotator.formats.brat import read_brat

        return lambda path, max_bytes, schema: read_brat(path, schema=schema)
    if kind == "native":
        from annotator.formats.jsonl import read_native

        return lambda path, max_bytes, schema: read_native(path, schema=schema)
    from annotator.formats.doccano import read_doccano

    return lambda path, max_bytes, schema: read_doccano(path, schema=schema)


def prepare(record: DocumentRecord) -> DocumentRecord:
    """Mark boilerplate (kept, greyed, skipped by pre-annotation) and pick a title that is not boilerplate."""
    from annotator.nlp.boilerplate import find_boilerplate

    boilerplate = record.boilerplate or find_boilerplate(record.text)
    title = record.title or guess_title(record.text, boilerplate)
    return replace(record, boilerplate=boilerplate, title=title)


def estimate(items: list[Item]) -> int:
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


READ_ELSEWHERE = 500  # inputs from which an import's reading goes to another process (it starts in 0.1 s)
_CHUNK = 200  # inputs per task of the reading process
_AHEAD = 3  # tasks in hand: the reading stays ahead of the storing, and memory bounded on a million files


def read_elsewhere(items: list[Item], max_bytes: int, schema: Schema | None) -> Iterator[Read]:
    """`read_items` done by another process, in order, a few chunks ahead of the caller. If the process dies
    (killed, out of memory), the rest is read here."""
    pool: ProcessPoolExecutor | None = process_pool(1)
    pending: deque[tuple[list[Item], Future[list[Read]] | None]] = deque()

    def give_up() -> None:
        nonlocal pool
        log.warning("the reading process is gone; reading in this one", exc_info=True)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        pool = None

    def submit(chunk: list[Item]) -> Future[list[Read]] | None:
        try:
            return pool.submit(_read_chunk, chunk, max_bytes, schema) if pool is not None else None
        except BrokenProcessPool:
            give_up()
            return None

    def collect(chunk: list[Item], future: Future[list[Read]] | None) -> Iterable[Read]:
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                give_up()
        return read_items(chunk, max_bytes, schema)

    try:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            pending.append((chunk, submit(chunk)))
            if len(pending) >= _AHEAD:
                yield from collect(*pending.popleft())
        while pending:
            yield from collect(*pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _read_chunk(items: list[Item], max_bytes: int, schema: Schema | None) -> list[Read]:
    return list(read_items(items, max_bytes, schema))
