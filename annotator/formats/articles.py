"""JSON Lines of raw articles: `text` plus optional `id`, `title`, `source`, `url`, `published`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from annotator.core.dto import DocumentRecord, ReadProblem
from annotator.core.errors import UserError

_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def iso_date(value: object) -> str | None:
    """A publication date as YYYY-MM-DD, from ISO strings, common written forms or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value).date().isoformat()
    text = str(value).strip()
    match = _ISO_DAY.match(text)
    if match:
        try:
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            return None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed else None


def read_articles(path: Path, max_bytes: int) -> Iterator[DocumentRecord | ReadProblem]:
    """One record per line; a bad line is reported with its number and the other lines still import."""
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read the file: {exc.strerror or exc}")
        return
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield _article(json.loads(line), path, number, max_bytes)
                except (ValueError, UserError) as exc:
                    message = exc.message if isinstance(exc, UserError) else f"not valid JSON: {exc}"
                    yield ReadProblem(str(path), message, line=number)
        except UnicodeDecodeError as exc:
            yield ReadProblem(
                str(path), f"not UTF-8 ({exc.reason} at byte {exc.start} of a line); JSON Lines files must be UTF-8"
            )


def _article(data: object, path: Path, number: int, max_bytes: int) -> DocumentRecord:
    if not isinstance(data, dict):
        raise UserError("each line must be a JSON object", path=path, line=number)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UserError("the object has no non-empty `text`", path=path, line=number)
    if len(text.encode("utf-8")) > max_bytes:
        raise UserError(f"the text is over the {max_bytes / 1e6:.0f} MB limit for one article", path=path, line=number)
    doc_id = str(data.get("id") or f"{path.stem}-{number}")
    extra = {k: v for k, v in data.items() if k not in {"text", "id", "title", "source", "url", "published"}}
    return DocumentRecord(
        doc_id=doc_id,
        text=text.lstrip("\ufeff"),
        title=str(data.get("title") or ""),
        source=str(data.get("source") or ""),
        url=str(data.get("url") or ""),
        published=iso_date(data.get("published")),
        meta={"path": str(path), "line": number, "format": "jsonl", **extra},
    )
