"""Declared settings: defaults, typed writes, persistence and a damaged file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.settings import Settings


def test_defaults_and_persistence(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert settings.get("spacy_model") == "en_core_web_sm"
    assert settings.get("snap_to_tokens") is True
    assert settings.get("annotator_name")  # the OS user
    settings.set("annotator_name", "alice")
    assert Settings(tmp_path / "settings.json").get("annotator_name") == "alice"


def test_wrong_type_and_unknown_key_are_refused(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(TypeError):
        settings.set("batch_size", "many")
    with pytest.raises(KeyError):
        settings.get("no_such_setting")


def test_damaged_file_falls_back_to_defaults_and_keeps_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    settings = Settings(path)
    assert settings.get("batch_size") == 32
    assert (tmp_path / "settings.json.bad").exists()


def test_the_project_folder_is_the_sqlite_files_own_else_the_home(tmp_path: Path) -> None:
    from annotator.core.paths import project_folder

    assert project_folder(f"sqlite:///{tmp_path / 'team' / 'corpus.sqlite3'}", tmp_path / "home") == tmp_path / "team"
    assert project_folder("postgresql+psycopg://ann:secret@db.example/corpus", tmp_path / "home") == tmp_path / "home"
    assert project_folder("sqlite:///:memory:", tmp_path / "home") == tmp_path / "home"


def test_the_file_is_readable_json_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "settings.json"  # the folder is made on the first save
    settings = Settings(path)
    settings.set("batch_size", 8)
    settings.set("annotator_name", "alice")
    assert path.read_text(encoding="utf-8") == '{\n  "annotator_name": "alice",\n  "batch_size": 8\n}'
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temporary file left behind


def test_values_of_the_wrong_type_in_the_file_give_the_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"batch_size": "8", "snap_to_tokens": false, "retired_option": 1}', encoding="utf-8")
    settings = Settings(path)
    assert settings.get("batch_size") == 32 and settings.get("snap_to_tokens") is False
    settings.set("last_document", 3)
    assert "retired_option" not in path.read_text(encoding="utf-8")


def test_the_type_error_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"^setting batch_size expects int, got str$"):
        Settings(tmp_path / "settings.json").set("batch_size", "many")


def test_without_a_user_name_the_default_annotator_is_annotator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    def no_user() -> str:
        raise KeyError("uid not found")  # a container without a passwd entry

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert Settings(tmp_path / "settings.json").get("annotator_name") == "annotator"
