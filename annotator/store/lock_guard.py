"""Notices when this process has lost SQLite's POSIX locks on the project database, before an edit is lost.

SQLite locks a database with POSIX advisory locks, which belong to the process and are all dropped
when *any* descriptor of the file is closed — a file dialog sniffing its content, a hash, a copy. With
the locks gone, another process believes it is the last connection, checkpoints and deletes the WAL
file, and the edits this process writes afterwards land in a deleted file (see "How To Corrupt An
SQLite Database File", section 2.2, on sqlite.org). The guard reads /proc (Linux only; elsewhere it
reports nothing) so that the database can close and re-open its connections, which takes the locks
again, before the next write.
"""

from __future__ import annotations

import fcntl
import logging
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
SUFFIXES = ("", "-wal", "-shm", "-journal")
# Where SQLite's unix VFS keeps its locks (os_unix.c): a reader's shared lock on the database file covers
# SHARED_FIRST .. SHARED_FIRST + SHARED_SIZE; every connection in WAL mode holds a read lock on the -shm
# file's "DMS" byte, which tells a newcomer that the WAL index is in use.
_SHARED_FIRST = 0x40000000 + 2
_SHARED_SIZE = 510
_SHM_DMS = 128
_PROC = Path("/proc")


def companion_files(path: Path) -> list[Path]:
    """The database file and the files SQLite keeps beside it."""
    return [path.with_name(path.name + suffix) for suffix in SUFFIXES]


def database_files(database: Path) -> Callable[[Path], bool]:
    """A test of whether a path is the database or one of its companion files, by name or by inode (hard or
    soft links), without opening it: opening and closing it would drop the locks this guards.

    An import asks it of every file of a folder, so the companions are resolved and looked up once, when the
    test is made; a candidate then costs one `lstat` (a link, or a file of a companion's name, is resolved)."""
    companions = companion_files(database.resolve())
    names = {c.name for c in companions}
    inodes = set()
    for companion in companions:
        try:
            found = os.stat(companion)
        except OSError:
            continue
        inodes.add((found.st_dev, found.st_ino))

    def resolves_to_one(candidate: Path) -> bool:
        try:
            return candidate.resolve() in companions
        except OSError:
            return False

    def test(candidate: Path) -> bool:
        try:
            found = os.lstat(candidate)
            link = stat.S_ISLNK(found.st_mode)
            if link:
                found = os.stat(candidate)  # the target: a symbolic link to a companion has its inode
        except OSError:  # missing, or a link to a companion SQLite has not made yet (-journal)
            return resolves_to_one(candidate)
        if (found.st_dev, found.st_ino) in inodes:
            return True
        return (link or candidate.name in names) and resolves_to_one(candidate)

    return test


def supported() -> bool:
    return sys.platform.startswith("linux") and (_PROC / "locks").exists()


def holds_lock(path: Path, pid: int | None = None) -> bool | None:
    """Whether the process holds its POSIX locks on the database and, in WAL mode, on its -shm file.

    Both matter: the lock on the database file keeps another process from checkpointing and deleting
    the WAL when it closes, the one on -shm tells it that a connection is still using the WAL index.
    None where /proc/locks cannot tell.
    """
    if not supported():
        return None
    shm = path.with_name(path.name + "-shm")
    try:
        files = [path.stat(), *([shm.stat()] if shm.exists() else [])]
        lines = (_PROC / "locks").read_text().splitlines()
    except OSError:
        return None
    wanted = {(os.major(s.st_dev), os.minor(s.st_dev), s.st_ino) for s in files}
    pid_text = str(pid or os.getpid())
    for line in lines:
        # "1: POSIX  ADVISORY  READ 18996 fe:00:2146707 1073741826 1073742335"; "->" marks a waiting request
        fields = line.split()
        if len(fields) < 6 or "->" in fields or fields[1] != "POSIX" or fields[4] != pid_text:
            continue
        try:
            major, minor, inode = fields[5].split(":")
            wanted.discard((int(major, 16), int(minor, 16), int(inode)))
        except ValueError:
            continue
    return not wanted


def retake_locks(path: Path) -> bool:
    """Take SQLite's shared locks back on SQLite's own open descriptors; True if the process holds them again.

    Locks belong to the process and the file, not to a descriptor, so locking SQLite's descriptor again
    restores exactly what was dropped, even while another thread is using a connection (closing and
    re-opening connections cannot: SQLite re-locks a file only once all of its connections are closed).
    """
    if not supported():
        return False
    database, shm = str(path.resolve()), str(path.resolve()) + "-shm"
    fd_dir = _PROC / "self" / "fd"
    for entry in os.listdir(fd_dir):
        try:
            target = os.readlink(fd_dir / entry)
            if target == database:
                fcntl.lockf(int(entry), fcntl.LOCK_SH | fcntl.LOCK_NB, _SHARED_SIZE, _SHARED_FIRST)
            elif target == shm:
                fcntl.lockf(int(entry), fcntl.LOCK_SH | fcntl.LOCK_NB, 1, _SHM_DMS)
        except OSError as exc:  # another process holds an exclusive lock, or the descriptor just closed
            log.warning("could not take back a lock on %s: %s", path, exc)
    return holds_lock(path) is True


def deleted_companions(path: Path) -> list[str]:
    """Descriptors of this process that point at the database or its companions after they were deleted."""
    if not supported():
        return []
    names = {str(p) + " (deleted)" for p in companion_files(path.resolve())}
    found = []
    fd_dir = _PROC / "self" / "fd"
    try:
        entries = os.listdir(fd_dir)
    except OSError:
        return []
    for entry in entries:
        try:
            target = os.readlink(fd_dir / entry)
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found
