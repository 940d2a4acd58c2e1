"""The `annotator` command: no arguments opens the GUI; subcommands serve scripting, tests and benchmarks."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.core.errors import Cancelled, UserError
from annotator.core.progress import TextProgress

#: The same names as annotator.services.export.EXPORT_FORMATS (a test checks), kept here so that
#: parsing arguments does not import every exporter.
EXPORT_FORMATS = ("jsonl", "brat", "textee", "conll", "xmi", "acled-csv", "ucdp-ged-csv")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="project database: a file path or a database URL "
        "(default: $ANNOTATOR_DB, else annotator.sqlite3 in the user data directory)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annotator", description=__doc__)
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser(
        "import", help="import articles (text, HTML, JSON Lines) or annotated files (brat, native JSONL, doccano)"
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _db_option(p)
    p.add_argument(
        "--annotator", help="layer that receives annotations found in the files (default: the annotator in settings)"
    )
    p.add_argument("--no-suggest", action="store_true", help="do not pre-annotate with spaCy and the gazetteer")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser("stats", help="documents, annotators, entity and event counts")
    _db_option(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="write a dataset in one format")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("--out", required=True, type=Path, help="output folder")
    _db_option(p)
    p.add_argument(
        "--layer", help="gold, model or an annotator name (default: gold where it exists, else the current annotator)"
    )
    p.add_argument(
        "--status",
        choices=("new", "in_progress", "done", "adjudicated"),
        help="only documents with this status in the layer",
    )
    p.add_argument(
        "--include-suggestions",
        action="store_true",
        help="also export suggestions nobody reviewed, marked as such (a person's layer and gold hold only "
        "reviewed annotations by default; the model layer always exports its suggestions)",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("agree", help="inter-annotator agreement on documents two or more people annotated")
    _db_option(p)
    p.add_argument("--annotators", help="comma-separated names (default: every annotator)")
    p.add_argument(
        "--documents",
        choices=("done", "all"),
        default="done",
        help="count layers marked done (default), or also layers in progress",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("adjudicate", help="put agreements into gold and list the disagreements left for a person")
    _db_option(p)
    p.add_argument("--annotators", help="comma-separated names (default: everyone who marked the document done)")
    p.add_argument("--auto", action="store_true", help="put every item enough annotators agree on into gold")
    p.add_argument(
        "--min-agree", type=int, metavar="N", help="annotators who must agree (default: the project setting, 2)"
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("incidents", help="the incidents of a layer: linked reports, consolidated fields")
    _db_option(p)
    p.add_argument("--layer", help="gold, model or an annotator name (default: as for export)")
    p.add_argument("--suggest", action="store_true", help="link the model's events again before listing")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("gui", help="open the main window")
    _db_option(p)
    p.add_argument("--open", type=int, metavar="DOC_ID", help="open this document (database id)")
    p.add_argument("--view", choices=("map", "incidents"), help="open with this view shown")
    p.add_argument("--screenshot", type=Path, metavar="FILE.png", help="render the window to a PNG and exit")

    p = sub.add_parser("evaluate", help="precision, recall and F1 of the suggestions against finished documents")
    _db_option(p)
    p.add_argument(
        "--suggestions",
        default="model",
        help="the layer holding the suggestions (default: model, what was suggested at import), "
        "or current: what the suggester in use gives now",
    )
    p.add_argument("--against", default="done", help="done (whoever finished each document), gold or an annotator")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("learn", help="learn a better suggester from the finished documents (kept only if better)")
    _db_option(p)
    p.add_argument(
        "--from", dest="source", default="done", help="done (whoever finished each document), gold or an annotator"
    )
    p.add_argument("--epochs", type=int, default=5, help="passes over the examples when updating the NER")
    p.add_argument("--folds", type=int, default=4, help="cross-validation folds at most")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("suggest", help="suggest again with the suggester in use (people's layers are never changed)")
    _db_option(p)
    p.add_argument(
        "--documents",
        choices=("unopened", "all"),
        default="unopened",
        help="unopened: documents nobody opened yet (default); all: also refresh the model layer of opened ones",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("models", help="the learned suggester's versions; switch or roll back")
    _db_option(p)
    p.add_argument("--use", metavar="VERSION", help="a version (v1, v2...), previous (roll back) or base")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("bench", help="measure the speed and memory targets (ratios on this machine)")
    p.add_argument(
        "--docs",
        type=_sizes,
        default=[100_000],
        help="corpus sizes for the large-corpus checks, comma-separated (10000,100000,1000000)",
    )
    p.add_argument("--import-docs", type=int, default=200, help="articles for the import-versus-spaCy ratio")
    p.add_argument("--plain-docs", type=int, default=10_000, help="text files for the plain import figure")
    p.add_argument("--export-docs", type=int, default=2_000, help="articles for the export ratio")
    p.add_argument("--workdir", type=Path, help="where to build the benchmark databases (default: a temp dir)")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    command = args.command or "gui"
    try:
        if command == "gui":
            from annotator.gui.app import run_gui

            return run_gui(
                db=getattr(args, "db", None),
                open_id=getattr(args, "open", None),
                screenshot=getattr(args, "screenshot", None),
                view=getattr(args, "view", None),
            )
        return int(_COMMANDS[command](args))
    except UserError as exc:
        print(f"annotator: error: {exc.describe()}", file=sys.stderr)
        return 2
    except Cancelled:
        print("annotator: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("annotator: interrupted; everything committed before stays stored", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `annotator stats | head`: the reader went away, which is not an error
        sys.stderr.close()
        return 0


def _print(data: dict[str, Any] | str, as_json: bool) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if as_json else data)


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.services.importer import import_paths
    from annotator.services.project import open_project

    project = open_project(args.db)
    preannotator = None if args.no_suggest else project.preannotator()
    if preannotator is not None:
        print(f"annotator: {preannotator.message}", file=sys.stderr)
    result = import_paths(
        project.db,
        args.paths,
        annotator=args.annotator or project.annotator,
        preannotator=preannotator,
        schema=project.schema,  # labels of annotated files are checked and mapped, as in the GUI
        max_bytes=int(project.settings.get("max_document_bytes")),
        batch_size=int(project.settings.get("batch_size")) if preannotator else None,
        progress=TextProgress(),
    )
    if args.json:
        _print(result.to_json(), True)
    else:
        for problem in result.problems:
            print(f"{problem.severity}: {problem.describe()}", file=sys.stderr)
        print(
            f"imported {len(result.added)} documents ({result.duplicates} already present, "
            f"{result.layers_added} layers added to existing documents), {result.entities} entity and "
            f"{result.events} event annotations; {result.pipeline}"
        )
    return 1 if any(p.severity == "error" for p in result.problems) else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from annotator.services.project import open_project
    from annotator.services.stats import corpus_stats, format_stats

    stats = corpus_stats(open_project(args.db).db)
    _print(stats if args.json else format_stats(stats), args.json)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.nlp.segment import Segmenter
    from annotator.services.export import export_dataset
    from annotator.services.project import open_project
    from annotator.services.records import default_layer

    project = open_project(args.db)
    layer = args.layer or default_layer(project.db, project.annotator)
    segmenter = Segmenter(str(project.settings.get("spacy_model"))) if args.format in {"textee", "conll"} else None
    result = export_dataset(
        project.db,
        project.schema,
        args.format,
        args.out,
        layer=layer,
        status=args.status,
        segmenter=segmenter,
        progress=TextProgress(),
        include_suggestions=args.include_suggestions,
    )
    if args.json:
        _print(result.to_json(), True)
    else:
        for problem in result.problems:
            print(f"reported: {problem}", file=sys.stderr)
        if result.unreviewed and not args.include_suggestions and result.layer != "model":
            print(
                f"note: {result.unreviewed} unreviewed suggestions were left out (--include-suggestions adds them)",
                file=sys.stderr,
            )
        print(
            f"exported {result.documents} documents, {result.entities} entities and {result.events} events "
            f"of layer {result.layer} as {result.format} to {result.out}"
        )
    return 0


def cmd_incidents(args: argparse.Namespace) -> int:
    from annotator.services.incidents import IncidentService
    from annotator.services.project import open_project
    from annotator.services.records import default_layer

    project = open_project(args.db)
    layer = args.layer or default_layer(project.db, project.annotator)
    service = IncidentService(project.db, project.schema)
    if args.suggest:
        service.suggest(TextProgress())
    else:
        service.ensure_suggestions()
    found = service.incidents(layer)
    refs = service.export_refs(found)
    if args.json:
        _print({"layer": layer, "incidents": [incident_json(i, refs) for i in found]}, True)
        return 0
    for incident in found:
        what = incident.sub_event_type.value or incident.event_type.value or incident.members[0].type
        where = incident.location.value or "?"
        print(
            f"{incident.id}\t{incident.status}\t{incident.date.value or '?'}\t{what}\t{where}\t"
            f"{incident.fatalities.best} dead\t{len(incident.members)} report(s)"
        )
    linked = sum(1 for i in found if len(i.members) > 1)
    print(f"{len(found)} incidents in layer {layer}, {linked} of them linking several reports", file=sys.stderr)
    return 0


def incident_json(incident: Any, refs: dict[int, tuple[str, str]]) -> dict[str, Any]:
    return {
        "id": incident.id,
        "status": incident.status,
        "events": [{"doc_id": refs[e][0], "event_id": refs[e][1]} for e in incident.event_ids],
        "type": incident.event_type.value,
        "sub_event_type": incident.sub_event_type.value,
        "date": incident.date.value or None,
        "precision": incident.precision or None,
        "location": incident.location.value or None,
        "fatalities": {
            "best": incident.fatalities.best,
            "low": incident.fatalities.low,
            "high": incident.fatalities.high,
        },
        "score": incident.score,
        "reasons": list(incident.reasons),
    }


def cmd_bench(args: argparse.Namespace) -> int:
    from annotator.services.bench import run_bench

    report = run_bench(
        sizes=args.docs,
        import_docs=args.import_docs,
        plain_docs=args.plain_docs,
        export_docs=args.export_docs,
        workdir=args.workdir,
    )
    _print(report.to_json() if args.json else report.format(), args.json)
    return 0 if report.all_met else 1


def _sizes(value: str) -> list[int]:
    """`10000,100000` or `1_000_000`: corpus sizes for `bench --docs`."""
    try:
        sizes = [int(part.replace("_", "")) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give sizes as numbers, like 10000,100000") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give at least one size above 0")
    return sizes


def cmd_evaluate(args: argparse.Namespace) -> int:
    from annotator.services.evaluation import CURRENT, evaluate, format_evaluation, suggested_now
    from annotator.services.project import open_project

    project = open_project(args.db)
    suggest = suggested_now(project.preannotator()) if args.suggestions == CURRENT else None
    result = evaluate(project.db, against=args.against, suggestions=args.suggestions, suggest=suggest)
    data = {"suggestions": args.suggestions, "against": args.against, **result.to_json()}
    _print(data if args.json else format_evaluation(result, args.suggestions, args.against), args.json)
    return 0


def cmd_learn(args: argparse.Namespace) -> int:
    from annotator.services.learning import Learner
    from annotator.services.project import open_project

    project = open_project(args.db)
    learner = Learner(
        project.db,
        project.schema,
        project.pipeline_name,
        project.models,
        epochs=max(1, args.epochs),
        max_folds=max(2, args.folds),
    )
    result = learner.learn(args.source, progress=TextProgress())
    if args.json:
        _print(result.to_json(), True)
    else:
        print(result.message)
        if result.before is not None and result.after is not None:
            old, new = result.before.headline_text(), result.after.headline_text()
            print(f"cross-validated F1 on {result.compared} documents ({result.folds} folds): before -> after")
            for name in old:
                print(f"  {name:10} {old[name]:>5} -> {new[name]:>5}  ({result.components.get(name, '')})")
        print(f"{result.seconds:.1f} s")
    return 0 if result.documents >= 2 else 1


def cmd_suggest(args: argparse.Namespace) -> int:
    from annotator.services.project import open_project
    from annotator.services.resuggest import resuggest

    project = open_project(args.db)
    preannotator = project.preannotator()
    print(f"annotator: {preannotator.message}", file=sys.stderr)
    result = resuggest(
        project.db,
        preannotator,
        documents=args.documents,
        batch_size=int(project.settings.get("batch_size")),
        progress=TextProgress(),
    )
    if args.json:
        _print(result.to_json(), True)
    else:
        print(
            f"suggested again for {result.documents} documents: {result.entities} entities and {result.events} "
            f"events; {result.opened} documents opened by someone keep their layers"
        )
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from annotator.services.learning import use_version, versions
    from annotator.services.project import open_project

    store = open_project(args.db).models
    if args.use:
        use_version(store, args.use)
    found = versions(store)
    if args.json:
        active = next(v.name for v in found if v.active)
        _print({"folder": str(store.root), "active": active, "versions": [asdict(v) for v in found[1:]]}, True)
        return 0
    print(f"models in {store.root}")
    for v in found:
        mark = "*" if v.active else " "
        what = (
            "the installed pipeline, the lexicon and the rules"
            if not v.created
            else (
                f"{v.created}  from {v.documents} documents ({v.source}); "
                + ", ".join(f"{k} {state}" for k, state in v.components.items())
            )
        )
        print(f"{mark} {v.name:5} {what}")
    return 0


def _names(value: str | None) -> list[str] | None:
    return [n.strip() for n in value.split(",") if n.strip()] if value else None


def cmd_agree(args: argparse.Namespace) -> int:
    from annotator.services.agreement_report import agreement_report, format_report
    from annotator.services.project import open_project

    report = agreement_report(open_project(args.db).db, _names(args.annotators), args.documents)
    _print(report.to_json() if args.json else format_report(report), args.json)
    return 0


def cmd_adjudicate(args: argparse.Namespace) -> int:
    from annotator.services.adjudication_run import adjudicate_project, format_run
    from annotator.services.project import open_project

    project = open_project(args.db)
    run = adjudicate_project(
        project.db, project.schema, _names(args.annotators), auto=args.auto, min_agree=args.min_agree
    )
    _print(run if args.json else format_run(run), args.json)
    return 0


_COMMANDS = {
    "import": cmd_import,
    "stats": cmd_stats,
    "export": cmd_export,
    "bench": cmd_bench,
    "incidents": cmd_incidents,
    "agree": cmd_agree,
    "adjudicate": cmd_adjudicate,
    "evaluate": cmd_evaluate,
    "learn": cmd_learn,
    "suggest": cmd_suggest,
    "models": cmd_models,
}
