"""Golden files: each format's export of two small hand-built documents, compared byte for byte.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/formats/test_golden.py`: each test
then fails on purpose, saying what it rewrote. Review the diff (it is the change users will see in their datasets)
and run again without UPDATE_GOLDEN. The schema is a frozen copy (tests/golden/conflict-events.yaml), so editing
the project's schema does not move these files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from annotator.core.schema import load_schema
from annotator.services.export import EXPORT_FORMATS
from annotator.store.database import Database
from tests.formats.corpus import GOLDEN, export, hard_offsets, read_tree, store, worked_example


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_matches_its_golden_files(fmt: str, db: Database, tmp_path: Path) -> None:
    store(db, [worked_example(), hard_offsets()])
    export(db, load_schema(GOLDEN / "conflict-events.yaml"), fmt, tmp_path / fmt, include_suggestions=False)
    golden = GOLDEN / fmt
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(tmp_path / fmt, golden)
        # Comparing the files with themselves would pass whatever was written: make the person look instead.
        pytest.fail(f"golden files updated in {golden}: review the diff (git diff {golden}), run without UPDATE_GOLDEN")
    assert read_tree(tmp_path / fmt) == read_tree(golden)


def test_every_export_format_describes_itself_in_its_dataset_card() -> None:
    from annotator.formats.card import FORMAT_NOTES
    from annotator.services.export import WRITERS

    assert set(FORMAT_NOTES) == set(WRITERS)
    assert all(len(note) > 80 for note in FORMAT_NOTES.values())
