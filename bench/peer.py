"""Time our pages against Datasette serving the same data from SQLite + FTS5, side by side.

    .venv/bin/pip install -e '.[bench]'                   # datasette, for the bench only
    .venv/bin/python bench/peer.py                         # 20,000 reports
    .venv/bin/python bench/peer.py --reports 100000 --runs 20

Uses the PostgreSQL bench database of bench/pages.py (built if missing) and copies it
into bench/out/peer<N>.db: the same rows, the same jieba search tokens indexed by FTS5
(an external-content table per searchable table, which Datasette's `_search` uses), an
index on every foreign key and filtered column, and two columns copied from the report
onto each indicator (its province and publication date, as a Datasette user would
denormalise them, since a table page cannot filter through a join). Datasette serves it
immutable (`-i`, its read-only deployment) with `suggest_facets` off; gunicorn serves
ours with 2 workers. Each round requests every page pair once, alternating which server
goes first, so both see the same load from the rest of the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import time
from decimal import Decimal
from pathlib import Path

import pages
from serve import datasette, get, gunicorn, summary, timed_get

TABLES = [  # parents first
    "catalogue_region",
    "catalogue_theme",
    "catalogue_measure",
    "catalogue_brand",
    "catalogue_report",
    "catalogue_programme",
    "catalogue_initiative",
    "catalogue_indicator",
    "catalogue_initiative_themes",
    "catalogue_initiative_brands",
]
SEARCHABLE = ["catalogue_report", "catalogue_programme", "catalogue_initiative"]
SEARCHABLE += ["catalogue_indicator"]
INDEXED = {  # besides foreign keys: the columns the compared pages filter or sort on
    "catalogue_report": ["published", "hidden"],
    "catalogue_indicator": ["unit", "report_province", "report_published", "period_year"],
}
SEARCH = pages.SEARCH
FACETS = "&_facet=unit&_facet=qualifier&_facet=measure_id&_facet=period_kind"
HIDE = "&_nocol=search_tokens&_nocol=minhash&_nocol=minhash_bands"
CSV_OURS = "/indicators/?format=csv&unit=场次"
CSV_PEER = "/{db}/catalogue_indicator.csv?unit=场次&_stream=on&_size=max"


def pairs(ids: dict) -> list[tuple[str, str, str, float]]:
    """(name, our path, Datasette path, target ratio) of the compared pages."""
    r, i = ids["report"], ids["initiative"]
    return [
        (
            "indicators, 3 filters + facets",
            "/indicators/?unit=场次&province=150000&year_min=2022",
            "/{db}/catalogue_indicator?unit=场次&report_province=150000"
            "&report_published__gte=2022-01-01" + FACETS,
            1.0,
        ),
        ("search page / initiative _search", f"/search/?q={SEARCH}", _peer_search(), 1.0),
        ("initiatives ?q=", f"/initiatives/?q={SEARCH}", _peer_search(), 1.0),
        (
            "reports list",
            "/reports/",
            "/{db}/catalogue_report?hidden=0&_sort_desc=published" + HIDE,
            1.5,
        ),
        ("programmes list", "/programmes/", "/{db}/catalogue_programme?_nocol=search_tokens", 1.5),
        (
            "initiatives list",
            "/initiatives/",
            "/{db}/catalogue_initiative?_nocol=search_tokens",
            1.5,
        ),
        ("indicators list", "/indicators/", "/{db}/catalogue_indicator?_nocol=search_tokens", 1.5),
        ("report row", f"/reports/{r}/", f"/{{db}}/catalogue_report/{r}", 1.5),
        ("initiative row", f"/initiatives/{i}/", f"/{{db}}/catalogue_initiative/{i}", 1.5),
    ]


def _peer_search() -> str:
    from catalogue.search import query_terms

    return "/{db}/catalogue_initiative?_nocol=search_tokens&_search=" + " ".join(
        query_terms(SEARCH)
    )


# --- the SQLite copy --------------------------------------------------------------------


def _sqlite_value(value):
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _schema(cursor, table: str) -> tuple[list[str], str]:
    """Copied columns of a table and its SQLite CREATE statement (keys as in PostgreSQL)."""
    from django.db import connection

    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND data_type <> 'tsvector' ORDER BY ordinal_position",
        [table],
    )
    columns = cursor.fetchall()
    constraints = connection.introspection.get_constraints(cursor, table)
    pk = next(c["columns"][0] for c in constraints.values() if c["primary_key"])
    numeric = ("integer", "bigint", "smallint", "boolean")
    defs = []
    for name, kind in columns:
        affinity = "INTEGER" if kind in numeric else "REAL" if kind == "numeric" else "TEXT"
        defs.append(f'"{name}" {affinity}' + (" PRIMARY KEY" if name == pk else ""))
    for c in constraints.values():
        if c["foreign_key"] and c["foreign_key"][0] in TABLES:
            target, key = c["foreign_key"]
            defs.append(f'FOREIGN KEY ("{c["columns"][0]}") REFERENCES "{target}" ("{key}")')
    return [name for name, _ in columns], f'CREATE TABLE "{table}" ({", ".join(defs)})'


def build_sqlite(path: Path, version: str) -> None:
    """Copy the bench database's public tables into a new SQLite file with FTS5 and indexes."""
    from django.db import connection, transaction

    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    connection.ensure_connection()
    for table in TABLES:
        with connection.cursor() as cursor:
            names, create = _schema(cursor, table)
        db.execute(create)
        insert = f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(names))})'
        select = f"SELECT {', '.join(chr(34) + n + chr(34) for n in names)} FROM {table}"
        with transaction.atomic(), connection.connection.cursor(name=f"p_{table}") as stream:
            stream.itersize = 20_000
            stream.execute(select)
            while batch := stream.fetchmany(20_000):
                db.executemany(insert, ([_sqlite_value(v) for v in row] for row in batch))
        print(f"  {table} copied")
    _denormalise(db)
    _index(db)
    db.execute("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO bench_meta VALUES ('version', ?)", [version])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    tmp.rename(path)


def _denormalise(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE catalogue_indicator ADD COLUMN report_province TEXT")
    db.execute("ALTER TABLE catalogue_indicator ADD COLUMN report_published TEXT")
    db.execute(
        "UPDATE catalogue_indicator SET (report_province, report_published) = "
        "(SELECT substr(r.region_id, 1, 2) || '0000', r.published FROM catalogue_report r "
        "WHERE r.id = catalogue_indicator.report_id)"
    )


def _index(db: sqlite3.Connection) -> None:
    for table in TABLES:
        fks = db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        for column in [fk[3] for fk in fks] + INDEXED.get(table, []):
            db.execute(f'CREATE INDEX "{table}_{column}" ON "{table}" ("{column}")')
    for table in SEARCHABLE:
        db.execute(
            f'CREATE VIRTUAL TABLE "{table}_fts" USING FTS5 (search_tokens, content="{table}")'
        )
        db.execute(
            f'INSERT INTO "{table}_fts" (rowid, search_tokens) SELECT id, search_tokens FROM "{table}"'
        )
        print(f"  {table}_fts indexed")


def ensure_sqlite(reports: int) -> Path:
    """The SQLite copy of this size, rebuilt when the PostgreSQL data changed since."""
    from catalogue import state

    pages.OUT.mkdir(exist_ok=True)  # git-ignored: absent in a fresh clone
    path = pages.OUT / f"peer{reports}.db"
    version = state.version()
    if path.exists():
        with sqlite3.connect(path) as db:
            try:
                built = db.execute("SELECT value FROM bench_meta WHERE key = 'version'").fetchone()
            except sqlite3.Error:
                built = None
        if built and built[0] == version:
            return path
        path.unlink()
    start = time.perf_counter()
    build_sqlite(path, version)
    print(f"SQLite copy took {time.perf_counter() - start:.0f} s")
    return path


# --- timing ----------------------------------------------------------------------------


def race(ours: int, peer: int, db: str, compared: list, runs: int) -> dict:
    """Time each pair `runs` times, interleaved, alternating who goes first."""
    times = {name: ([], []) for name, *_ in compared}
    for _name, path, peer_path, _ in compared:  # warm-up
        for _ in range(2):
            timed_get(ours, path)
            timed_get(peer, peer_path.format(db=db))
    for run in range(runs):
        for name, path, peer_path, _ in compared:
            first = run % 2
            for side in (first, 1 - first):
                port, url = (ours, path) if side == 0 else (peer, peer_path.format(db=db))
                times[name][side].append(timed_get(port, url)[0])
    return {name: {"ours": summary(a), "datasette": summary(b)} for name, (a, b) in times.items()}


def csv_race(ours: int, peer: int, db: str, rounds: int = 3) -> dict:
    """Rows/s of a filtered CSV export from each side, alternating, best of `rounds`."""
    rates: dict[str, list[float]] = {"ours": [], "datasette": []}
    for run in range(rounds):
        for side in ("ours", "datasette") if run % 2 == 0 else ("datasette", "ours"):
            port, url = (ours, CSV_OURS) if side == "ours" else (peer, CSV_PEER.format(db=db))
            start = time.perf_counter()
            status, body = get(port, url)
            elapsed = time.perf_counter() - start
            if status != 200:
                raise SystemExit(f"GET {url} answered {status}")
            rates[side].append((body.count(b"\n") - 1) / elapsed)
    return {side: {"rows_per_s": statistics.median(r)} for side, r in rates.items()}


def print_results(results: dict, compared: list) -> None:
    """One line per page pair: medians, p95s and the ratio ours/Datasette against its target."""
    targets = {name: target for name, *_, target in compared}
    print(f"\n{results['reports']:,} reports, load {results['load']} -> {results['load_after']}")
    print(
        f"{'page':34} {'ours med':>9} {'DS med':>8} {'ours p95':>9} {'DS p95':>8} "
        f"{'ratio med':>9} {'ratio p95':>9} {'target':>6}"
    )
    for name, r in results["pages"].items():
        o, d = r["ours"], r["datasette"]
        ratio, ratio95 = o["median"] / d["median"], o["p95"] / d["p95"]
        verdict = "ok" if ratio <= targets[name] else "BEHIND"
        print(
            f"{name:34} {o['median']:9.1f} {d['median']:8.1f} {o['p95']:9.1f} {d['p95']:8.1f} "
            f"{ratio:8.2f}x {ratio95:8.2f}x {targets[name]:6.1f} {verdict}"
        )
    o, d = results["csv"]["ours"]["rows_per_s"], results["csv"]["datasette"]["rows_per_s"]
    verdict = "ok" if d / o <= 1.0 else "BEHIND"
    print(
        f"{'CSV ' + CSV_OURS:34} {o:,.0f} rows/s vs {d:,.0f} rows/s: "
        f"time ratio {d / o:.2f}x (target 1.0) {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports in the data")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page and side")
    parser.add_argument("--seed", type=int, default=20_000, help="random seed of the generator")
    parser.add_argument("--build-only", action="store_true", help="build both copies and stop")
    args = parser.parse_args()
    pages.setup(args.reports)
    pages.ensure_data(args.reports, rebuild=False, seed=args.seed)
    path = ensure_sqlite(args.reports)
    if args.build_only:
        return
    print(f"warmed the shared cache as ingest does in {pages.warm():.1f} s")
    compared = pairs(_sample_ids())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with gunicorn(pages.db_name(args.reports)) as ours, datasette(path) as peer:
        results = {"reports": args.reports, "load": load, "runs": args.runs}
        results["pages"] = race(ours, peer, path.stem, compared, args.runs)
        results["csv"] = csv_race(ours, peer, path.stem)
    results["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print_results(results, compared)
    out = pages.OUT / f"peer-{args.reports}.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"\nwrote {out.relative_to(pages.REPO)}")


def _sample_ids() -> dict:
    """A shown report and a shown initiative, as pages.urls picks them."""
    from catalogue.models import Initiative, Report

    report = Report.objects.filter(hidden=False).order_by("id").values_list("id", flat=True)[0]
    initiative = Initiative.objects.filter(report__hidden=False).order_by("id")[0].id
    return {"report": report, "initiative": initiative}


if __name__ == "__main__":
    main()
