"""Plain-text articles: byte decoding (UTF-8, BOMs, detected encodings), refusing binary files, titles, datelines."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from annotator.core.dto import DocumentRecord
from annotator.core.errors import UserError

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# A line holding nothing but a date (and maybe a time): "Tuesday 30 July 2013 08:55 EDT", "March 3, 2014".
_DATELINE = re.compile(
    rf"^\s*(?:(?:{_DAYS}),?\s+)?(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTHS})|(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}}),?)"
    rf"\s+(?P<y>\d{{4}})(?:\s+\d{{1,2}}:\d{{2}}(?:\s*[A-Za-z]{{2,4}})?)?\s*$"
)

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, newlines and form feed


def decode_bytes(data: bytes, path: str | Path) -> str:
    """Decode a file's bytes exactly once: BOM stripped, newlines untouched, encoding detected if not UTF-8."""
    if not data:
        raise UserError("the file is empty", path=path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UserError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason} "
                    f"at byte {exc.start + len(bom)}",
                    path=path,
                ) from exc
    if b"\x00" in data[:65536]:
        raise UserError("this is a binary file (it contains NUL bytes), not text", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UserError("cannot detect the text encoding; save the file as UTF-8", path=path) from None
        text = str(best)
    controls = len(_CONTROLS.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        raise UserError("this looks like a binary file (many control characters), not text", path=path)
    return text


def read_file_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing one over the size limit before reading it into memory."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UserError(
                f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one article "
                "(raise max_document_bytes in settings.json to import it anyway)",
                path=path,
            )
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc


def guess_title(text: str, skip: tuple[tuple[int, int], ...] = ()) -> str:
    """The first substantial line outside `skip` (boilerplate): four words or more, not a dateline."""
    offset = 0
    fallback = ""
    for line in text.splitlines(keepends=True)[:60]:
        start, stripped = offset, line.strip()
        offset += len(line)
        if not stripped or any(s <= start < e for s, e in skip):
            continue
        fallback = fallback or stripped
        if len(stripped.split()) >= 4 and not _DATELINE.match(stripped):
            return stripped[:300]
    return fallback[:300]


def find_dateline(text: str) -> str | None:
    """The publication date when the page shows it on a line of its own near the top (ISO), else None."""
    for line in text.splitlines()[:25]:
        match = _DATELINE.match(line)
        if match:
            day = match.group("d1") or match.group("d2")
            month = match.group("m1") or match.group("m2")
            try:
                return datetime.strptime(f"{day} {month} {match.group('y')}", "%d %B %Y").date().isoformat()
            except ValueError:
                return None
    return None


def read_text(path: Path, max_bytes: int) -> DocumentRecord:
    text = decode_bytes(read_file_bytes(path, max_bytes), path)
    if not text.strip():
        raise UserError("the file holds only white space", path=path)
    return DocumentRecord(
        doc_id=path.stem,
        text=text,
        published=find_dateline(text),
        meta={"path": str(path), "format": "text"},
    )
