"""A throwaway PostgreSQL server for tests: a fresh cluster on a Unix socket in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN_CANDIDATES = [
    Path(p) for p in ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")
]


def _bin(name: str) -> str | None:
    for folder in PG_BIN_CANDIDATES:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


#: Why the PostgreSQL tests are skipped, and how to run them (`make test` does not install anything; .ci/run does).
MISSING = (
    "PostgreSQL's initdb and pg_ctl not found: install them (Debian/Ubuntu: `sudo apt-get install postgresql`, "
    "as .ci/run does) or set ANNOTATOR_TEST_PG_URL to an existing server's URL"
)


def available() -> bool:
    return bool(os.environ.get("ANNOTATOR_TEST_PG_URL") or (_bin("initdb") and _bin("pg_ctl")))


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL; $ANNOTATOR_TEST_PG_URL points at an existing server instead."""
    if os.environ.get("ANNOTATOR_TEST_PG_URL"):
        yield os.environ["ANNOTATOR_TEST_PG_URL"]
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    assert initdb and pg_ctl
    root = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    data, sock = root / "data", root
    # PostgreSQL refuses to run as root: run it as the postgres user when we are root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(root, "postgres")
    port = str(54000 + os.getpid() % 1000)
    subprocess.run(
        [*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix,
            pg_ctl,
            "-D",
            str(data),
            "-w",
            "-l",
            str(root / "log"),
            "-o",
            f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)
