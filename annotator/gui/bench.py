"""GUI figures for `annotator bench`, in a fresh process: usable window, list page, search, article, memory."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time

from PySide6.QtWidgets import QApplication

# Names from the seeds, common and rare in the synthetic corpus; the figure is their median.
SEARCH_QUERIES = ("Khalidiya", "Palmyra", "Hezbollah", "cease-fire", "Observatory")


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


def main(argv: list[str]) -> int:
    url, long_id, spawned = argv[1], int(argv[2]), float(argv[3])
    app = QApplication(argv[:1])
    from annotator.gui.app import build_window
    from annotator.services.project import open_project

    home = tempfile.TemporaryDirectory(prefix="annotator-bench-home-")  # settings only; removed on exit
    project = open_project(url, home=home.name)
    project.settings.set("annotator_name", "bench")
    project.settings.set("annotator_confirmed", True)
    window = build_window(project)
    window.show()
    model = window.list_model
    model.index(0, 0).data()  # the first page of rows, as the view paints it
    app.processEvents()
    usable = time.time() - spawned

    started = time.perf_counter()
    model.reload(query="")
    model.index(0, 0).data()
    first_page = time.perf_counter() - started

    searches, hits = [], {}
    for query in SEARCH_QUERIES:
        started = time.perf_counter()
        model.reload(query=query)
        model.index(0, 0).data()
        searches.append(time.perf_counter() - started)
        hits[query] = model.rowCount()
        app.processEvents()
    model.reload(query="")

    opens = []
    for _ in range(3):
        started = time.perf_counter()
        window.open_document(long_id)
        window.article.viewport().repaint()
        opens.append(time.perf_counter() - started)
        app.processEvents()
    spans = len(window.article.spans)

    rss_mb = _peak_rss_mb()
    print(
        json.dumps(
            {
                "usable_s": round(usable, 3),
                "first_page_ms": _ms(first_page),
                "search_ms": _ms(statistics.median(searches)),
                "search_max_ms": _ms(max(searches)),
                "search_hits": hits,
                "open_article_ms": _ms(statistics.median(opens)),
                "open_article_first_ms": _ms(opens[0]),
                "article_spans": spans,
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
