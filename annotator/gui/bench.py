"""GUI figures for `annotator bench`, in a fresh process: window, list, filters, search, articles, memory."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication

from annotator.core.dto import Status

#: What users type into the search box: place names, organisations, phrases in quotes, a word being typed.
SEARCH_QUERIES = (
    "Homs",
    "Palmyra",
    "al-Waer",
    "Idlib",
    "Damascus",
    "Khalidiya",
    "Aleppo",
    "Old City",
    "Hezbollah",
    "Syrian Observatory for Human Rights",
    "White Helmets",
    "Local Coordination Committees",
    "ISIS",
    "Civil Defense",
    '"cease-fire"',
    '"killed at least"',
    '"government forces"',
    '"Old City"',
    '"safe passage"',
    "Homs shelling",
    "airstrikes Palmyra",
    "negotiat",
    "rebels Homs district",
    "Observatory",
)


def _peak_rss_mb() -> float:
    """This process's peak resident memory. ru_maxrss would also count the parent's memory before exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def edit_times(window: Any, app: QApplication, rounds: int = 20) -> list[float]:
    """An edit on the event-heavy article as a person makes it, then its undo, each until every view has been
    told and repainted: relabel a span, reject an event (the article stays as it was)."""
    editor = window.editor
    view = editor.current
    labels = list(editor.schema.entity_types)
    spans = [e for e in view.entities if e.status != Status.REJECTED]
    events = [ev for ev in view.events if ev.status != Status.REJECTED]
    times: list[float] = []

    def timed(action: Callable[..., object], *args: object) -> None:
        started = time.perf_counter()
        action(*args)
        window.article.viewport().repaint()
        window.entities.tree.viewport().repaint()
        window.event_panel.list.viewport().repaint()
        times.append(time.perf_counter() - started)
        app.processEvents()

    for i in range(rounds):
        span = spans[(i * len(spans)) // rounds]
        other = labels[(labels.index(span.label) + 1) % len(labels)] if span.label in labels else labels[0]
        timed(editor.event_edit, "Relabel", editor.service.relabel, [span.id], other)
        timed(editor.undo.group.undo)
        event = events[(i * len(events)) // rounds]
        timed(editor.event_edit, "Reject", editor.service.set_event_status, [event.id], Status.REJECTED)
        timed(editor.undo.group.undo)
    return times


def main(argv: list[str]) -> int:
    url, long_id, spawned = argv[1], int(argv[2]), float(argv[4])
    event_ids = [int(i) for i in argv[3].split(",")]
    app = QApplication(argv[:1])
    from annotator.gui.app import build_window, freeze_start_up
    from annotator.services.project import open_project

    home = tempfile.TemporaryDirectory(prefix="annotator-bench-home-")  # settings only; removed on exit
    project = open_project(url, home=home.name)
    project.settings.set("annotator_name", "bench")
    project.settings.set("annotator_confirmed", True)
    window = build_window(project)
    window.show()
    freeze_start_up()  # as the application does
    model = window.list_model
    model.index(0, 0).data()  # the first page of rows, as the view paints it
    app.processEvents()
    usable = time.time() - spawned

    def timed_reload(**kwargs: object) -> float:
        started = time.perf_counter()
        model.reload(**kwargs)  # type: ignore[arg-type]
        model.index(0, 0).data()
        elapsed = time.perf_counter() - started
        app.processEvents()
        return elapsed

    first_page = timed_reload(query="")
    filters = [timed_reload(status=status) for status in ("done", "new", "in_progress")]
    model.reload(status=None)

    searches, hits = [], {}
    for query in SEARCH_QUERIES:
        searches.append(timed_reload(query=query))
        hits[query] = model.rowCount()
    model.reload(query="")

    def open_time(document_id: int) -> float:
        started = time.perf_counter()
        window.open_document(document_id)
        window.article.viewport().repaint()
        window.event_panel.list.viewport().repaint()
        elapsed = time.perf_counter() - started
        app.processEvents()
        return elapsed

    long_opens = [open_time(long_id) for _ in range(5)]
    # What a person gets: the first open of each event-heavy article, none of them opened before.
    event_firsts = [open_time(document_id) for document_id in event_ids]
    event_again = [open_time(event_ids[-1]) for _ in range(5)]
    view = window.editor.current
    assert view is not None and view.id == event_ids[-1]
    edits = edit_times(window, app)
    rss_mb = _peak_rss_mb()
    slowest = max(range(len(searches)), key=searches.__getitem__)
    print(
        json.dumps(
            {
                "usable_s": round(usable, 3),
                "first_page_ms": _ms(first_page),
                "filter_ms": _ms(max(filters)),
                "search_ms_p95": _ms(_p95(searches)),
                "search_ms_median": _ms(statistics.median(searches)),
                "search_max_ms": _ms(max(searches)),
                "search_slowest": SEARCH_QUERIES[slowest],
                "search_hits": hits,
                "open_article_ms": _ms(statistics.median(long_opens)),
                "open_event_article_ms": _ms(statistics.median(event_firsts)),
                "open_event_article_firsts_ms": [_ms(t) for t in event_firsts],
                "open_event_article_again_ms": _ms(statistics.median(event_again)),
                "event_article": f"{len(view.entities)} spans, {len(view.events)} events, "
                f"{sum(len(ev.arguments) for ev in view.events)} arguments",
                "edit_refresh_ms_p95": _ms(_p95(edits)),
                "edit_refresh_ms_median": _ms(statistics.median(edits)),
                "rss_mb": round(rss_mb, 1),
            }
        )
    )
    window.close()
    project.db.dispose()
    home.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
