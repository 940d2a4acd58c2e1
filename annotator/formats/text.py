"""Plain-text articles: byte decoding (UTF-8, BOMs, detected encodings), refusing binary files, titles, datelines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from annotator.core.dto import DocumentRecord, ReadProblem
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


#: Well-formed multi-byte UTF-8 sequences: evidence that a file with a few bad bytes is UTF-8 all the same.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass(frozen=True)
class Decoded:
    text: str
    bad_bytes: tuple[int, ...] = ()  # byte offsets of invalid UTF-8 sequences, each replaced by U+FFFD

    def problem(self, path: str | Path) -> ReadProblem | None:
        if not self.bad_bytes:
            return None
        shown = ", ".join(map(str, self.bad_bytes[:10])) + (
            f" and {len(self.bad_bytes) - 10} more" if len(self.bad_bytes) > 10 else ""
        )
        return ReadProblem(
            str(path),
            f"not valid UTF-8 at byte offset(s) {shown}; each bad sequence was replaced by U+FFFD (\ufffd)",
            severity="warning",
        )


def _utf8_replacing(data: bytes) -> Decoded:
    bad: list[int] = []
    parts: list[str] = []
    start = 0
    while True:
        try:
            parts.append(data[start:].decode("utf-8"))
            return Decoded("".join(parts), tuple(bad))
        except UnicodeDecodeError as exc:
            parts.append(data[start : start + exc.start].decode("utf-8"))
            parts.append("\ufffd")
            bad.append(start + exc.start)
            start += exc.end


#: Among near-equal guesses, the encodings news pages and office software write most (WHATWG's legacy defaults).
_COMMON = ("cp1252", "cp1251", "cp1256", "cp1250", "iso8859_1", "gb18030", "shift_jis", "euc_kr", "big5")


def _detected(data: bytes, path: str | Path) -> str:
    """The text in its detected encoding. charset-normalizer ranks by how garbled each reading looks,
    which barely separates single-byte encodings on a short text (French came out as cp775): of the
    readings about as clean as the best, take the most coherent in language, then the most common."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise UserError("cannot detect the text encoding; save the file as UTF-8", path=path)
    clean = [m for m in matches if m.chaos <= matches[0].chaos + 0.05]
    best = max(clean, key=lambda m: (round(m.coherence, 2), m.encoding in _COMMON))
    return str(best)


def decode_bytes(data: bytes, path: str | Path) -> Decoded:
    """Decode a file's bytes exactly once: BOM stripped, newlines untouched, encoding detected if not UTF-8.

    UTF-8 with a few bad bytes (a truncated copy, a stray byte from another encoding) stays UTF-8, the
    bad bytes replaced and reported by offset; detection is only for files that are another encoding
    throughout (no well-formed multi-byte UTF-8 outweighing the bad bytes), whose text it would garble.
    """
    if not data:
        raise UserError("the file is empty", path=path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise UserError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason} "
                    f"at byte {exc.start + len(bom)}",
                    path=path,
                ) from exc
    if b"\x00" in data[:65536]:
        raise UserError("this is a binary file (it contains NUL bytes), not text", path=path)
    decoded = _utf8_replacing(data)
    if decoded.bad_bytes and len(_UTF8_MULTIBYTE.findall(data)) < len(decoded.bad_bytes):
        decoded = Decoded(_detected(data, path))
    text = decoded.text
    controls = len(_CONTROLS.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        raise UserError("this looks like a binary file (many control characters), not text", path=path)
    return decoded


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


def read_text(path: Path, max_bytes: int) -> Iterator[DocumentRecord | ReadProblem]:
    """The file as one document, after a warning if bytes had to be replaced."""
    decoded = decode_bytes(read_file_bytes(path, max_bytes), path)
    text = decoded.text
    if not text.strip():
        raise UserError("the file holds only white space", path=path)
    if (problem := decoded.problem(path)) is not None:
        yield problem
    yield DocumentRecord(
        doc_id=path.stem,
        text=text,
        published=find_dateline(text),
        meta={"path": str(path), "format": "text"},
    )
