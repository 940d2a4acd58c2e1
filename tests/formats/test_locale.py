"""Every export is UTF-8 whatever the user's locale: a machine whose default encoding is ASCII writes the same bytes."""

from __future__ import annotations

import json
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


def _run_ascii(code: str, folder: Path) -> str:
    """Run `code` with `folder` as its argument in a child whose default encoding is ASCII; what it printed."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the child must not leave __pycache__ in the checkout
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)], check=False, env=env, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    return done.stdout.decode("ascii")


def test_exports_are_the_same_bytes_under_an_ascii_locale(db: Database, schema: Schema, tmp_path: Path) -> None:
    assert any(not ch.isascii() for record in corpus() for ch in record.text)  # else the test proves nothing
    child = tmp_path / "child"
    child.mkdir()
    _run_ascii(CHILD, child)
    store(db, corpus())
    for fmt in EXPORT_FORMATS:
        export(db, schema, fmt, tmp_path / fmt)
        assert read_tree(child / fmt) == read_tree(tmp_path / fmt), fmt


# The native reader in such a child: a folder whose schema.yaml and labels.json hold non-ASCII text.
READ_CHILD = """
import sys
from pathlib import Path
from annotator.formats.jsonl import read_native

for item in read_native(Path(sys.argv[1])):
    print(ascii((type(item).__name__, [e.label for e in item.entities] if hasattr(item, "entities") else item.message)))
"""


def test_a_native_folders_schema_and_labels_are_read_as_utf8_under_an_ascii_locale(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    schema = 'schema: t\nversion: 1\nentity_types: {PER: {label: "Persön"}}\nevent_types: {}\n'
    (folder / "schema.yaml").write_text(schema, encoding="utf-8")
    (folder / "labels.json").write_text('{"entity_types": ["Flüchtling"]}', encoding="utf-8")
    line = {
        "doc_id": "d",
        "text": "Ana fled.",
        "entity_mentions": [{"id": "T1", "start": 0, "end": 3, "text": "Ana", "type": "Flüchtling"}],
        "event_mentions": [],
    }
    (folder / "documents.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _run_ascii(READ_CHILD, folder) == ascii(("DocumentRecord", ["Flüchtling"])) + "\n"
