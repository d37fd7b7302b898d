"""Which stored report a parsed one is, and which reports are the same article.

Part of the writer (load.py): a parsed report is the report with the same text, an
edited version of a report from the same file path or original URL, an older version
of one (which changes nothing), or a new report. New reports whose bodies are near
duplicates (ingest.minhash) of another are grouped: one stays public, the others are
hidden but kept and listed as its other sources.

Parallel workers serialise only where they could meet. A load locks (transaction
advisory locks, taken at once in one sorted order) the keys a report could be
identified by (its hash, file path and URL) and its MinHash bands: two loads that
could find the same report, or group with each other (near duplicates share a band,
which is how they find each other), wait for one another; any other two run side by
side. Then a load that writes an existing report locks that report, and one that
joins a group takes the grouping lock. The order (keys and bands, report, grouping)
is the same in every load and nothing is locked after the grouping lock, so loads
cannot deadlock.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from catalogue.models import Report, ReportVersion
from ingest.binary import binary_cursor, insert_parts, inserted, packed
from ingest.minhash import SAME_ARTICLE
from ingest.types import ParsedReport

_GROUPING = "catalogue.ingest.reprint-grouping"


class Busy(Exception):
    """Another load holds a lock this load needs, and this load may not wait for it.

    `wrote`: the load had written its report already (the grouping lock comes last).
    """

    def __init__(self, message: str, *, wrote: bool = False) -> None:
        super().__init__(message)
        self.wrote = wrote


@dataclass(frozen=True)
class Identity:
    """What a parsed report is to the catalogue."""

    kind: str  # "same" | "version" | "older" | "new"
    report: Report | None = None
    nearest: int | None = None  # a new report's nearest near-duplicate's group head


def lock_keys(parsed: ParsedReport, *, source_path: str, bands: list[int]) -> list[int]:
    """The advisory lock keys of a load, sorted: its hash, path, URL and MinHash bands."""
    names = [f"sha256:{parsed.sha256}", *(f"band:{band}" for band in bands)]
    names += [f"path:{source_path}"] if source_path else []
    names += [f"url:{parsed.url}"] if parsed.url else []
    return sorted({_lock_key(name) for name in names})


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for a name, the same in every process."""
    digest = hashlib.blake2b(f"catalogue.ingest:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock(keys: list[int], *, wait: bool = True) -> None:
    """Wait for every load holding one of `keys`, then hold them to the end of the transaction.

    With `wait` False (a load inside a batch, which holds the locks of the batch's
    earlier files, so waiting could close a cycle with another batch) a key another
    load holds raises Busy at once instead. The commit does not wait for the disk: a
    crash may lose the last few files' transactions but never half-apply one, and
    ingest is idempotent, so running it again restores them.
    """
    # One array parameter, its keys locked in its order (an aggregate reads the unnest in order).
    sql = _TRY_LOCKS if not wait else _LOCKS
    with binary_cursor() as cursor:
        cursor.execute(sql, [packed(keys, "bigint")])
        taken = cursor.fetchone()[1]
    if not wait and not taken:
        raise Busy("another load holds this report's locks")


_COMMIT_ASYNC = "SELECT set_config('synchronous_commit', 'off', true)"
_LOCKS = f"{_COMMIT_ASYNC}, count(pg_advisory_xact_lock(key)) FROM unnest(%b::bigint[]) AS key"
_TRY_LOCKS = (
    f"{_COMMIT_ASYNC}, bool_and(pg_try_advisory_xact_lock(key)) FROM unnest(%b::bigint[]) AS key"
)


def lock_report(report: Report, *, wait: bool = True) -> None:
    """Serialise writers of one stored report that found it by different keys."""
    lock([_lock_key(f"report:{report.pk}")], wait=wait)


def identify(parsed: ParsedReport, *, source_path: str, new: Report | None = None) -> Identity:
    """The stored report `parsed` is, by text, then by an old version, then by path or URL.

    One query asks all three (a new report, the common case, costs one round trip);
    path and URL are asked apart, each through its index (an OR of the two makes the
    planner walk the whole table in id order). `new`, the parse as an unsaved report,
    is inserted by the same statement when no stored report is found (the caller
    holds the keys' locks): kind "new", with the group head of its nearest
    near-duplicate (see `group_new`).
    """
    params = {
        "found_sha256": parsed.sha256,
        "found_path": source_path or None,
        "found_url": parsed.url or None,
    }
    if new is None:
        with binary_cursor() as cursor:
            cursor.execute(_identify_sql(), params)
            found = cursor.fetchone()
        return _identity(found, None, None)
    insert, values = insert_parts(new)
    sql = _identify_or_insert_sql(insert, bool(new.minhash))
    with binary_cursor() as cursor:
        cursor.execute(sql, params | _nearest_params(new) | values)
        kind, found_id, new_id, nearest = cursor.fetchone()
    if new_id is None:
        return _identity((kind, found_id), None, None)
    inserted(new, new_id)
    return _identity(None, new, nearest)


def _identity(found: tuple | None, new: Report | None, nearest: int | None) -> Identity:
    if found is None:
        return Identity("new", new, nearest)
    # "older": never roll a report back to an old text.
    kind = {1: "same", 2: "older", 3: "version"}[found[0]]
    return Identity(kind, Report.objects.get(pk=found[1]))


@functools.cache
def _identify_sql() -> str:
    report, version = Report._meta.db_table, ReportVersion._meta.db_table
    return (
        f"SELECT 1 AS kind, id FROM {report} WHERE sha256 = %(found_sha256)b::text "
        f"UNION ALL SELECT 2, report_id FROM {version} WHERE sha256 = %(found_sha256)b::text "
        f"UNION ALL SELECT 3, id FROM {report} WHERE source_path = %(found_path)b::text "
        f"UNION ALL SELECT 3, id FROM {report} WHERE url = %(found_url)b::text "
        f"ORDER BY 1, 2 LIMIT 1"
    )


@functools.cache
def _identify_or_insert_sql(insert: str, grouped: bool) -> str:
    """`_identify_sql`, and the INSERT of a new report and its nearest near-duplicate when
    it finds nothing: (kind, found id, new id, nearest group head), one row."""
    nearest = f"({_nearest_sql('new.id')})" if grouped else "NULL::bigint"
    return (
        f"WITH found AS ({_identify_sql()}), "
        f"new AS ({insert} WHERE NOT EXISTS (SELECT FROM found) RETURNING id) "
        f"SELECT found.kind, found.id, new.id, {nearest} "
        f"FROM (VALUES (1)) AS one LEFT JOIN found ON true LEFT JOIN new ON true"
    )


def keep_version(report: Report) -> None:
    """Record the text a report has now, before a new version replaces it."""
    ReportVersion.objects.create(
        report=report,
        sha256=report.sha256,
        text=report.text,
        source_file=report.source_file,
        source_path=report.source_path,
        url=report.url,
        parser_version=report.parser_version,
    )


def group_reprints(report: Report, *, wait: bool = True) -> bool:
    """Put a report not yet grouped into the group of its nearest near-duplicate, if any.

    Returns True when a group was formed or joined. The caller holds the locks of the
    report's bands, so every near-duplicate loaded at the same time has committed (and
    is found here) or waits to find this one. Without `wait`, a grouping lock another
    load holds raises Busy (see `lock`). A new report is grouped by `group_new`.
    """
    if not report.minhash or report.duplicate_of_id:
        return False
    if report.reprints.exists():
        return False
    return group_new(report, _nearest(report), wait=wait)


def group_new(report: Report, nearest: int | None, *, wait: bool = True) -> bool:
    """Put a report not yet grouped into the group whose head `nearest` is (as `_nearest`
    found it before the grouping lock: it is asked again under the lock); True if it was."""
    if nearest is None:
        return False
    # Another load may be changing the same group (through another band): one at a
    # time, and its members read again once this load may change them.
    try:
        lock([_lock_key(_GROUPING)], wait=wait)
    except Busy as busy:
        raise Busy(str(busy), wrote=True) from busy
    head = _nearest(report)
    members = list(
        Report.objects.filter(Q(pk=head) | Q(duplicate_of_id=head) | Q(pk=report.pk)).only(
            "pk", "published", "url", "sha256", "hidden", "staff_fields", "duplicate_of_id"
        )
    )
    _elect(members)
    return True


def _nearest(report: Report) -> int | None:
    """The group head (the public report) of the most similar other report at or above
    SAME_ARTICLE (lowest id on a tie), or None.

    The server compares the signatures (ingest.minhash.similarity: the share of equal
    positions) of the candidates sharing a band, so only the winner comes back, not
    every candidate's signature: their number grows with the catalogue.
    """
    params = _nearest_params(report) | {
        "id": report.pk,
        "minhash": packed(list(report.minhash), "bigint"),
        "minhash_bands": packed(list(report.minhash_bands), "bigint"),
    }
    with binary_cursor() as cursor:
        cursor.execute(_nearest_sql("%(id)b::bigint"), params)
        found = cursor.fetchone()
    return found[0] if found else None


@functools.cache
def _nearest_sql(report_id: str) -> str:
    """The query of `_nearest`, for the report whose id is the SQL `report_id`."""
    table = connection.ops.quote_name(Report._meta.db_table)
    return (
        f"SELECT COALESCE(duplicate_of_id, id) FROM ("
        f"  SELECT id, duplicate_of_id, (SELECT count(*) FROM unnest(minhash,"
        f"    %(minhash)b::bigint[]) AS pair(mine, theirs) WHERE mine = theirs) AS same"
        f"  FROM {table} WHERE minhash_bands && %(minhash_bands)b::bigint[]"
        f"  AND id <> {report_id} AND cardinality(minhash) = %(size)b::integer"
        f") AS candidate WHERE same::float / %(size)b::integer >= %(same_article)b::float"
        f" ORDER BY same DESC, id LIMIT 1"
    )


def _nearest_params(report: Report) -> dict:
    """The size and threshold `_nearest_sql` reads; the signature and bands are the
    report's `minhash` and `minhash_bands` (an INSERT's values, or given apart)."""
    return {"size": len(report.minhash), "same_article": SAME_ARTICLE}


def _public_first(report: Report) -> tuple:
    """Order of a group: the earliest dated, then one with its original URL, then by hash."""
    return (report.published or date.max, not report.url, report.sha256)


def _elect(members: list[Report]) -> None:
    """Make the first member by `_public_first` the public one and hide the others.

    A `hidden` that staff set (listed in staff_fields) is left as it is; a member is
    shown again only if it was hidden for being a reprint. One UPDATE per kind of
    change, so a large group costs a few statements, not one save per member.
    """
    public = min(members, key=_public_first)
    changes: dict[tuple[int | None, bool], list[int]] = defaultdict(list)
    for member in members:
        head = None if member is public else public.pk
        hidden = member.hidden
        if "hidden" not in member.staff_fields:
            if member is not public:
                hidden = True
            elif member.duplicate_of_id is not None:
                hidden = False
        if (head, hidden) != (member.duplicate_of_id, member.hidden):
            changes[head, hidden].append(member.pk)
    now = timezone.now()
    for (head, hidden), pks in sorted(changes.items(), key=lambda c: c[1]):
        Report.objects.filter(pk__in=pks).update(duplicate_of=head, hidden=hidden, updated_at=now)
