"""Page store benchmark: the cost of keeping one more page when many are kept already.

    .venv/bin/python bench/page_store.py [--entries 10000] [--page-kb 30] [--sets 200]

Fills each store with `--entries` pages, then times `--sets` more `set` calls (new
keys, as a crawler reading new pages makes) and as many `get`s, wall and CPU time per
call. Stores: Django's FileBasedCache as the `pages` store was before (it lists every
file on each `set` to decide whether to cull, so it was capped at 1,000 pages; here
uncapped so that it holds the same number), and diskcache's DjangoCache as configured
now (config/settings.py: SQLite-indexed, bounded by size). The pages are HTML-like
text of `--page-kb` KB. Each store lives in a fresh temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def page(n: int, kb: int, rng: random.Random) -> tuple[bytes, str]:
    """A kept whole page as page_cache keeps it: (HTML bytes, content type)."""
    rows, size = [], 0
    while size < kb * 1024:
        rows.append(
            f'<li class="hit"><a href="/initiatives/{rng.randrange(10**6)}/">举措{n}-{len(rows)}'
            f"</a> 开展活动{rng.randrange(1000)}场,服务群众{rng.randrange(10**5)}人次。</li>\n".encode()
        )
        size += len(rows[-1])
    return b"".join(rows), "text/html; charset=utf-8"


def stores(directory: Path) -> dict:
    """The stores compared, each in its own folder under `directory`."""
    from diskcache import DjangoCache
    from django.conf import settings
    from django.core.cache.backends.filebased import FileBasedCache

    now = {**settings.CACHES["pages"]}
    if now["BACKEND"] != "diskcache.DjangoCache":
        sys.exit(f"the pages store is {now['BACKEND']} here (CATALOGUE_REDIS_URL set?)")
    return {
        "FileBasedCache (before)": FileBasedCache(
            str(directory / "file"), {"OPTIONS": {"MAX_ENTRIES": 10**9}}
        ),
        "diskcache DjangoCache (now)": DjangoCache(str(directory / "disk"), now),
    }


def fill(store, entries: int, kb: int, rng: random.Random) -> float:
    """Put `entries` pages in; seconds taken. FileBasedCache is filled without its cull
    (which would list the folder on every one of these sets)."""
    cull = getattr(store, "_cull", None)
    if cull is not None:
        store._cull = lambda: None
    start = time.perf_counter()
    for n in range(entries):
        store.set(f"whole:{n}", page(n, kb, rng), 86400)
    if cull is not None:
        del store._cull
    return time.perf_counter() - start


def timed(call, arguments) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `call(*a)` for each `a` of `arguments`."""
    wall, cpu = [], []
    for argument in arguments:
        w, c = time.perf_counter(), time.process_time()
        call(*argument)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(values):7.2f}  p95 {p95:7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="pages kept first")
    parser.add_argument("--page-kb", type=int, default=30, help="size of one page")
    parser.add_argument("--sets", type=int, default=200, help="timed sets (and gets)")
    args = parser.parse_args()
    import django

    django.setup()
    rng = random.Random(7)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, store in stores(Path(tmp)).items():
            seconds = fill(store, args.entries, args.page_kb, rng)
            new = [(f"new:{n}", page(n, args.page_kb, rng), 86400) for n in range(args.sets)]
            sets = timed(store.set, new)
            kept = [(f"whole:{rng.randrange(args.entries)}",) for _ in range(args.sets)]
            gets = timed(store.get, kept)
            print(f"{name}: {args.entries} pages of {args.page_kb} KB stored in {seconds:.1f} s")
            print(f"  set  wall ms {summary(sets[0])}   CPU ms {summary(sets[1])}")
            print(f"  get  wall ms {summary(gets[0])}   CPU ms {summary(gets[1])}")
            store.close()


if __name__ == "__main__":
    main()
