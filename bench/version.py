"""Time the catalogue version read: the old fingerprint (an aggregate over every report)
against the one-row state table, on a bench database of bench/pages.py.

    .venv/bin/python bench/version.py [--reports 20000] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The size is read before Django starts, since it names the database.
_size = sys.argv[sys.argv.index("--reports") + 1] if "--reports" in sys.argv else "20000"
os.environ["CATALOGUE_DB_NAME"] = f"bench_pages_{_size}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count, Max, Q  # noqa: E402

from catalogue import state  # noqa: E402
from catalogue.models import Report  # noqa: E402


def fingerprint() -> dict:
    """What catalogue_version() computed before the state table, three times per home page."""
    return Report.objects.aggregate(
        n=Count("id", filter=Q(hidden=False)), last=Max("id"), changed=Max("updated_at")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed reads of each")
    parser.add_argument("--reports", type=int, default=20_000, help="size of the bench database")
    args = parser.parse_args()
    print(f"reports: {Report.objects.count():,}")
    for name, read in (("old fingerprint", fingerprint), ("state row", state.version)):
        read()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            read()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[max(0, int(0.95 * len(times)) - 1)]
        print(f"{name:16} median {statistics.median(times):.2f} ms  p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
