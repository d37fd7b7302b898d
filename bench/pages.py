"""Benchmark every public page on a large invented catalogue, over HTTP (gunicorn) and in-process.

    .venv/bin/python bench/pages.py                          # 20,000 reports
    .venv/bin/python bench/pages.py --reports 100000         # builds bench_pages_100000 once
    .venv/bin/python bench/pages.py --compare-sizes 20000 100000   # growth ratio per page
    .venv/bin/python bench/pages.py --rebuild --explain      # regenerate; print query plans

Works in a separate database per size, `bench_pages_<N>`, on the same server as the dev
database (the embedded PostgreSQL, or the server of DATABASE_URL); the dev database is
never touched. The data (bench/data.py) is N invented reports with 4 programmes, 15
initiatives and ~12.5 indicators each, streamed in with COPY. Each page is timed over
real HTTP against gunicorn (2 workers on 127.0.0.1, started and stopped here) and
in-process with Django's test Client (server-side only). Results go to
bench/out/pages-<N>.json; --compare-sizes reads them (measuring a size whose file is
missing) and prints the growth per page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))
# Static files come from the app folders here (no collectstatic): not worth a warning a page.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

SEARCH = "红石榴 驿站"
# (name, path, p95 target in ms). {county}, {report} and {initiative} are filled from the data.
PAGES = [
    ("home", "/", 80),
    ("region tree", "/regions/", 150),
    ("province page", "/regions/150000/", 150),
    ("county page", "/regions/{county}/", 150),
    ("county timeline", "/regions/{county}/timeline/", 150),
    ("reports list", "/reports/", 150),
    ("programmes list", "/programmes/", 150),
    ("initiatives list", "/initiatives/", 150),
    ("initiatives ?q=", f"/initiatives/?q={SEARCH}", 200),
    ("indicators, 3 filters", "/indicators/?unit=场次&province=150000&year_min=2022", 150),
    ("compare events", "/compare/?measure=events", 150),
    ("measures", "/measures/", 150),
    ("brands", "/brands/", 150),
    ("search, two words", f"/search/?q={SEARCH}", 200),
    ("report detail", "/reports/{report}/", 150),
    ("initiative detail", "/initiatives/{initiative}/", 150),
    ("indicator permalink", "/indicators/{indicator}/", 150),
    ("API indicators, unfiltered", "/api/v1/indicators/", 150),
    (
        "API indicators, 3 filters",
        "/api/v1/indicators/?unit=场次&province=150000&year_min=2022",
        150,
    ),
    ("API initiatives, page 20", "/api/v1/initiatives/?page=20", 150),
    ("API report detail", "/api/v1/reports/{report}/", 150),
    ("API indicator detail", "/api/v1/indicators/{indicator}/", 150),
]
CSV = "/indicators/?format=csv"
CSV_TARGET = 5_000  # rows/s


def db_name(reports: int) -> str:
    """The bench database of a size."""
    return f"bench_pages_{reports}"


def setup(reports: int) -> None:
    """Point Django at the bench database of this size (created and migrated if missing)."""
    name = db_name(reports)
    if os.environ.get("DATABASE_URL"):
        base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
        os.environ["DATABASE_URL"] = f"{base}/{name}"
    os.environ["CATALOGUE_DB_NAME"] = name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def ensure_data(reports: int, *, rebuild: bool, seed: int) -> float | None:
    """Build the data unless this size is already there; the build's seconds, or None."""
    from pgload import build

    from catalogue.models import Indicator, Report

    present = Report.objects.count() == reports and Indicator.objects.exists()
    if present and not rebuild:
        return None
    start = time.perf_counter()
    counts = build(reports, seed)
    took = time.perf_counter() - start
    print(", ".join(f"{n:,} {t.removeprefix('catalogue_')}" for t, n in counts.items()))
    print(f"build took {took:.0f} s")
    return took


def warm() -> float:
    """Fill the shared cache as ingest does at its end (catalogue.warm); the data here is
    copied in, not ingested. Returns the seconds it took."""
    from catalogue.warm import warm as warm_cache

    return sum(warm_cache().values())


def urls() -> list[tuple[str, str, int]]:
    """PAGES with the sample county, report and initiative filled in."""
    from catalogue.models import Indicator, Initiative, Report

    shown = Report.objects.filter(hidden=False).order_by("id")
    county = (
        shown.filter(region__level="county", region__code__startswith="15")
        .values_list("region_id", flat=True)
        .first()
    )
    ids = {
        "county": county,
        "report": shown.values_list("id", flat=True).first(),
        "initiative": Initiative.objects.public().order_by("id")[0].id,
        "indicator": Indicator.objects.public().order_by("id")[0].id,
    }
    return [(name, path.format(**ids), target) for name, path, target in PAGES]


def time_inprocess(path: str, runs: int) -> list[float]:
    """Milliseconds of `runs` GETs with the test Client (after two warm-ups), asserting 200."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        if i >= 2:
            times.append((time.perf_counter() - start) * 1000)
    return times


def time_http(port: int, path: str, runs: int) -> list[float]:
    """Milliseconds of `runs` GETs over HTTP (after two warm-ups that reach both workers)."""
    from serve import timed_get

    for _ in range(2):
        timed_get(port, path)
    return [timed_get(port, path)[0] for _ in range(runs)]


def csv_rate(chunks: Iterator[bytes], limit: int) -> dict[str, float]:
    """Rows, seconds and rows/s of a CSV export, read until its end or `limit` rows."""
    start = time.perf_counter()
    rows = -1  # the header line
    for chunk in chunks:
        rows += chunk.count(b"\n")
        if rows >= limit:
            break
    elapsed = time.perf_counter() - start
    return {"rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed}


def _client_chunks(path: str) -> Iterator[bytes]:
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    yield from response.streaming_content if response.streaming else [response.content]


def measure(reports: int, runs: int, *, http: bool, inprocess: bool, csv_rows: int) -> dict:
    """Time every page (and the CSV export) in the chosen modes; return the results."""
    from serve import gunicorn, stream, summary

    pages = urls()
    results: dict = {"pages": {name: {"path": path} for name, path, _ in pages}, "csv": {}}
    if http:
        with gunicorn(db_name(reports)) as port:
            for name, path, _ in pages:
                results["pages"][name]["http"] = summary(time_http(port, path, runs))
            results["csv"]["http"] = csv_rate(stream(port, CSV), csv_rows)
    if inprocess:
        for name, path, _ in pages:
            results["pages"][name]["inprocess"] = summary(time_inprocess(path, runs))
        results["csv"]["inprocess"] = csv_rate(_client_chunks(CSV), csv_rows)
    return results


def report(results: dict) -> None:
    """Print median / p95 / max per page and mode, against the p95 targets."""
    targets = {name: target for name, _, target in PAGES}
    print(f"\n{results['reports']:,} reports, load {results['load']}")
    print(f"{'page':24} {'mode':9} {'median':>8} {'p95':>8} {'max':>8} {'target':>7}")
    for name, modes in results["pages"].items():
        for mode in ("http", "inprocess"):
            if mode in modes:
                s = modes[mode]
                verdict = "ok" if s["p95"] <= targets.get(name, 150) else "SLOW"
                print(
                    f"{name:24} {mode:9} {s['median']:8.1f} {s['p95']:8.1f} {s['max']:8.1f} "
                    f"{targets.get(name, 150):5} {verdict}"
                )
    for mode, c in results["csv"].items():
        verdict = "ok" if c["rows_per_s"] >= CSV_TARGET else "SLOW"
        print(
            f"{'CSV export':24} {mode:9} {c['rows']:,} rows in {c['seconds']:.2f} s = "
            f"{c['rows_per_s']:,.0f} rows/s (target {CSV_TARGET:,}) {verdict}"
        )


def growth(small: dict, large: dict) -> None:
    """Print, per page and mode, how much slower the larger catalogue is (p95 and median)."""
    factor = large["reports"] / small["reports"]
    print(f"\ngrowth {small['reports']:,} -> {large['reports']:,} reports ({factor:.0f}x data)")
    print(f"{'page':24} {'mode':9} {'p95 ratio':>10} {'median ratio':>13}")
    for name, modes in large["pages"].items():
        for mode in ("http", "inprocess"):
            before = small["pages"].get(name, {}).get(mode)
            if before and mode in modes:
                p95 = modes[mode]["p95"] / before["p95"]
                median = modes[mode]["median"] / before["median"]
                verdict = "ok" if p95 <= 1.5 else "GROWS"
                print(f"{name:24} {mode:9} {p95:9.2f}x {median:12.2f}x {verdict}")
    for mode, c in large["csv"].items():
        if mode in small["csv"]:
            print(
                f"{'CSV export rows/s':24} {mode:9} {c['rows_per_s'] / small['csv'][mode]['rows_per_s']:9.2f}x"
            )


def explain() -> None:
    """Print the plans of the search and the three-filter indicator list."""
    from django.http import QueryDict

    from catalogue import search, selectors
    from catalogue.filters import IndicatorFilter

    for model_qs, fields in (
        (selectors.initiative_list(), search.INITIATIVE_FIELDS),
        (selectors.indicator_list(), search.INDICATOR_FIELDS),
    ):
        print(search.text_filter(model_qs, SEARCH, fields).explain(analyze=True), "\n")
    data = QueryDict("unit=场次&province=150000&year_min=2022")
    print(IndicatorFilter(data, queryset=selectors.indicator_list()).qs[:50].explain(analyze=True))


def results_path(reports: int) -> Path:
    """Where the results of a size are written (-cold: without the page cache)."""
    cold = "-cold" if os.environ.get("CATALOGUE_PAGE_CACHE") == "0" else ""
    return OUT / f"pages-{reports}{cold}.json"


def compare_sizes(sizes: list[int], args: argparse.Namespace) -> None:
    """Measure each size missing a results file (a fresh process each), then print growth."""
    for size in sizes:
        if args.rebuild or args.remeasure or not results_path(size).exists():
            argv = [sys.executable, __file__, "--reports", str(size), "--runs", str(args.runs)]
            argv += ["--seed", str(args.seed)] + (["--rebuild"] if args.rebuild else [])
            argv += ["--no-page-cache"] if args.no_page_cache else []
            subprocess.run(argv, check=True)
    loaded = [json.loads(results_path(size).read_text()) for size in sizes]
    for result in loaded:
        report(result)
    growth(loaded[0], loaded[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports to generate")
    parser.add_argument(
        "--compare-sizes",
        type=int,
        nargs=2,
        metavar=("SMALL", "LARGE"),
        help="measure two sizes (reusing bench/out/pages-N.json) and print the growth",
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate the data")
    parser.add_argument(
        "--remeasure", action="store_true", help="with --compare-sizes: ignore saved results"
    )
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page and mode")
    parser.add_argument(
        "--csv-rows", type=int, default=200_000, help="CSV rows read to time the export"
    )
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn timings")
    parser.add_argument("--no-inprocess", action="store_true", help="skip the test Client timings")
    parser.add_argument("--build-only", action="store_true", help="build the data and stop")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every page on every request (CATALOGUE_PAGE_CACHE=0): the cold path",
    )
    parser.add_argument("--seed", type=int, default=20_000, help="random seed of the generator")
    args = parser.parse_args()
    if args.no_page_cache:  # read by the settings, here and in gunicorn's workers
        os.environ["CATALOGUE_PAGE_CACHE"] = "0"
    if args.compare_sizes:
        compare_sizes(args.compare_sizes, args)
        return
    setup(args.reports)
    build_seconds = ensure_data(args.reports, rebuild=args.rebuild, seed=args.seed)
    if args.build_only:
        return
    if args.explain:
        explain()
    print(f"warmed the shared cache as ingest does in {warm():.1f} s")
    results = {
        "reports": args.reports,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "build_seconds": build_seconds,
        "runs": args.runs,
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    results |= measure(
        args.reports,
        args.runs,
        http=not args.no_http,
        inprocess=not args.no_inprocess,
        csv_rows=args.csv_rows,
    )
    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report(results)
    OUT.mkdir(exist_ok=True)
    results_path(args.reports).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"\nwrote {results_path(args.reports).relative_to(REPO)}")


if __name__ == "__main__":
    main()
