"""Every export is UTF-8 whatever the user's locale: a machine whose default encoding is ASCII writes the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.core.paths import PROJECT_ROOT
from annotator.core.schema import Schema
from annotator.services.export import EXPORT_FORMATS
from annotator.store.database import Database
from tests.formats.corpus import corpus, export, read_tree, store

# Run in a child whose locale is plain C with Python's UTF-8 mode and locale coercion off: its default text
# encoding is ASCII, so a file opened without `encoding=` fails on the corpus's non-ASCII text or differs.
CHILD = """
import locale, sys
from pathlib import Path
from annotator.core.schema import load_schema
from annotator.services.export import EXPORT_FORMATS
from annotator.store.database import Database
from tests.formats.corpus import corpus, export, store

encoding = locale.getpreferredencoding(False)
assert encoding.lower() in {"ansi_x3.4-1968", "ascii", "us-ascii"}, encoding
out = Path(sys.argv[1])
db = Database("sqlite:///" + str(out / "project.sqlite3"))
store(db, corpus())
for fmt in EXPORT_FORMATS:
    export(db, load_schema(), fmt, out / fmt)
"""


def test_exports_are_the_same_bytes_under_an_ascii_locale(db: Database, schema: Schema, tmp_path: Path) -> None:
    assert any(not ch.isascii() for record in corpus() for ch in record.text)  # else the test proves nothing
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the child must not leave __pycache__ in the checkout
    child = tmp_path / "child"
    child.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(child)], check=False, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    store(db, corpus())
    for fmt in EXPORT_FORMATS:
        export(db, schema, fmt, tmp_path / fmt)
        assert read_tree(child / fmt) == read_tree(tmp_path / fmt), fmt
