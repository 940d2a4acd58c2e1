"""UTF-8 with a few bad bytes stays UTF-8, with the bytes named; whole files in another encoding are detected."""

from __future__ import annotations

from pathlib import Path

from annotator.formats.text import decode_bytes
from annotator.services.importer import import_paths
from annotator.store.database import Database

ARABIC = "قصف الطيران حي الوعر في حمص، وقال ناشطون إن تسعة مدنيين قتلوا.\n"
ENGLISH = "Airstrikes hit al-Waer in Homs — nine civilians were killed, activists said “today”.\n"


def test_a_few_bad_bytes_in_utf8_are_replaced_and_named() -> None:
    good = (ENGLISH + ARABIC).encode("utf-8")
    damaged = good[:20] + b"\xff" + good[20:60] + b"\xc3" + good[60:]  # a stray byte, a cut sequence
    decoded = decode_bytes(damaged, "x.txt")
    assert decoded.bad_bytes == (20, 61)
    original = ENGLISH + ARABIC
    assert decoded.text.replace("\ufffd", "") == original  # each bad sequence became one U+FFFD, nothing else
    assert decoded.text.count("\ufffd") == 2
    assert "الوعر" in decoded.text and "“today”" in decoded.text  # no mojibake anywhere else
    problem = decoded.problem("x.txt")
    assert problem is not None and problem.severity == "warning" and "20, 61" in problem.message


def test_a_file_in_another_encoding_throughout_is_detected() -> None:
    text = "Les forces syriennes ont repris le quartier de Khalidiya à Homs, a déclaré l'armée. Été, côté.\n"
    decoded = decode_bytes(text.encode("cp1252"), "fr.txt")
    assert decoded.text == text and decoded.bad_bytes == ()


def test_import_reports_the_bad_bytes_with_the_file(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = ARABIC.encode("utf-8")
    cut = len(ARABIC[:12].encode("utf-8"))  # a character boundary: 0x80 there is a lone continuation byte
    (folder / "ar.txt").write_bytes(data[:cut] + b"\x80" + data[cut:])
    result = import_paths(db, [folder], annotator="alice", preannotator=None)
    assert len(result.added) == 1
    [problem] = result.problems
    assert problem.path == str(folder / "ar.txt") and f"byte offset(s) {cut};" in problem.message
