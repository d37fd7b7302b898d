"""Where the time of one row page goes, in process: middleware, view, SQL, templates.

    CATALOGUE_PAGE_CACHE=0 .venv/bin/python bench/rows.py --reports 100000
    CATALOGUE_PAGE_CACHE=0 .venv/bin/python bench/rows.py --reports 100000 --profile 25

Uses the bench database of `pages.py` (never builds it). Each page is requested `--runs`
times with the test Client (after warm-ups) and timed by phase: the whole request, the
view (everything inside the middleware: URL resolution, queries, rendering), the SQL
(count and ms, through a connection wrapper), the template rendering (the outermost
`Template.render` calls), and the CPU time of the process. Middleware is the whole minus
the view. `--profile N` prints the N functions with most own time over all runs (cProfile).
Run it with CATALOGUE_PAGE_CACHE=0 for the cold path, every page rendered afresh.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # noqa: E402

PHASES = ("total", "cpu", "view", "sql", "templates")


class Clock:
    """Per-request phase timings in ms, and the number of queries."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start a new request."""
        self.ms = dict.fromkeys(PHASES, 0.0)
        self.queries = 0
        self._depth = 0

    def sql(self, execute, sql, params, many, context):
        """connection.execute_wrapper hook: time one query."""
        start = time.perf_counter_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms["sql"] += (time.perf_counter_ns() - start) / 1e6
            self.queries += 1

    def wrap_templates(self) -> None:
        """Time the outermost Template.render calls (includes are counted inside them)."""
        from django.template.base import Template

        original, clock = Template.render, self

        def render(template, context):
            clock._depth += 1
            start = time.perf_counter_ns()
            try:
                return original(template, context)
            finally:
                clock._depth -= 1
                if clock._depth == 0:
                    clock.ms["templates"] += (time.perf_counter_ns() - start) / 1e6

        Template.render = render

    def middleware(self, get_response):
        """The innermost middleware: times the view and what it calls."""

        def timed(request):
            start = time.perf_counter_ns()
            try:
                return get_response(request)
            finally:
                self.ms["view"] += (time.perf_counter_ns() - start) / 1e6

        return timed


CLOCK = Clock()


def clock_middleware(get_response):
    """Settings entry for Clock.middleware (middleware must be importable by path)."""
    return CLOCK.middleware(get_response)


@contextmanager
def timed_request():
    """Time one request as a whole, wall and CPU."""
    CLOCK.reset()
    wall, cpu = time.perf_counter_ns(), time.process_time_ns()
    yield
    CLOCK.ms["cpu"] = (time.process_time_ns() - cpu) / 1e6
    CLOCK.ms["total"] = (time.perf_counter_ns() - wall) / 1e6


class Shims:
    """Timers put between the middleware: the own time of each is its time minus the next's."""

    def __init__(self) -> None:
        self.spent: list[list[int]] = []

    def factory(self, depth: int):
        """A middleware that adds the time of everything inside it to spent[depth]."""

        def shim(get_response):
            def timed(request):
                start = time.perf_counter_ns()
                try:
                    return get_response(request)
                finally:
                    self.spent[depth].append(time.perf_counter_ns() - start)

            return timed

        return shim


SHIMS = Shims()


def middleware_costs(path: str, runs: int) -> None:
    """Print the median own time of each middleware (µs) over `runs` GETs of `path`."""
    from django.conf import settings
    from django.test import Client

    names = list(settings.MIDDLEWARE)
    module = sys.modules[__name__]
    chain = []
    for depth, name in enumerate([*names, "view"]):
        setattr(module, f"shim_{depth}", SHIMS.factory(depth))
        SHIMS.spent.append([])
        chain += [f"{__name__}.shim_{depth}", name]
    settings.MIDDLEWARE = chain[:-1]
    client = Client(HTTP_HOST="localhost")
    for _ in range(runs):
        client.get(path)
    inside = [statistics.median(times) / 1000 for times in SHIMS.spent]
    print(f"own time of each middleware on {path}, µs (median of {runs}; shims add a little)")
    for depth, name in enumerate(names):
        print(f"{inside[depth] - inside[depth + 1]:8.1f}  {name}")
    print(f"{inside[-1]:8.1f}  view (URL resolution, queries, rendering)")


def backend_cpu_ms() -> float | None:
    """CPU ms the PostgreSQL backend of this connection has used (from /proc: the embedded
    server on this machine), or None where it cannot be read."""
    import os

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(stat[11]) + int(stat[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def prepare_statements() -> None:
    """Reconnect with server-side binding and psycopg's automatic prepared statements (after
    2 executions), to compare the server's cost without planning (not the site's setting)."""
    from django.db import connection

    connection.close()
    options = connection.settings_dict["OPTIONS"]
    connection.settings_dict["OPTIONS"] = {
        **options,
        "server_side_binding": True,
        "prepare_threshold": 2,
    }


def measure(paths: dict[str, str], runs: int, profile: int) -> None:
    """Time each page by phase and print the medians (and the profile, if asked)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.clock_middleware"]
    CLOCK.wrap_templates()
    client = Client(HTTP_HOST="localhost")
    profiler = cProfile.Profile() if profile else None
    head = " ".join(f"{p:>9}" for p in PHASES)
    print(f"{'page':22} {'queries':>7} {head}  middleware  server CPU")
    for name, path in paths.items():
        rows = []
        server = None
        for i in range(runs + 3):
            if i == 3:
                server = backend_cpu_ms()
            with connection.execute_wrapper(CLOCK.sql), timed_request():
                if profiler and i >= 3:
                    profiler.enable()
                response = client.get(path)
                if profiler:
                    profiler.disable()
            assert response.status_code == 200, (path, response.status_code)
            if i >= 3:
                rows.append({**CLOCK.ms, "queries": CLOCK.queries})
        after = backend_cpu_ms()
        # mean per request, in clock ticks (10 ms): use a few hundred runs
        server_ms = f"{(after - server) / runs:10.2f}" if server is not None else "         -"
        median = {k: statistics.median(r[k] for r in rows) for k in (*PHASES, "queries")}
        floor = statistics.median(r["total"] - r["view"] for r in rows)
        cells = " ".join(f"{median[p]:9.2f}" for p in PHASES)
        print(f"{name:22} {median['queries']:7.0f} {cells}  {floor:9.2f}  {server_ms}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000, help="reports in the bench data")
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--middleware", metavar="PATH", help="time each middleware on PATH")
    parser.add_argument(
        "--prepared", action="store_true", help="server-side binding + prepared statements"
    )
    args = parser.parse_args()
    pages.setup(args.reports)
    if args.prepared:
        prepare_statements()
    if args.middleware:
        middleware_costs(args.middleware, args.runs)
        return
    from catalogue.models import Indicator, Initiative, Programme, Report

    ids = {  # as bench/pages.py and bench/peer.py pick them
        "report": Report.objects.filter(hidden=False)
        .order_by("id")
        .values_list("id", flat=True)[0],
        "initiative": Initiative.objects.public().order_by("id")[0].id,
        "indicator": Indicator.objects.public().order_by("id")[0].id,
        "programme": Programme.objects.public().order_by("id")[0].id,
    }
    paths = {
        "report row": f"/reports/{ids['report']}/",
        "initiative row": f"/initiatives/{ids['initiative']}/",
        "indicator row": f"/indicators/{ids['indicator']}/",
        "programme row": f"/programmes/{ids['programme']}/",
        "about (floor)": "/about/",
    }
    measure(paths, args.runs, args.profile)


if __name__ == "__main__":
    main()
