"""Opens a project for the CLI and the GUI: paths, settings, database (migrated) and schema, in that order."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from annotator.core.paths import default_database_url, home_dir, models_dir, to_database_url
from annotator.core.schema import Schema, load_schema
from annotator.core.settings import Settings, load_settings
from annotator.nlp.learning.versions import ModelStore
from annotator.services import records
from annotator.store import models as m
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator

log = logging.getLogger(__name__)


@dataclass
class Project:
    home: Path
    settings: Settings
    db: Database
    schema: Schema
    _preannotator: Preannotator | None = field(default=None, repr=False)

    @property
    def annotator(self) -> str:
        return str(self.settings.get("annotator_name"))

    @property
    def pipeline_name(self) -> str:
        return str(self.settings.get("spacy_model"))

    @property
    def models(self) -> ModelStore:
        """The learned suggester's versions, beside the database."""
        return ModelStore(models_dir(self.db.url, self.home))

    def preannotator(self) -> Preannotator:
        """The pre-annotation pipeline (the learned version in use, if any), loaded on first use and kept, with
        its worker processes, which the first large import starts: loading spaCy takes a second."""
        if self._preannotator is None:
            from annotator.nlp.parallel import ParallelPreannotator

            self._preannotator = ParallelPreannotator(
                self.schema, self.pipeline_name, learned=self.models.active_folder()
            )
        return self._preannotator

    def forget_preannotator(self) -> None:
        """After learning or a change of version: the next import loads the suggester now in use."""
        self._preannotator = None

    def is_empty(self) -> bool:
        with self.db.reader() as session:
            return session.scalar(select(m.Document.id).limit(1)) is None


def open_project(db: str | None = None, home: str | Path | None = None) -> Project:
    """Build the headless part of the application in a fixed order; the GUI adds Qt on top."""
    home_path = home_dir(home)
    settings = load_settings(home_path)
    url = to_database_url(db) if db else default_database_url(home_path)
    log.info("home %s, database %s", home_path, url)
    database = Database(url)
    schema = load_schema(settings.get("schema_path") or None)
    _record_schema(database, schema)
    return Project(home=home_path, settings=settings, db=database, schema=schema)


def _record_schema(db: Database, schema: Schema) -> None:
    """Keep the schema the project uses inside the project, so exports and colleagues see the same one."""
    with db.reader() as session:
        stored = session.get(m.ProjectInfo, "schema_sha256")
        if stored is not None and stored.value == schema.sha256:
            return
    with db.session() as session:
        for key, value in (
            ("schema_yaml", schema.source_text),
            ("schema_id", schema.id),
            ("schema_sha256", schema.sha256),
        ):
            # an upsert: two processes opening a new project at once both record it
            upsert = records.upsertable_insert(session, m.ProjectInfo).values(key=key, value=value)
            session.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"value": value}))
