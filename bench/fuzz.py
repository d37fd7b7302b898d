"""Fuzz the public site: hostile requests to a local server, counted by status. Target: 0 × 5xx.

    .venv/bin/python bench/fuzz.py                    # 20,000 requests, 4 at a time
    .venv/bin/python bench/fuzz.py -n 5000 --seed 7   # fewer, another sequence

Works in a throwaway database, `bench_fuzz`, on the same server as the dev database (the
embedded PostgreSQL, or the server of DATABASE_URL); the dev database is never touched.
On first use it is migrated and the seed reports (../shared/seeds, or --seeds) ingested.
Then gunicorn serves it on 127.0.0.1 only, the requests are sent (a bounded loop), the
server is stopped, and the counts are printed with a sample of every 5xx URL. The exit
status is 1 if any request got a 5xx or no answer.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DB_NAME = "bench_fuzz"

if os.environ.get("DATABASE_URL"):
    base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
    os.environ["DATABASE_URL"] = f"{base}/{DB_NAME}"
os.environ["CATALOGUE_DB_NAME"] = DB_NAME
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

LISTS = ["/reports/", "/programmes/", "/initiatives/", "/indicators/"]
PAGES = [*LISTS, "/", "/regions/", "/compare/", "/measures/", "/brands/", "/search/"]
# Detail pages: the kind of identifier they take, and where it goes in the path.
DETAILS = {
    "/regions/{}/": "regions",
    "/regions/{}/timeline/": "regions",
    "/reports/{}/": "reports",
    "/initiatives/{}/": "initiatives",
    "/brands/{}/": "brands",
}
PARAMS = [
    "region", "province", "level", "year_min", "year_max", "q", "theme", "unit", "qualifier",
    "value_min", "value_max", "o", "page", "format", "label", "measure", "period_kind", "kind",
    "region[]", "", "x" * 300,
]  # fmt: skip
# Percent-encoded already: sent as they are, so broken UTF-8 and NUL reach the server.
RAW = ["%00", "%FF", "%C0%80", "%E4%B8", "%", "%%", "%0A", "%0D%0A", "%2F..%2F", "%u0000"]
HOSTILE = [
    "\x00", "a\x00b", "0", "-0", "-1", "1", "10000", "99999", "1e5", "1E+5", "-1e-200000",
    "1e999999999", "1e308", "9" * 40, "0." + "0" * 40 + "1", "NaN", "inf", "-Infinity",
    "0x10", " 2020 ", "２０２０", "１５０１０２", "150102", "1501021", "15010", "000000",
    "150000", "province", "county", "exact", "lots", "场次", "人次", "万元", "csv", "json",
    "xml", "-value,published", "published,published", "value,-value,region,-region",
    "-", ",", "' OR 1=1--", "<script>alert(1)</script>", "{{7*7}}", "%s%s%s", "\u202e",
    "😀" * 10, "宣" * 300, "宣讲", "红石榴", "a" * 10_000, "\r\n", "\t=cmd", "../../etc/passwd",
    "null", "true", "[]", "{}", "\\", "\ud7ff", "\ufeff", "population", "events", "gdp",
    "minority-population", "population\x00", "concrete", "slogan", "point", "year", "half-year",
    "per-year", "unstated", "prefecture",
]  # fmt: skip


def ensure_database(seeds: Path) -> None:
    """Create, migrate and fill bench_fuzz on first use."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    call_command("migrate", verbosity=0)
    from catalogue.models import Report

    if not Report.objects.exists():
        call_command("ingest", str(seeds))


def known_ids() -> dict[str, list[str]]:
    """Real report, initiative, brand and region identifiers, so detail pages are hit too."""
    from catalogue.models import Brand, Initiative, Report

    def pks(model) -> list[str]:
        return [str(pk) for pk in model.objects.values_list("pk", flat=True)[:50]]

    regions = list(Report.objects.values_list("region__code", flat=True).distinct())
    return {
        "reports": pks(Report),
        "initiatives": pks(Initiative),
        "brands": pks(Brand),
        "regions": [c for c in regions if c] + ["150000", "150100", "450205", "110101"],
    }


def value(rng: random.Random) -> str:
    """One hostile value, percent-encoded for the query string."""
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(RAW)
    if roll < 0.8:
        return quote(rng.choice(HOSTILE), safe="")
    chars = [
        chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0xD800)])) for _ in "x" * 8
    ]
    return quote("".join(chars[: rng.randrange(1, 9)]), safe="")


def query(rng: random.Random) -> str:
    """A query string of up to six hostile parameters (names may repeat)."""
    pairs = [f"{quote(rng.choice(PARAMS))}={value(rng)}" for _ in range(rng.randrange(0, 7))]
    return "&".join(pairs)


def segment(rng: random.Random, ids: list[str]) -> str:
    """A detail path segment: a real id, a hostile value, or raw broken encoding."""
    roll = rng.random()
    if roll < 0.2 and ids:
        return rng.choice(ids)
    if roll < 0.4:
        return rng.choice(RAW) + rng.choice(["", "1", "150102"])
    return value(rng) or "x"


def request_line(rng: random.Random, ids: dict[str, list[str]]) -> tuple[str, str]:
    """The method and path of one hostile request."""
    prefix = rng.choice(["", "", "", "/en"])
    if rng.random() < 0.3:
        pattern = rng.choice(list(DETAILS))
        path = pattern.format(segment(rng, ids[DETAILS[pattern]]))
    else:
        path = rng.choice(PAGES)
    method = rng.choices(["GET", "HEAD", "POST"], weights=[90, 7, 3])[0]
    q = query(rng)
    return method, f"{prefix}{path}" + (f"?{q}" if q else "")


def send(port: int, method: str, path: str) -> int | str:
    """The status of one request, or why there was none."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as exc:
        return f"no answer ({type(exc).__name__})"
    finally:
        conn.close()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port over bench_fuzz, ready to answer."""
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--threads", "2", "--timeout", "60",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(300):
        if send(port, "GET", "/regions/") == 200:
            return server
        if server.poll() is not None:
            sys.exit(f"the server did not start; see {log}")
        time.sleep(0.2)
    server.terminate()
    sys.exit(f"the server did not answer within 60 s; see {log}")


def fuzz(port: int, requests: int, seed: int, workers: int) -> tuple[Counter, dict, float]:
    """Send `requests` hostile requests; counts by status, sample URLs of failures, seconds."""
    rng = random.Random(seed)
    ids = known_ids()
    lines = [request_line(rng, ids) for _ in range(requests)]
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(lambda line: send(port, *line), lines))
    elapsed = time.perf_counter() - started
    samples: dict = {}
    for (method, path), status in zip(lines, statuses, strict=True):
        if not isinstance(status, int) or status >= 500:
            samples.setdefault(status, []).append(f"{method} {path[:200]}")
    return Counter(statuses), samples, elapsed


def main() -> int:
    """Parse arguments, prepare the database, serve, fuzz, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=20_000, help="how many requests")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the sequence")
    parser.add_argument("--workers", type=int, default=4, help="requests in flight at once")
    parser.add_argument(
        "--seeds", type=Path, default=REPO.parent / "shared" / "seeds", help="reports to ingest"
    )
    args = parser.parse_args()
    ensure_database(args.seeds)
    connection.close()
    port, log = free_port(), REPO / ".data" / "fuzz-server.log"
    server = start_server(port, log)
    try:
        counts, samples, elapsed = fuzz(port, args.requests, args.seed, args.workers)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(counts.values())
    print(f"{total} requests in {elapsed:.1f} s ({total / elapsed:.0f}/s), seed {args.seed}")
    for status, n in sorted(counts.items(), key=lambda item: str(item[0])):
        print(f"  {status}: {n}")
    failures = sum(
        n for status, n in counts.items() if not isinstance(status, int) or status >= 500
    )
    print(f"5xx or no answer: {failures}  (server log: {log})")
    for status, paths in samples.items():
        print(f"  {status} e.g.:", *paths[:5], sep="\n    ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
