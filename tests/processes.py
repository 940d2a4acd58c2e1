"""Child processes in tests: read what they print without ever blocking a test until the global timeout."""

from __future__ import annotations

import select
import subprocess

import pytest

#: Long enough for a child that imports Qt and spaCy on a loaded machine; a healthy one answers in seconds.
PATIENCE_S = 120.0


def next_line(proc: subprocess.Popen[str], seconds: float = PATIENCE_S) -> str:
    """The child's next line on stdout; if it dies or stays silent, fail at once with what it wrote to stderr."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], seconds)
    line = proc.stdout.readline() if ready else ""
    if line:
        return line
    if not ready:
        proc.kill()
    _, err = proc.communicate()
    what = "printed nothing" if not ready else f"exited with {proc.returncode} before printing a line"
    pytest.fail(f"the child process {what} within {seconds:g} s; its stderr:\n{err}")
