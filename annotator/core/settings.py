"""Settings declared once (key, type, default, description), stored as JSON in the user data directory."""

from __future__ import annotations

import getpass
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "annotator"


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    description: str
    default_factory: Callable[[], Any] | None = None

    def initial(self) -> Any:
        return self.default_factory() if self.default_factory else self.default


OPTIONS: tuple[Option, ...] = (
    Option(
        "annotator_name",
        str,
        "",
        "Name under which your edits are stored (asked on first start).",
        default_factory=_os_user,
    ),
    Option("annotator_confirmed", bool, False, "Whether the user has confirmed the annotator name."),
    Option("spacy_model", str, "en_core_web_sm", "Installed spaCy pipeline used for pre-annotation."),
    Option("schema_path", str, "", "Annotation schema YAML; empty means the bundled conflict-events schema."),
    Option("snap_to_tokens", bool, True, "Snap selections to token boundaries when creating spans."),
    Option("max_document_bytes", int, 10_000_000, "Files larger than this are refused at import."),
    Option("batch_size", int, 32, "Documents per spaCy batch during pre-annotation."),
    Option("window_geometry", str, "", "Main window geometry (base64)."),
    Option("window_state", str, "", "Main window dock and toolbar state (base64)."),
    Option("last_document", int, 0, "Database id of the last document opened."),
    Option("show_layers", list, [], "Other annotators whose layers are shown read-only."),
    Option("export_choices", dict, {}, "File > Export's last format, layer, documents, options and folder."),
    Option("legend_expanded", bool, False, "Whether the legend shows every label (else one line)."),
)
_BY_KEY = {option.key: option for option in OPTIONS}


class Settings:
    """Typed access to the declared options; unknown keys are refused so typos surface at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self._values = {k: v for k, v in loaded.items() if k in _BY_KEY}
            except (OSError, ValueError) as exc:
                # A damaged settings file must not stop the app: keep a copy and start from defaults.
                log.warning("settings file %s unreadable (%s); using defaults", path, exc)
                path.replace(path.with_suffix(".json.bad"))

    def get(self, key: str) -> Any:
        option = _BY_KEY[key]
        if key in self._values and isinstance(self._values[key], option.type):
            return self._values[key]
        return option.initial()

    def set(self, key: str, value: Any) -> None:
        option = _BY_KEY[key]
        if not isinstance(value, option.type):
            raise TypeError(f"setting {key} expects {option.type.__name__}, got {type(value).__name__}")
        self._values[key] = value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)  # atomic: a crash never leaves half a settings file


def load_settings(home: Path) -> Settings:
    return Settings(home / "settings.json")
