"""DATASET.md, the dataset card written beside every export: what the data is, how much, and its caveats."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from annotator import __version__
from annotator.core.dto import DocumentRecord, Origin, Status
from annotator.core.measures import MEASURES
from annotator.core.review import is_reviewed
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
    "JSON in AnnotatorData notes. Normalised values also show as N lines of the resources tools.conf "
    "declares: the gazetteer entry a mention names (Gazetteer:sohr), its GeoNames id, a place's coordinates "
    "(OpenStreetMap) and dates (ISO8601); brat's N lines of these resources read back as the value. "
    "Free-text attributes (attribution) are notes; a suggestion nobody reviewed that lacks "
    "a required role has an IncompleteSuggestion note; in the model's layer (all suggestions) that role is "
    "optional in annotation.conf, in any other layer the schema's cardinality stays, so brat validates "
    "reviewed events and flags such suggestions.",
    "textee": "TextEE JSON Lines (textee.jsonl): one window of sentences per line, spaCy tokens (cut at span "
    "edges where needed), token offsets end exclusive, ACE type names (Conflict:Attack).",
    "conll": "CoNLL-2003 BIO (entities.conll): one token a line in CoNLL-2003's four space-separated columns "
    "(token, Penn Treebank part of speech from the spaCy pipeline's tagger, chunk, BIO entity tag; `_` where "
    "a value is unknown: the chunk always, the part of speech without a tagger or for a token cut at a span "
    "edge), a blank line between sentences, a `-DOCSTART- -X- O O` line before each document, as CoNLL-2003 "
    "tools and `spacy convert` read it. Nested mentions keep the longest.",
    "xmi": "UIMA CAS XMI, one .xmi per document, with TypeSystem.xml: DKPro NamedEntity for mentions, "
    "webanno.custom.Event spans with role links (loadable in INCEpTION). Offsets count UTF-16 units.",
    "acled-csv": "ACLED-style CSV (acled.csv): one row per incident (the reports of one event linked into "
    "it, each counted once), the 31 current columns in order, written only when codebook-valid (ACLED type "
    "and sub-event type, a date, a place below country level); event_id_cnty is the incident id. "
    "acled_mentions.csv maps every event mention to its incident, or says why it has no row. What cannot be "
    "derived from the annotations is left empty.",
    "ucdp-ged-csv": "UCDP GED-style CSV (ucdp_ged.csv): one row per incident of organised violence with at "
    "least one death, under GED's column names (best, low and high death estimates, where_prec, date_prec); "
    "UCDP's own conflict and dyad ids are not written, and incidents GED does not cover (no death, no armed "
    "side, protests) are counted, not written.",
}

#: How each format marks suggestions nobody reviewed when they are exported; formats not listed cannot.
REVIEW_MARKS = {
    "jsonl": 'each mention, event and role filler carries its "status" (suggested) and "origin" (model)',
    "brat": 'the AnnotatorData note of each such annotation holds "status": "suggested" and its origin',
    "textee": 'entity mentions, event mentions and arguments carry "suggested": true',
    "acled-csv": 'rows from such events have "unreviewed suggestion" in the tags column',
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
class ReviewInfo:
    suggestions: str  # "left out", "included" (on request) or "model" (the model layer: suggestions are its content)
    unreviewed: int  # suggestions nobody reviewed in the exported layer
    gold: dict[str, int] | None = None  # for gold: how its standing edits were made (automatic, adjudicator, by hand)


@dataclass
class CardInfo:
    fmt: str
    layer: str
    status: str | None
    schema: Schema
    stats: CorpusStats
    annotators: dict[str, tuple[int, int, int]]  # annotator -> documents of this export with a layer, done, reviewed
    exported_at: datetime
    files: list[str]
    problems: list[str]
    problem_total: int
    review: ReviewInfo = field(default_factory=lambda: ReviewInfo("left out", 0))
    agreement: dict[str, Any] | None = None  # the agreement report's JSON for these documents, when there is one


def _table(title: str, counts: Counter[str]) -> list[str]:
    if not counts:
        return [f"## {title}", "", "None.", ""]
    rows = [f"| {name} | {n} |" for name, n in sorted(counts.items())]
    return [f"## {title}", "", "| Label | Count |", "|---|---:|", *rows, f"| **total** | {counts.total()} |", ""]


def _review(info: CardInfo) -> list[str]:
    r = info.review
    reviewed = made = 0
    for key, n in info.stats.origins.items():  # "origin/status" -> count
        origin, status = key.split("/", 1)
        reviewed += n if is_reviewed(status, origin) else 0
        made += n if origin == Origin.HUMAN and status != Status.REJECTED else 0
    lines = ["## Review", ""]
    if r.suggestions == "model":
        lines.append(
            f"- This is the model's layer: its {r.unreviewed} suggestions are its content, and nobody reviewed them."
        )
    elif r.suggestions == "included":
        mark = REVIEW_MARKS.get(info.fmt, f"{info.fmt} has no place to mark them, so they look like the others")
        lines.append(f"- {r.unreviewed} suggestions nobody reviewed are included on request: {mark}.")
    else:
        lines.append(
            "- Only reviewed annotations are here: suggestions a person accepted and annotations a person made; "
            f"{r.unreviewed} suggestions nobody reviewed were left out."
        )
    lines.append(
        f"- Reviewed mentions and events in this export: {reviewed} ({made} made by a person, "
        f"{reviewed - made} accepted suggestions)."
    )
    if r.gold is not None:
        lines.append(
            f"- Gold decisions: {r.gold['automatic']} automatic (annotators agreed), {r.gold['adjudicator']} by an "
            f"adjudicator, {r.gold['by hand']} edits made in gold by hand; "
            f"{info.stats.statuses.get('adjudicated', 0)} of {info.stats.documents} documents adjudicated."
        )
    lines += ["", "| Annotator | Documents | Done | Reviewed items |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {n} | {done} | {items} |" for name, (n, done, items) in sorted(info.annotators.items())]
    return [*lines, ""]


def _agreement(report: dict[str, Any] | None) -> list[str]:
    lines = ["## Agreement", ""]
    if report is None:
        return [
            *lines,
            "None of these documents was annotated by two people who both marked it done: there are no "
            "inter-annotator agreement figures. Treat the data as single-annotated.",
            "",
        ]

    def shown(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines += [
        "| Annotators | Documents | Entity F1 exact | Entity F1 overlap | Kappa | Trigger-I F1 | Trigger-C F1 "
        "| Argument-I F1 | Argument-C F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for pair in report["pairs"]:
        ent, ev = pair["entities"], pair["events"]
        lines.append(
            f"| {' / '.join(pair['annotators'])} | {pair['documents']} | {shown(ent['f1_exact'])} | "
            f"{shown(ent['f1_overlap'])} | {shown(ent['kappa'])} | {shown(ev['trigger_id_f1'])} | "
            f"{shown(ev['trigger_cls_f1'])} | {shown(ev['arg_id_f1'])} | {shown(ev['arg_cls_f1'])} |"
        )
    lines += [
        "",
        f"Krippendorff's alpha (nominal) across all annotators: {shown(report['alpha'])} "
        f"over {report['alpha_units']} span units.",
        "",
        *[f"- **{name}**: {text}" for name, text in MEASURES],
        "",
    ]
    return lines


def render_card(info: CardInfo) -> str:
    s = info.stats
    statuses = ", ".join(f"{k} {n}" for k, n in sorted(s.statuses.items()))
    origins = ", ".join(f"{k} {n}" for k, n in sorted(s.origins.items())) or "none"
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
        f"- Schema: {info.schema.name} version {info.schema.version}, sha256 {info.schema.sha256}",
        f"- Entity mentions: {s.entities.total()}; event mentions: {s.events.total()}; role fillers: "
        f"{s.arguments}; relations: {s.relations.total()}",
        "- Offsets: Unicode code points, end exclusive, on the exact text (no newline or Unicode normalisation).",
        "- Rejected model suggestions are left out of every format but jsonl, which keeps them with their status.",
        "",
        *_table("Entity mentions by label", s.entities),
        *_table("Event mentions by type", s.events),
        *_table("Relations by type", s.relations),
        *_review(info),
        *_agreement(info.agreement),
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
