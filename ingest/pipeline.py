"""Files -> parsed reports (in parallel if asked) -> the loader, one outcome per file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ingest.types import ParsedReport, ReadError

REPORT_SUFFIXES = frozenset({".txt", ".html", ".htm"})


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
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue  # editor and OS droppings (.DS_Store, .git/)
                if child.suffix.lower() in REPORT_SUFFIXES:
                    yield Outcome(child, "pending")
                else:
                    yield Outcome(
                        child, "skipped", f"not a report file ({child.suffix or 'no extension'})"
                    )
        elif path.is_file():
            if path.suffix.lower() in REPORT_SUFFIXES:
                yield Outcome(path, "pending")
            else:
                yield Outcome(
                    path,
                    "failed",
                    f"not a report file ({path.suffix or 'no extension'}): use .txt or .html",
                )
        else:
            yield Outcome(path, "failed", "no such file or folder")


def parse_file(path: Path, max_bytes: int) -> Outcome:
    """Read and parse one file; any problem becomes a failed outcome with its reason."""
    from ingest.parse import parse_report

    try:
        if path.stat().st_size > max_bytes:
            return Outcome(path, "failed", f"larger than the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        return Outcome(path, "failed", f"cannot read: {exc.strerror or exc}")
    try:
        return Outcome(path, "parsed", parsed=parse_report(data, max_bytes=max_bytes))
    except ReadError as exc:
        return Outcome(path, "failed", str(exc))
    except Exception as exc:  # a parser bug must not stop the other files
        return Outcome(path, "failed", f"could not be parsed ({type(exc).__name__}: {exc})")


def _parse_one(args: tuple[Path, int]) -> Outcome:
    return parse_file(*args)


def parse_all(outcomes: list[Outcome], *, max_bytes: int, jobs: int = 1) -> Iterator[Outcome]:
    """Parse the pending files in order, in `jobs` processes; other outcomes pass through."""
    from ingest.parse import resources

    resources()  # build once before forking so workers share it
    pending = [(o.path, max_bytes) for o in outcomes if o.status == "pending"]
    if jobs > 1 and len(pending) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, os.cpu_count() or 1, len(pending))) as pool:
            parsed = pool.map(_parse_one, pending, chunksize=max(1, len(pending) // (jobs * 8)))
            yield from _merge(outcomes, parsed)
    else:
        yield from _merge(outcomes, map(_parse_one, pending))


def _merge(outcomes: list[Outcome], parsed: Iterator[Outcome]) -> Iterator[Outcome]:
    for outcome in outcomes:
        yield next(parsed) if outcome.status == "pending" else outcome
