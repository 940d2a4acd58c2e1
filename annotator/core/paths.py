"""Where things live: the user data directory, the default database, bundled resources and seeds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "annotator"
#: The repository root holds resources/ and seeds/ next to the package (installed editable by `make`).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def home_dir(override: str | Path | None = None) -> Path:
    """The user data directory: `override`, else $ANNOTATOR_HOME, else the platform's user data dir."""
    chosen = override or os.environ.get("ANNOTATOR_HOME") or platformdirs.user_data_dir(APP_NAME, appauthor=False)
    path = Path(chosen).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url(home: Path | None = None) -> str:
    """$ANNOTATOR_DB (a path or URL) if set, else the project database in the user data directory."""
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return to_database_url(env)
    return to_database_url((home or home_dir()) / "annotator.sqlite3")


def to_database_url(path_or_url: str | Path) -> str:
    """Accept either a SQLAlchemy URL (`postgresql+psycopg://...`, `sqlite:///...`) or a file path."""
    text = str(path_or_url)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def resources_dir() -> Path:
    return Path(os.environ.get("ANNOTATOR_RESOURCES", PROJECT_ROOT / "resources"))


def seeds_dir() -> Path:
    return PROJECT_ROOT / "seeds"


def default_schema_path() -> Path:
    return resources_dir() / "schemas" / "conflict-events.yaml"


def gazetteer_dir() -> Path:
    return resources_dir() / "gazetteers"


def project_folder(database_url: str, home: Path | None = None) -> Path:
    """The folder a person knows the project by: the SQLite file's own, else (a server database) the home."""
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        return Path(database_url[len("sqlite:///") :]).parent
    return home or home_dir()


def models_dir(database_url: str, home: Path | None = None) -> Path:
    """Where a project's learned models live: beside its SQLite file (never inside it), else in the home.

    `annotator.sqlite3` keeps them in `annotator-models/` next to it; a server database (PostgreSQL) in
    `models/<server and database>` of the user data directory, without the password.
    """
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        path = Path(database_url[len("sqlite:///") :])
        return path.with_name(path.stem + "-models")
    public = re.sub(r"//[^@/]*@", "//", database_url.split("?", 1)[0])  # drop user and password
    return (home or home_dir()) / "models" / re.sub(r"[^A-Za-z0-9._-]+", "_", public).strip("_")
