"""ParsedReport -> database: the only writer.

Which report a parse belongs to (same text, an edited version of the same file or
URL, a reprint of another) is decided in ingest/identity.py. Rows are matched by
natural keys, and staff-owned or rejected rows also by their source text
(ingest/matching.py), so a parser change cannot duplicate or resurrect them; only
changed fields are saved; the caller gets insert / update / unchanged counts. Staff
work is never overwritten: a row whose `origin` is staff, a rejected row, and a
report field listed in `staff_fields` keep their values through any re-ingest,
`--force` included.

The pipeline loads a batch of files per transaction (`load_batch`); when a file fails
the batch is loaded again with each file in its own savepoint, so a file that fails
leaves nothing and the others stay; what every load would repeat (reference ids, the
rows of new reports, their history, the measure summary, the version bump, the
commit) is done once per batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction

from catalogue import measure_summary, state
from catalogue.models import Report
from catalogue.public import refresh_public
from ingest import identity, links, minhash
from ingest.keyed_rows import keyed_rows, natural_key
from ingest.links import sync_measures, sync_themes
from ingest.new_rows import NewReport, NewRows
from ingest.staff_rows import Bodies
from ingest.stored_rows import sync_children, update_fields
from ingest.types import ParsedReport

# Row counts that mean the load wrote something.
_WRITES = (".inserted", ".updated", ".deleted", ".rekeyed", ".relinked", ".grouped")
# Run before an ingest by the command; kept importable from here (ingest/links.py).
__all__ = [
    "BatchItem",
    "LoadResult",
    "load_batch",
    "load_report",
    "natural_key",
    "sync_measures",
    "sync_themes",
]


@dataclass
class LoadResult:
    """What loading one report did."""

    status: str  # "new" | "updated" | "unchanged"
    report_id: int
    rows: Counter = field(default_factory=Counter)  # e.g. {"indicator.inserted": 12}


def _report_fields(parsed: ParsedReport, parser_version: str) -> dict:
    return {
        "region_id": parsed.region.code,
        "region_reason": parsed.region.reason[:200],
        "title": parsed.title[:300],
        "title_derived": parsed.title_derived,
        "published": parsed.published,
        "sources": list(parsed.sources),
        "url": parsed.url or "",
        "text": parsed.text,
        "body": parsed.body,
        "summary": parsed.summary,
        "parser_version": parser_version,
        "flags": list(parsed.flags),
        "search_tokens": parsed.tokens,
        **_minhash_fields(parsed.body),
    }


def _minhash_fields(body: str) -> dict:
    sig = minhash.signature(body)
    return {"minhash": sig, "minhash_bands": minhash.bands(sig)}


@dataclass(frozen=True)
class BatchItem:
    """One parsed report to load, and the file it came from."""

    parsed: ParsedReport
    source_file: str
    source_path: str = ""


def load_report(
    parsed: ParsedReport,
    *,
    source_file: str,
    parser_version: str,
    force: bool = False,
    source_path: str = "",
) -> LoadResult:
    """Write one parsed report in one transaction; the same content again changes nothing.

    An edited text from the same `source_path` (or with the same original URL)
    updates that report and keeps its old text as a ReportVersion.
    """
    item = BatchItem(parsed, source_file, source_path)
    with _writer() as new_rows:
        result, new = _load(
            item, new_rows=new_rows, parser_version=parser_version, force=force, wait=True
        )
        if new is not None:
            new_rows.add(new)
    return result


def load_batch(
    items: list[BatchItem], *, parser_version: str, force: bool = False
) -> list[LoadResult | Exception]:
    """Write several parsed reports in one transaction, each file all or nothing.

    The batch is first loaded without a savepoint per file (two round trips fewer a
    file): if a file fails, the whole batch rolls back and is loaded again with each
    file in its own savepoint, where one that fails rolls back alone and comes back as
    its exception, in its place. A file whose locks another load holds is not waited
    for inside the batch (that could deadlock two batches): it is tried again at the
    batch's end, then loaded alone after the commit; so is every file when the batch's
    end fails. The version bump, the measure summary and the rows of new reports are
    written once per batch.
    """
    for saved in (False, True):
        results: list[LoadResult | Exception | None] = [None] * len(items)
        try:
            alone = _load_batch(items, results, parser_version, force, saved=saved)
            break
        except _Redo:  # a file failed without a savepoint: the batch again, with them
            continue
        except Exception:  # the batch rolled back as a whole: every file again, alone
            results, alone = [None] * len(items), list(range(len(items)))
            break
    for index in alone:
        item = items[index]
        try:
            results[index] = load_report(
                item.parsed,
                source_file=item.source_file,
                source_path=item.source_path,
                parser_version=parser_version,
                force=force,
            )
        except Exception as exc:  # its transaction rolled back: nothing of this file
            results[index] = exc
    return results


class _Redo(Exception):
    """A file of a batch loaded without savepoints failed: load the batch with them."""


def _load_batch(
    items: list[BatchItem], results: list, parser_version: str, force: bool, *, saved: bool
) -> list[int]:
    """One transaction of `load_batch`, each file in a savepoint if `saved`; the indexes
    of the files still busy at its end."""
    busy = list(range(len(items)))
    with _writer() as new_rows:
        with connection.cursor() as cursor:
            # A foreign key a file breaks fails in its statement, not at the batch's COMMIT.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # A busy file is tried once more at the end: the other load may be done by then.
        for _ in range(2):
            busy = _load_each(items, busy, results, new_rows, (parser_version, force), saved)
    return busy


def _load_each(
    items: list[BatchItem],
    indexes: list[int],
    results: list,
    new_rows: NewRows,
    options: tuple[str, bool],
    saved: bool,
) -> list[int]:
    """Load the items at `indexes` into `results`; the busy ones' indexes.

    Without `saved`, a file that fails raises _Redo (its writes cannot be undone
    alone); one busy before it wrote anything waits for the batch's end like any
    other, holding the locks it did take until the commit.
    """
    busy = []
    for index in indexes:
        try:
            result, new = _load_file(items[index], new_rows, *options, saved=saved)
        except identity.Busy as exc:
            if not saved and exc.wrote:
                raise _Redo from exc
            busy.append(index)
            continue
        except Exception as exc:  # rolled back to the savepoint: nothing of this file
            if not saved:
                raise _Redo from exc
            if _lost_a_lock_race(exc):  # not the file's fault: load it again, alone
                busy.append(index)
            else:
                results[index] = exc
            continue
        results[index] = result
        if new is not None:
            new_rows.add(new)
    return busy


def _load_file(
    item: BatchItem, new_rows: NewRows, parser_version: str, force: bool, *, saved: bool
) -> tuple[LoadResult, NewReport | None]:
    """Load one item, in a savepoint if `saved`. A report of this batch whose rows are
    still waiting (the same text with --force, or a new version by URL) gets them
    written first, outside the savepoint, so the update compares against them."""
    options = {"new_rows": new_rows, "parser_version": parser_version, "force": force}
    try:
        with transaction.atomic() if saved else nullcontext():
            return _load(item, **options, wait=False)
    except RowsPending:
        # A failure here leaves the batch's transaction broken: the batch is redone file
        # by file (load_batch), so it costs time, not correctness.
        new_rows.write()
    with transaction.atomic() if saved else nullcontext():
        return _load(item, **options, wait=False)


def _lost_a_lock_race(exc: Exception) -> bool:
    """Whether the server aborted the statement to break a deadlock between two loads."""
    return isinstance(exc, OperationalError) and getattr(exc.__cause__, "sqlstate", "") == "40P01"


class RowsPending(Exception):
    """The report found has new rows waiting in the batch: write them, then load again."""


@contextmanager
def _writer() -> Iterator[NewRows]:
    """The transaction of a load or batch: new reports' rows written at its end, then the
    measure summary of the regions it touched, then one version bump."""
    with transaction.atomic(), state.one_bump(), measure_summary.batch():
        measure_ids, theme_ids = links.reference_ids()
        new_rows = NewRows(theme_ids)
        _references.set((measure_ids, theme_ids))
        try:
            yield new_rows
        finally:
            _references.set(None)
        new_rows.write()


# Measure and theme ids for the loads of the current transaction (read once per batch).
_references: ContextVar[tuple[dict[str, int], dict[str, int]] | None] = ContextVar(
    "load_references", default=None
)


def _load(
    item: BatchItem, *, new_rows: NewRows, parser_version: str, force: bool, wait: bool
) -> tuple[LoadResult, NewReport | None]:
    """Identify and write one report inside the caller's transaction.

    A new report's rows come back to be written at the end of the transaction.
    """
    parsed, source_path = item.parsed, item.source_path
    fields = _report_fields(parsed, parser_version)
    keys = identity.lock_keys(parsed, source_path=source_path, bands=fields["minhash_bands"])
    identity.lock(keys, wait=wait)
    # A new report's row is inserted by the statement that finds it is new.
    found = identity.identify(parsed, source_path=source_path, new=_draft(item, fields))
    if found.kind != "new" and not _unchanged(found, force):
        # Found through another key than a concurrent writer of the same report.
        identity.lock_report(found.report, wait=wait)
        found = identity.identify(parsed, source_path=source_path, new=_draft(item, fields))
    if found.kind == "new":
        measure_ids, _ = _references.get()
        return _created(found, keyed_rows(parsed, measure_ids), fields, wait=wait)
    report = found.report
    if _unchanged(found, force):
        return LoadResult("unchanged", report.pk), None
    if report is not None and new_rows.holds(report.pk):
        raise RowsPending(report.pk)
    measure_ids, theme_ids = _references.get()
    programmes, initiatives, indicators = keyed_rows(parsed, measure_ids)
    rows = Counter()
    if found.kind == "version":
        identity.keep_version(report)
        fields |= {"sha256": parsed.sha256, "source_file": item.source_file}
        fields |= {"source_path": source_path} if source_path else {}
        rows["report.versioned"] += 1
    old_body = report.body
    status = (
        "updated" if update_fields(report, fields, skip=set(report.staff_fields)) else "unchanged"
    )
    children = (programmes, initiatives, indicators)
    sync_children(
        report, *children, rows, bodies=Bodies(old_body, parsed.body), theme_ids=theme_ids
    )
    refresh_public([report.pk])  # new rows may stand under rejected ones or in a hidden report
    if identity.group_reprints(report, wait=wait):
        rows["report.grouped"] += 1
    # Inserted rows and reprints hidden by an UPDATE send no signal.
    measure_summary.touch_reports([report.pk])
    if status == "unchanged" and any(k.endswith(_WRITES) for k in rows):
        status = "updated"
    return LoadResult(status, report.pk, rows), None


def _draft(item: BatchItem, fields: dict) -> Report:
    """The parse as an unsaved report row; its text and body are written apart (_created)."""
    row = {name: value for name, value in fields.items() if name not in ("text", "body")}
    return Report(
        sha256=item.parsed.sha256,
        source_file=item.source_file,
        source_path=item.source_path,
        **row,
    )


def _created(
    found: identity.Identity, children: tuple, fields: dict, *, wait: bool
) -> tuple[LoadResult, NewReport]:
    """Group a report just inserted (identity.identify); its text, rows, links and history
    row come back to be written at the end of the transaction (ingest.new_rows)."""
    report = found.report
    # What the save signals would do is done here: the version moves once at the
    # batch's end, and the report's region summary is refreshed then (touch_reports).
    state.bump_on_save()
    rows = Counter()
    if identity.group_new(report, found.nearest, wait=wait):
        rows["report.grouped"] += 1
    measure_summary.touch_reports([report.pk])  # its rows, inserted later, send no signal
    # The text row is written with the batch's rows (one INSERT for all): nothing in
    # the batch reads a new report's text before then (an update of it waits, RowsPending).
    texts = {"text": fields["text"], "body": fields["body"]}
    return LoadResult("new", report.pk, rows), NewReport(report, *children, rows, **texts)


def _unchanged(found: identity.Identity, force: bool) -> bool:
    """True when the parse is an older text of its report, or its same text without --force."""
    return found.kind == "older" or (found.kind == "same" and not force)
