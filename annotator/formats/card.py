"""DATASET.md, the dataset card written beside every export: what the data is, how much, and its caveats."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from annotator import __version__
from annotator.core.dto import DocumentRecord
from annotator.core.schema import Schema

CARD_FILE = "DATASET.md"
MAX_LISTED_PROBLEMS = 200

FORMAT_NOTES = {
    "jsonl": "Native JSON Lines (documents.jsonl), lossless: one document per line with every mention, "
    "argument, attribute, status and origin; schema.yaml beside it (and labels.json, listing labels the data "
    "uses beyond the schema). Re-importing it gives the same data.",
    "brat": "brat standoff: NAME.txt (the exact text, byte for byte) and NAME.ann per document, with a "
    "generated annotation.conf and visual.conf. Type names use '_' for '.' (visual.conf keeps the dotted "
    "names). Offsets count CR LF as one character, as brat reads text files. Repeated roles are numbered "
    "(Victim, Victim2). What brat has no line for (fatalities, dates, structured attributes) is kept as "
    "JSON in AnnotatorData notes.",
    "textee": "TextEE JSON Lines (textee.jsonl): one window of sentences per line, spaCy tokens (cut at span "
    "edges where needed), token offsets end exclusive, ACE type names (Conflict:Attack).",
    "conll": "CoNLL-2003-style BIO (entities.conll): token TAB tag, a blank line between sentences, "
    "-DOCSTART- before each document. Nested mentions keep the longest.",
    "xmi": "UIMA CAS XMI, one .xmi per document, with TypeSystem.xml: DKPro NamedEntity for mentions, "
    "webanno.custom.Event spans with role links (loadable in INCEpTION). Offsets count UTF-16 units.",
    "acled-csv": "ACLED-style CSV (acled.csv): one row per event mention of a type ACLED codes, the 31 "
    "current columns in order; ids carry the prefix ANN; what cannot be derived from the annotations "
    "is left empty.",
}

#: Per-document files, named after the document id (percent-encoded where a file name needs it).
PER_DOCUMENT = {"brat": "NAME.txt and NAME.ann", "xmi": "NAME.xmi"}


@dataclass
class CorpusStats:
    """Counts gathered document by document; bounded by the number of labels, not of documents."""

    documents: int = 0
    characters: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    arguments: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    origins: Counter[str] = field(default_factory=Counter)

    def add(self, record: DocumentRecord) -> None:
        self.documents += 1
        self.characters += len(record.text)
        self.entities.update(e.label for e in record.entities)
        self.events.update(e.type for e in record.events)
        self.relations.update(r.type for r in record.relations)
        self.arguments += sum(len(e.arguments) for e in record.events)
        self.statuses[record.status or "none"] += 1
        self.origins.update(f"{e.origin}/{e.status}" for e in record.entities)
        self.origins.update(f"{e.origin}/{e.status}" for e in record.events)


@dataclass
class CardInfo:
    fmt: str
    layer: str
    status: str | None
    schema: Schema
    stats: CorpusStats
    annotators: dict[str, int]  # annotator -> documents of this export they have a layer on
    exported_at: datetime
    files: list[str]
    problems: list[str]
    problem_total: int


def _table(title: str, counts: Counter[str]) -> list[str]:
    if not counts:
        return [f"## {title}", "", "None.", ""]
    rows = [f"| {name} | {n} |" for name, n in sorted(counts.items())]
    return [f"## {title}", "", "| Label | Count |", "|---|---:|", *rows, f"| **total** | {counts.total()} |", ""]


def render_card(info: CardInfo) -> str:
    s = info.stats
    statuses = ", ".join(f"{k} {n}" for k, n in sorted(s.statuses.items()))
    origins = ", ".join(f"{k} {n}" for k, n in sorted(s.origins.items())) or "none"
    annotators = ", ".join(f"{name} ({n} documents)" for name, n in sorted(info.annotators.items())) or "none"
    lines = [
        "# Dataset card",
        "",
        f"Exported by annotator {__version__} on {info.exported_at.isoformat()} as **{info.fmt}**.",
        "",
        FORMAT_NOTES.get(info.fmt, ""),
        "",
        "## Corpus",
        "",
        f"- Documents: {s.documents} ({s.characters} characters)",
        f"- Layer: {info.layer}" + (f", documents with status {info.status}" if info.status else ", all documents"),
        f"- Document status in this layer: {statuses or 'none'}",
        f"- Annotations by origin/status: {origins}",
        f"- Annotators with a layer on these documents: {annotators}",
        f"- Schema: {info.schema.name} version {info.schema.version}, sha256 {info.schema.sha256}",
        f"- Entity mentions: {s.entities.total()}; event mentions: {s.events.total()}; role fillers: "
        f"{s.arguments}; relations: {s.relations.total()}",
        "- Offsets: Unicode code points, end exclusive, on the exact text (no newline or Unicode normalisation).",
        "- Rejected model suggestions are left out of every format but jsonl, which keeps them with their status.",
        "",
        *_table("Entity mentions by label", s.entities),
        *_table("Event mentions by type", s.events),
        *_table("Relations by type", s.relations),
        "## Agreement",
        "",
        "No inter-annotator agreement figures exist for these documents yet: none have been computed in this "
        "project. Treat the data as single-annotated.",
        "",
        "## Files",
        "",
        *[f"- {name}" for name in info.files],
        *([f"- {PER_DOCUMENT[info.fmt]} for each of the {s.documents} documents"] if info.fmt in PER_DOCUMENT else []),
        "",
        "## Problems",
        "",
    ]
    if not info.problem_total:
        lines.append("None: everything in the layer is in the files.")
    else:
        shown = info.problems[:MAX_LISTED_PROBLEMS]
        more = f"; the first {len(shown)}:" if len(shown) < info.problem_total else ":"
        lines.append(f"{info.problem_total} reported{more}")
        lines += ["", *[f"- {p}" for p in shown]]
    return "\n".join(lines) + "\n"
