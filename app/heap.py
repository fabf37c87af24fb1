"""The process heap once the app has started: what startup built is kept out of later garbage collections.

A request builds thousands of short-lived objects (rows, documents, their dicts), nearly all freed by
reference counting; they still count towards the collector's thresholds, and its older passes then
walk every object the process holds: modules, pydantic schemas, route tables, search caches. Frozen,
the startup heap is never walked again. Measured at 1M documents on the embedded store, one worker, 50
clients (BENCHMARKS.md): documents +23 to +35 %, lineage pages +21 %, symbol lists +9 to +19 %, search +6 %
requests/s.
"""

from __future__ import annotations

import gc

# Objects allocated (net) between young collections; CPython's default is 700, a tenth of what one
# symbol list builds.
YOUNG_COLLECTION_EVERY = 20_000


def freeze_startup_heap() -> None:
    """Collect once, move every surviving object to the permanent generation, and collect the young
    generation less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)
