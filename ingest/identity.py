"""Which stored report a parsed one is, and which reports are the same article.

Part of the writer (load.py): a parsed report is the report with the same text, an
edited version of a report from the same file path or original URL, an older version
of one (which changes nothing), or a new report. New reports whose bodies are near
duplicates (ingest.minhash) of another are grouped: one stays public, the others are
hidden but kept and listed as its other sources. Everything here runs under one
advisory lock per transaction, so parallel workers decide identity one at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from catalogue.models import Report, ReportVersion
from ingest.minhash import SAME_ARTICLE, similarity
from ingest.types import ParsedReport

_LOCK = "catalogue.ingest.report-identity"


@dataclass(frozen=True)
class Identity:
    """What a parsed report is to the catalogue."""

    kind: str  # "same" | "version" | "older" | "new"
    report: Report | None = None


def lock() -> None:
    """Serialise identity decisions (and the rest of this transaction) across processes.

    The commit does not wait for the disk: a crash may lose the last few files'
    transactions but never half-apply one, and ingest is idempotent, so running it
    again restores them.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('synchronous_commit', 'off', true), "
            "pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [_LOCK],
        )


def identify(parsed: ParsedReport, *, source_path: str) -> Identity:
    """The stored report `parsed` is, by text, then by an old version, then by path or URL."""
    report = Report.objects.filter(sha256=parsed.sha256).first()
    if report is not None:
        return Identity("same", report)
    older = ReportVersion.objects.filter(sha256=parsed.sha256).select_related("report").first()
    if older is not None:
        return Identity("older", older.report)  # never roll a report back to an old text
    same_source = Q(source_path=source_path) if source_path else Q()
    if parsed.url:
        same_source |= Q(url=parsed.url)
    if same_source:
        report = Report.objects.filter(same_source).order_by("pk").first()
        if report is not None:
            return Identity("version", report)
    return Identity("new")


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


def group_reprints(report: Report) -> bool:
    """Put a report not yet grouped into the group of its nearest near-duplicate, if any.

    Returns True when a group was formed or joined.
    """
    if not report.minhash or report.duplicate_of_id or report.reprints.exists():
        return False
    candidates = (
        Report.objects.filter(minhash_bands__overlap=report.minhash_bands)
        .exclude(pk=report.pk)
        .only("pk", "minhash", "duplicate_of_id")
    )
    scored = [(similarity(report.minhash, c.minhash), -c.pk, c) for c in candidates]
    if not scored or max(scored, key=lambda s: s[:2])[0] < SAME_ARTICLE:
        return False
    nearest = max(scored, key=lambda s: s[:2])[2]
    head = nearest.duplicate_of_id or nearest.pk
    members = list(
        Report.objects.filter(Q(pk=head) | Q(duplicate_of_id=head) | Q(pk=report.pk)).only(
            "pk", "published", "url", "sha256", "hidden", "staff_fields", "duplicate_of_id"
        )
    )
    _elect(members)
    return True


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
