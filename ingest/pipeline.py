"""Files -> parsed reports (in parallel if asked) -> the loader, one outcome per file."""

from __future__ import annotations

import ctypes
import errno
import gc
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path

from ingest.budget import NO_BUDGET, Budget, OverBudget
from ingest.types import ParsedReport, ReadError

REPORT_SUFFIXES = frozenset({".txt", ".html", ".htm"})
# Files loaded per transaction: enough to share its fixed costs (commit, version bump,
# measure summary, one INSERT per table), few enough that locks are held briefly and
# progress comes often.
BATCH_FILES = 25


@dataclass
class Outcome:
    """What happened to one file."""

    path: Path
    status: str  # "parsed" | "new" | "updated" | "unchanged" | "failed" | "skipped"
    reason: str = ""
    parsed: ParsedReport | None = None


def discover(paths: Iterable[str | Path]) -> Iterator[Outcome]:
    """Report files under the given files and folders (recursive, sorted); others come back skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
            continue
        reason = not_a_file(path)
        if reason is not None:
            missing = reason.startswith("cannot read") and not path.is_symlink()
            yield Outcome(path, "failed", "no such file or folder" if missing else reason)
        elif path.suffix.lower() in REPORT_SUFFIXES:
            yield Outcome(path, "pending")
        else:
            yield Outcome(
                path,
                "failed",
                f"not a report file ({path.suffix or 'no extension'}): use .txt or .html",
            )


def _walk(folder: Path) -> Iterator[Outcome]:
    """Every entry under `folder` (symlinked folders are not followed): pending or skipped."""
    for child in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in child.relative_to(folder).parts):
            continue  # editor and OS droppings (.DS_Store, .git/)
        if child.is_dir() and not child.is_symlink():
            continue  # rglob goes into it
        reason = not_a_file(child)
        if reason is not None:
            yield Outcome(child, "skipped", reason)
        elif child.suffix.lower() in REPORT_SUFFIXES:
            yield Outcome(child, "pending")
        else:
            yield Outcome(child, "skipped", f"not a report file ({child.suffix or 'no extension'})")


def not_a_file(path: Path) -> str | None:
    """Why `path` is no regular file to read (dangling or looping symlink, FIFO …); None if it is."""
    try:
        mode = path.stat().st_mode  # follows symlinks
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "looping symlink (it points back to itself)"
        if path.is_symlink():
            return f"dangling symlink (its target {os.readlink(path)} does not exist)"
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "symlink to a folder (not followed)"
    kind = (
        "FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "socket"
        if stat.S_ISSOCK(mode)
        else "device"
    )
    return f"not a regular file: a {kind}"


def _read(path: Path, max_bytes: int) -> bytes | Outcome:
    """The file's bytes, or a failed outcome; never blocks on a FIFO swapped in meanwhile."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return Outcome(path, "failed", f"cannot read: {exc.strerror or exc}")
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Outcome(path, "failed", not_a_file(path) or "not a regular file")
        if info.st_size > max_bytes:
            return Outcome(path, "failed", f"larger than the {max_bytes:,}-byte limit")
        try:
            return file.read()
        except OSError as exc:
            return Outcome(path, "failed", f"cannot read: {exc.strerror or exc}")


def parse_file(path: Path, max_bytes: int, budget: Budget = NO_BUDGET) -> Outcome:
    """Read and parse one file; any problem becomes a failed outcome with its reason."""
    from ingest.parse import parse_report

    data = _read(path, max_bytes)
    if isinstance(data, Outcome):
        return data
    try:
        with _time_limit(budget.seconds):
            parsed = parse_report(data, max_bytes=max_bytes, budget=budget)
        return Outcome(path, "parsed", parsed=parsed)
    except ReadError as exc:
        return Outcome(path, "failed", str(exc))
    except Exception as exc:  # a parser bug must not stop the other files
        return Outcome(path, "failed", f"could not be parsed ({type(exc).__name__}: {exc})")


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt parsing that runs past `seconds` (a long single step included).

    A real-time timer signal can only be handled in the main thread; elsewhere the
    budget is still checked between parsing steps.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise OverBudget(f"over the parse budget: not parsed within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Task:
    """One file to parse and, unless a dry run, load."""

    path: Path
    max_bytes: int
    load: bool
    force: bool
    budget: Budget = NO_BUDGET


def process_batch(tasks: list[Task]) -> list[Outcome]:
    """Parse a few files, then load the parsed ones in one transaction, a savepoint each.

    Problems become failed outcomes of their own file: a file that cannot be read,
    parsed or saved is rolled back alone (ingest.load.load_batch).
    """
    outcomes = [parse_file(task.path, task.max_bytes, task.budget) for task in tasks]
    loads = [
        (task, outcome)
        for task, outcome in zip(tasks, outcomes, strict=True)
        if outcome.parsed is not None and task.load
    ]
    if loads:
        from django.db import reset_queries

        from ingest.load import BatchItem, load_batch
        from ingest.parse import PARSER_VERSION

        items = [
            BatchItem(outcome.parsed, task.path.name, str(task.path.resolve()))
            for task, outcome in loads
        ]
        results = load_batch(items, parser_version=PARSER_VERSION, force=loads[0][0].force)
        for (_, outcome), result in zip(loads, results, strict=True):
            if isinstance(result, Exception):
                outcome.status = "failed"
                outcome.reason = f"could not be saved ({type(result).__name__}: {result})"
            else:
                outcome.status = result.status
        # With DEBUG on, Django keeps the last 9,000 statements, texts inlined: hundreds of MB.
        reset_queries()
    for outcome in outcomes:
        if outcome.parsed is not None:
            # The caller needs the extraction, not the texts nor the report's search tokens (as
            # long as its body, 18 of the 46 KB a report sent back): keep what crosses processes small.
            outcome.parsed = replace(outcome.parsed, text="", body="", tokens="")
    return outcomes


def batches(tasks: list[Task], jobs: int) -> list[list[Task]]:
    """The tasks in consecutive batches of up to BATCH_FILES, at least two per process."""
    size = max(1, min(BATCH_FILES, -(-len(tasks) // (2 * jobs))))
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


def process_all(
    outcomes: list[Outcome],
    *,
    max_bytes: int,
    jobs: int = 1,
    load: bool = True,
    force: bool = False,
    budget: Budget = NO_BUDGET,
) -> Iterator[Outcome]:
    """Parse (and load) the pending files in `jobs` processes; results come back in order.

    A batch of files is one transaction, each file a savepoint in it holding advisory
    locks on its hash, path, URL and MinHash bands (ingest/identity.py), so workers load
    side by side and only meet over a load of the same report or of a near duplicate.
    """
    from ingest import segment
    from ingest.parse import resources

    with _fewer_collections():  # forked workers inherit the thresholds
        resources()  # built once before forking, so workers share them
        segment.prepare()
        yield from _process(outcomes, max_bytes, jobs, load, force, budget)
    if load:
        flush_search_entries()


# The GIN indexes search reads. Each keeps new entries in a pending list (fastupdate) that
# every search scans whole until it is merged: after 1,000 new reports, 27,136 buffers for
# an initiative search instead of 2,305 once merged (about 0.25 s for all four).
SEARCH_INDEXES = (
    "report_search_vector",
    "programme_search_public",
    "initiative_search_public",
    "indicator_search_public",
)


def flush_search_entries() -> int:
    """Merge the search indexes' pending entries, so the first searches after an ingest do not
    scan them; returns how many pending pages were merged.

    Only the indexes' owner (or a superuser) may: for another role nothing is merged and
    autovacuum does it later, as before.
    """
    from django.db import DatabaseError, connection, transaction

    calls = ", ".join(f"gin_clean_pending_list('{name}'::regclass)" for name in SEARCH_INDEXES)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {calls}")
            return sum(cursor.fetchone())
    except DatabaseError:
        return 0


def _process(
    outcomes: list[Outcome], max_bytes: int, jobs: int, load: bool, force: bool, budget: Budget
) -> Iterator[Outcome]:
    """The pending files parsed (and loaded) in order: in a pool of workers, or here."""
    tasks = [
        Task(o.path, max_bytes, load, force, budget) for o in outcomes if o.status == "pending"
    ]
    if jobs > 1 and len(tasks) > 1:
        from django.db import connection, connections

        database = dict(connection.settings_dict)
        connections.close_all()  # each worker opens its own connection, not the parent's
        with (
            _frozen_heap(),
            ProcessPoolExecutor(
                max_workers=min(jobs, len(tasks)),
                mp_context=_start_method(),
                initializer=_start_worker,
                initargs=(database, os.getpid()),
            ) as pool,
        ):
            done = pool.map(process_batch, batches(tasks, jobs))
            yield from _merge(outcomes, chain.from_iterable(done))
    else:
        yield from _merge(outcomes, chain.from_iterable(map(process_batch, batches(tasks, 1))))


# A report's parse allocates tens of thousands of short-lived containers, so the default
# first-generation threshold (700) runs a collection every few hundred of them; at 10,000
# a --jobs 1 dry run of 300 reports makes 126 fewer collections and spends 0.06 s less
# in them (0.17 -> 0.11 s for the whole command, start-up included).
GC_THRESHOLDS = (10_000, 10, 10)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while files are processed; the thresholds come back after."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep what the parent loaded (dictionaries, gazetteer) shared with forked workers.

    A forked worker shares the parent's memory pages until it writes to them, and the
    cyclic garbage collector writes to the header of every object it visits, copying
    the worker's share page by page. Objects frozen before the fork are never visited.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork (cheap: workers share what the parent loaded) only when the process has no
    other thread, whose locks a forked child could inherit held; otherwise spawn."""
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")


def _start_worker(database: dict, parent: int) -> None:
    """Tie the worker's life to the parent's; in a spawned worker, set Django up on its database."""
    _die_with_parent(parent)
    gc.set_threshold(*GC_THRESHOLDS)  # a spawned worker does not inherit them
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.db import connections

    connections["default"].settings_dict.update(database)
    from ingest import segment
    from ingest.parse import resources

    # built here (at once if forked) so loading them never counts against a file's parse budget;
    # only the segmenter in use: jieba's dictionary is ~65 MB more per worker beside rjieba's
    resources()
    segment.prepare()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """Make this worker exit when the process that started it dies, even by SIGKILL.

    A pool worker waits on a pipe the dead parent can no longer close (the workers
    hold its other end too), so without this it would wait forever. Linux delivers
    a signal on the parent's death (prctl); elsewhere a thread watches the parent id.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
                if os.getppid() != parent:  # it died before the request took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _merge(outcomes: list[Outcome], done: Iterator[Outcome]) -> Iterator[Outcome]:
    for outcome in outcomes:
        yield next(done) if outcome.status == "pending" else outcome
