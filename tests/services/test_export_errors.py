"""Exports onto a full or read-only disk say so plainly; leftovers of killed exports go; umask is followed."""

from __future__ import annotations

import errno
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services.export import _running, _write_error
from annotator.store.database import Database
from tests.formats.corpus import corpus, export, store


@pytest.fixture
def project(db: Database) -> Database:
    store(db, corpus())
    return db


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 KiB file system (tmpfs), so writes fail as on a full disk."""
    mount = tmp_path / "disk"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(mount)]
    if os.geteuid() != 0 or subprocess.run(command, check=False, capture_output=True).returncode:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_gives_a_clear_message_and_leaves_nothing(
    project: Database, schema: Schema, small_disk: Path
) -> None:
    with pytest.raises(UserError) as caught:
        export(project, schema, "jsonl", small_disk / "out")
    assert caught.value.describe() == (
        f"{small_disk / 'out'}: cannot write the export: No space left on device; nothing was written and an "
        "earlier export there is unchanged — free some space or choose another disk"
    )  # the OS's reason in words, not "[Errno 28] ..."
    assert list(small_disk.iterdir()) == []  # the partial folder went too


def test_a_read_only_disk_gives_a_clear_message(project: Database, schema: Schema, small_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(UserError) as caught:
        export(project, schema, "brat", small_disk / "out")
    staging = rf"{small_disk}/\.out\.partial-{os.getpid()}-[0-9a-f]{{8}}"  # the folder it could not make
    assert re.fullmatch(
        rf"{small_disk / 'out'}: cannot write the export: Read-only file system \({staging}\); nothing was written "
        r"and an earlier export there is unchanged — the disk is read-only; choose another folder",
        caught.value.describe(),
    )


def test_a_file_where_a_folder_should_be_names_it(project: Database, schema: Schema, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    plain = tmp_path / "exports" / "plain"
    plain.write_text("not a folder", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        export(project, schema, "jsonl", plain / "sub" / "out")
    assert caught.value.describe() == (
        f"{plain / 'sub' / 'out'}: cannot write the export: Not a directory ({plain / 'sub'}); nothing was written "
        "and an earlier export there is unchanged — choose another folder"
    )
    assert list(plain.parent.iterdir()) == [plain] and plain.read_text(encoding="utf-8") == "not a folder"


def test_a_folder_without_write_permission(project: Database, schema: Schema, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere; the read-only disk test covers this for root")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(UserError, match="Permission denied"):
        export(project, schema, "jsonl", locked / "out")


def test_leftovers_of_a_killed_export_are_cleaned_up_and_umask_is_followed(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    abandoned = tmp_path / f".out.partial-{dead.pid}-0badc0de"
    abandoned.mkdir()
    (abandoned / "documents.jsonl").write_text("half", encoding="utf-8")
    alive = tmp_path / f".out.partial-{os.getpid()}-feedf00d"  # an export still running: left alone
    alive.mkdir()
    other = tmp_path / ".other.partial-1-00000000"  # another export's folder: left alone
    other.mkdir()
    old = os.umask(0o022)
    try:
        export(project, schema, "jsonl", tmp_path / "out")
    finally:
        os.umask(old)
    assert not abandoned.exists() and alive.exists() and other.exists()
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize(
    ("code", "reason", "hint"),
    [
        (errno.ENOSPC, "No space left on device", "free some space or choose another disk"),
        (errno.EDQUOT, "Disk quota exceeded", "free some space or choose another disk"),
        (errno.EROFS, "Read-only file system", "the disk is read-only; choose another folder"),
        (errno.EACCES, "Permission denied", "you may not write there; choose another folder"),
        (errno.EPERM, "Operation not permitted", "you may not write there; choose another folder"),
        (errno.EIO, "Input/output error", "choose another folder"),
    ],
)
def test_each_write_failure_gets_its_own_advice(code: int, reason: str, hint: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    inside = _write_error(OSError(code, os.strerror(code), str(out / ".partial" / "documents.jsonl")), out)
    assert (inside.path, inside.message) == (
        str(out),
        f"cannot write the export: {reason} ({out / '.partial' / 'documents.jsonl'}); nothing was written and an "
        f"earlier export there is unchanged \u2014 {hint}",
    )
    on_out = _write_error(OSError(code, os.strerror(code), str(out)), out)  # the folder is named once, not twice
    assert on_out.message.startswith(f"cannot write the export: {reason}; nothing was written")


def test_a_write_failure_without_an_error_number_still_says_what_happened(tmp_path: Path) -> None:
    failure = _write_error(OSError("the network share went away"), tmp_path / "out")
    assert failure.message == (
        "cannot write the export: the network share went away; nothing was written and an earlier export there "
        "is unchanged \u2014 choose another folder"
    )


def test_asking_whether_an_export_still_runs_does_not_disturb_it() -> None:
    """Signal 0 only asks; any other signal would reach the running export it names."""
    child = subprocess.Popen(["sleep", "30"])
    try:
        assert _running(child.pid)
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=0.3)  # still running after being asked about
    finally:
        child.kill()
        child.wait()
    assert not _running(child.pid)
