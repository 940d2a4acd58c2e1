"""Worker processes end with the process that started them, even when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from annotator.core.workers import process_pool
from tests.processes import next_line

STARTER = """
import multiprocessing, time
from annotator.core.workers import process_pool
if __name__ == "__main__":
    pool = process_pool(2)
    for task in [pool.submit(time.sleep, 0.2) for _ in range(2)]:  # both at once: both workers start
        task.result()
    print(*(child.pid for child in multiprocessing.active_children()), flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended, its parent not yet told


def test_workers_exit_when_their_parent_is_killed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "starter.py"
    script.write_text(STARTER, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in next_line(parent).split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:  # not communicate(): a surviving worker holds the pipes open and would block it
        for pipe in (parent.stdout, parent.stderr):
            if pipe:
                pipe.close()
    assert not any(_alive(pid) for pid in workers), "a worker outlived its killed parent"


def test_the_initializer_runs_in_each_worker(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pool = process_pool(1, os.chdir, (str(tmp_path),))
    try:
        assert pool.submit(os.getcwd).result(timeout=60) == str(tmp_path) != os.getcwd()
        assert pool.submit(os.getpid).result() != os.getpid()
    finally:
        pool.shutdown()
