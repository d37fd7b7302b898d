"""python manage.py ingest PATH [PATH …]: report files and folders into the catalogue."""

import gc
import json
import sys
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalogue import state
from catalogue.dataset import build_dataset, dataset_dir, is_current
from catalogue.warm import warm
from ingest.budget import Budget
from ingest.load import sync_measures, sync_themes
from ingest.parse import as_json
from ingest.pipeline import discover, process_all


class Command(BaseCommand):
    help = "Ingest report files (.txt, .html) and folders of them, recursively. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="report files or folders (searched recursively)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse only; write nothing to the database"
        )
        parser.add_argument(
            "--json", action="store_true", help="with --dry-run: print one JSON object per file"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="re-extract reports already ingested with the current parser (staff corrections are kept)",
        )
        parser.add_argument(
            "--jobs", type=int, default=1, help="parse in this many processes (default 1)"
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=100,
            help="off a terminal, print a progress line every this many files (default 100)",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.INGEST_MAX_BYTES,
            help=f"refuse files larger than this (default {settings.INGEST_MAX_BYTES:,})",
        )
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=settings.INGEST_MAX_SECONDS,
            help="fail a file whose parsing takes longer than this, so the run goes on "
            f"(default {settings.INGEST_MAX_SECONDS:g}; 0: no limit)",
        )
        parser.add_argument(
            "--max-indicators",
            type=int,
            default=settings.INGEST_MAX_INDICATORS,
            help="fail a file with more indicators than this "
            f"(default {settings.INGEST_MAX_INDICATORS:,}; 0: no limit)",
        )

    def handle(self, *args, **options):
        if options["json"] and not options["dry_run"]:
            raise CommandError("--json goes with --dry-run")
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        self.verbosity = options["verbosity"]
        outcomes = list(discover(options["paths"]))
        if not options["dry_run"]:
            sync_themes()
            sync_measures()
        totals = Counter()
        progress = self._progress(sum(o.status == "pending" for o in outcomes), options)
        results = process_all(
            outcomes,
            max_bytes=options["max_bytes"],
            jobs=options["jobs"],
            load=not options["dry_run"],
            force=options["force"],
            budget=Budget(
                seconds=options["max_seconds"] or None,
                indicators=options["max_indicators"] or None,
            ),
        )
        for outcome in results:
            if outcome.parsed is not None:
                self._count(outcome, totals)
                progress.step(outcome.path.name)
            totals[outcome.status] += 1
            self._report(outcome, options)
        progress.done()
        warming = None
        if not options["dry_run"] and (totals["new"] or totals["updated"]):
            # Inserted extracted rows send no signal: move the version, then fill the
            # shared cache now rather than on a reader's request.
            state.bump()
            warming = self._start_warm()
        self._summary(totals, options)
        try:
            if not options["dry_run"]:
                self._build_dataset()
        except BaseException:
            self._finish_warm(warming, failed=True)
            raise
        self._finish_warm(warming)
        if totals["failed"]:
            sys.exit(1)

    def run_from_argv(self, argv):
        """Run from the command line; the process exits when this returns."""
        try:
            super().run_from_argv(argv)
        finally:
            # The parser's resources (divisions, gazetteer, segmenter) are millions of
            # objects that the interpreter's last collections would walk for a quarter of
            # a second at exit, to free nothing. Frozen, they are skipped. Only here, as
            # the process ends: in call_command (tests, a long-lived process) frozen
            # objects would never be collected.
            gc.freeze()

    def _start_warm(self) -> Future:
        """Fill the shared cache in a thread, beside the /data/ rebuild (its own connection);
        in a caller's transaction, whose writes another connection could not see, now."""
        future = Future()
        if connection.in_atomic_block:
            try:
                future.set_result(warm())
            except Exception as error:
                future.set_exception(error)
            return future
        pool = ThreadPoolExecutor(1, thread_name_prefix="warm")
        future = pool.submit(_warm_and_close)
        pool.shutdown(wait=False)  # its thread ends when warm() returns
        return future

    def _finish_warm(self, warming: Future | None, *, failed: bool = False) -> None:
        """Wait for the cache to be filled and raise its error; after the rebuild `failed`,
        only report it (the rebuild's error is the one raised)."""
        error = warming and warming.exception()
        if error is None:
            return
        if not failed:
            raise error
        self.stderr.write(f"filling the cache failed too: {error!r}")

    def _build_dataset(self):
        """Rebuild the /data/ downloads so they hold what was just ingested, unless they were
        built at the current catalogue version already (nothing was written since)."""
        if is_current():
            if self.verbosity >= 1:
                self.stdout.write("dataset for /data/ is up to date: not rebuilt")
            return
        started = time.monotonic()
        manifest = build_dataset()
        if self.verbosity >= 1:
            rows = sum(manifest["counts"].values())
            self.stdout.write(
                f"dataset rebuilt for /data/: {rows} rows in {dataset_dir()} "
                f"({time.monotonic() - started:.1f} s)"
            )

    def _count(self, outcome, totals):
        # Only what this run wrote (or, in a dry run, parsed): not unchanged or failed files.
        parsed = outcome.parsed
        if outcome.status not in ("new", "updated", "parsed"):
            return
        totals["programmes"] += len(parsed.programmes)
        totals["initiatives"] += sum(len(p.initiatives) for p in parsed.programmes)
        totals["indicators"] += len(parsed.indicators)
        totals["flagged"] += bool(parsed.flags)

    def _report(self, outcome, options):
        if outcome.status == "failed":
            self.stderr.write(f"FAILED {outcome.path}: {outcome.reason}")
        elif outcome.status == "skipped":
            if self.verbosity >= 1:
                self.stderr.write(f"skipped {outcome.path}: {outcome.reason}")
        elif options["json"]:
            record = as_json(outcome.parsed, file=outcome.path.name)
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        elif self.verbosity >= 2:
            p = outcome.parsed
            region = p.region.code or "region undecided"
            self.stdout.write(
                f"{outcome.status:9} {outcome.path}: {region}, {len(p.programmes)} programmes, "
                f"{sum(len(x.initiatives) for x in p.programmes)} initiatives, {len(p.indicators)} indicators"
                + (f" [flagged: {', '.join(p.flags)}]" if p.flags else "")
            )

    def _summary(self, totals, options):
        files = (
            f"files: {totals['parsed']} parsed"
            if options["dry_run"]
            else f"files: {totals['new']} new, {totals['updated']} updated, {totals['unchanged']} unchanged"
        )
        line = (
            f"{files}, {totals['failed']} failed, {totals['skipped']} skipped | "
            f"programmes {totals['programmes']}, initiatives {totals['initiatives']}, "
            f"indicators {totals['indicators']} | flagged for review {totals['flagged']}"
        )
        out = self.stderr if options["json"] else self.stdout
        if self.verbosity >= 1 or totals["failed"]:
            out.write(line)

    def _progress(self, total: int, options):
        """A bar on a terminal; plain lines every --progress-every files elsewhere (logs, CI)."""
        enabled = self.verbosity == 1 and not options["json"]
        if sys.stderr.isatty():
            return Progress(total, enabled=enabled)
        return ProgressLines(
            total, every=options["progress_every"], out=self.stdout, enabled=enabled
        )


def _warm_and_close() -> dict[str, float]:
    """warm() in a thread, closing the thread's connection after it."""
    try:
        return warm()
    finally:
        connection.close()


class Progress:
    """A one-line progress bar on a terminal's standard error."""

    def __init__(self, total: int, *, enabled: bool):
        self.total, self.count, self.enabled = total, 0, enabled and total > 0

    def step(self, name: str) -> None:
        self.count += 1
        if self.enabled:
            width = 30
            filled = width * self.count // self.total
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} {name[:40]:40}"
            )
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


class ProgressLines:
    """Plain progress lines, one every `every` files and one at the end, with the rate so far."""

    def __init__(self, total: int, *, every: int, out, enabled: bool):
        self.total, self.count, self.every, self.out = total, 0, max(every, 1), out
        self.enabled = enabled and total > 0
        self.started = time.monotonic()

    def step(self, name: str) -> None:
        self.count += 1
        if self.enabled and self.count % self.every == 0 and self.count < self.total:
            self._line()

    def done(self) -> None:
        if self.enabled and self.count:
            self._line()

    def _line(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"progress: {self.count}/{self.total} files, {self.count / elapsed:.1f} files/s"
        )
