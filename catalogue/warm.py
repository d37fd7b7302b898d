"""Fill the shared cache with what readers would otherwise compute on their request.

Ingest calls `warm()` when it has written something; `manage.py warm_cache` does the
same after other writes (a staff curation session moves the catalogue version, so the
next reader of home, the region tree or a whole list would pay for it, and the whole
lists would show bounded counts until the next ingest).
"""

from __future__ import annotations

import time

from .selectors import refresh_home_summary
from .views import refresh_list_facets
from .views.regions import warm_region_tree


def warm() -> dict[str, float]:
    """Home figures, every whole list's exact counts, the region tree: seconds each took."""
    took = {}
    for name, step in (
        ("home", refresh_home_summary),
        ("lists", refresh_list_facets),
        ("region tree", warm_region_tree),
    ):
        start = time.perf_counter()
        step()
        took[name] = time.perf_counter() - start
    return took
