"""ParsedReport -> database: the only writer.

Which report a parse belongs to (same text, an edited version of the same file or
URL, a reprint of another) is decided in ingest/identity.py. Rows are matched by
natural keys, and staff-owned or rejected rows also by their source text
(ingest/matching.py), so a parser change cannot duplicate or resurrect them; only
changed fields are saved; the caller gets insert / update / unchanged counts. Staff
work is never overwritten: a row whose `origin` is staff, a rejected row, and a
report field listed in `staff_fields` keep their values through any re-ingest,
`--force` included.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from catalogue import measure_summary, state
from catalogue.models import Indicator, Initiative, Origin, Programme, Report
from catalogue.public import refresh_public
from ingest import identity, links, minhash
from ingest.links import sync_measures, sync_themes
from ingest.staff_rows import Bodies, relink, stale_parents, take_over
from ingest.types import ParsedIndicator, ParsedInitiative, ParsedProgramme, ParsedReport

_PUNCT = re.compile(r"[\s\W_]+")
# Row counts that mean the load wrote something.
_WRITES = (".inserted", ".updated", ".deleted", ".rekeyed", ".relinked", ".grouped")
# Run before an ingest by the command; kept importable from here (ingest/links.py).
__all__ = ["LoadResult", "load_report", "natural_key", "sync_measures", "sync_themes"]


@dataclass
class LoadResult:
    """What loading one report did."""

    status: str  # "new" | "updated" | "unchanged"
    report_id: int
    rows: Counter = field(default_factory=Counter)  # e.g. {"indicator.inserted": 12}


def natural_key(prefix: str, *parts: str, seen: Counter) -> str:
    """A stable key from normalised text; repeats get an occurrence suffix."""
    digest = hashlib.sha1("|".join(_PUNCT.sub("", p) for p in parts).encode()).hexdigest()[:16]
    seen[digest] += 1
    return f"{prefix}:{digest}" if seen[digest] == 1 else f"{prefix}:{digest}:{seen[digest]}"


@dataclass
class _Row:
    """One parsed row with its key, the fields the machine owns, and its parent keys."""

    key: str
    fields: dict
    programme_key: str | None = None
    initiative_key: str | None = None
    themes: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()


def _rows(
    parsed: ParsedReport, measure_ids: dict[str, int]
) -> tuple[list[_Row], list[_Row], list[_Row]]:
    """Flatten the parsed report into keyed programme, initiative and indicator rows."""
    seen: Counter = Counter()
    programmes, initiatives, spans = [], [], []
    for p_pos, programme in enumerate(parsed.programmes):
        p_key = natural_key("p", programme.title, seen=seen)
        programmes.append(_Row(p_key, _programme_fields(programme, p_pos)))
        for initiative in programme.initiatives:
            i_key = natural_key("i", programme.title, initiative.text, seen=seen)
            fields = _initiative_fields(initiative, len(initiatives))
            initiatives.append(
                _Row(
                    i_key,
                    fields,
                    programme_key=p_key,
                    themes=initiative.themes,
                    brands=initiative.brands,
                )
            )
            spans.append((initiative.start, initiative.end, p_key, i_key))
    p_spans = [
        (p.start, p.end, row.key) for p, row in zip(parsed.programmes, programmes, strict=True)
    ]
    indicators = []
    for position, indicator in enumerate(parsed.indicators):
        key = natural_key("n", indicator.quote, indicator.figure, seen=seen)
        p_key = next((k for s, e, k in p_spans if s <= indicator.start < e), None)
        i_key = next((ik for s, e, _, ik in spans if s <= indicator.start < e), None)
        fields = _indicator_fields(indicator, position)
        fields["measure_id"] = measure_ids.get(indicator.measure)
        indicators.append(_Row(key, fields, p_key, i_key))
    return programmes, initiatives, indicators


def _programme_fields(p: ParsedProgramme, position: int) -> dict:
    return {
        "title": p.title[:300],
        "summary": p.summary,
        "position": position,
        "start": p.start,
        "end": p.end,
        "search_tokens": p.tokens,
    }


def _initiative_fields(i: ParsedInitiative, position: int) -> dict:
    return {
        "title": i.title[:300],
        "text": i.text,
        "position": position,
        "start": i.start,
        "end": i.end,
        "search_tokens": i.tokens,
        "kind": str(i.kind),
    }


def _indicator_fields(n: ParsedIndicator, position: int) -> dict:
    return {
        "label": n.label[:120],
        "value": n.value,
        "unit": n.unit[:20],
        "qualifier": str(n.qualifier),
        "figure": n.figure[:60],
        "quote": n.quote,
        "period": n.period[:40],
        "period_kind": str(n.period_kind),
        "period_year": n.period_year,
        "position": position,
        "start": n.start,
        "end": n.end,
        "search_tokens": n.tokens,
    }


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
    fields = _report_fields(parsed, parser_version)
    keys = identity.lock_keys(parsed, source_path=source_path, bands=fields["minhash_bands"])
    # The catalogue version is bumped once, at the end of the transaction; the measure
    # summary is refreshed once, for the regions this load touched.
    with transaction.atomic(), state.one_bump(), measure_summary.batch() as touched:
        identity.lock(keys)
        found = identity.identify(parsed, source_path=source_path)
        if found.report is not None and not _unchanged(found, force):
            # Found through another key than a concurrent writer of the same report.
            identity.lock_report(found.report)
            found = identity.identify(parsed, source_path=source_path)
        report = found.report
        if _unchanged(found, force):
            return LoadResult("unchanged", report.pk)
        rows = Counter()
        if report is None:
            report = Report.objects.create(
                sha256=parsed.sha256, source_file=source_file, source_path=source_path, **fields
            )
            status = "new"
        else:
            if found.kind == "version":
                identity.keep_version(report)
                fields |= {"sha256": parsed.sha256, "source_file": source_file}
                fields |= {"source_path": source_path} if source_path else {}
                rows["report.versioned"] += 1
            old_body = report.body
            status = (
                "updated" if _update(report, fields, skip=set(report.staff_fields)) else "unchanged"
            )
        measure_ids, theme_ids = links.reference_ids(parsed)
        programmes, initiatives, indicators = _rows(parsed, measure_ids)
        bodies = None if status == "new" else Bodies(old_body, parsed.body)
        children = (programmes, initiatives, indicators)
        _sync_children(report, *children, rows, bodies=bodies, theme_ids=theme_ids)
        if bodies is not None:  # new rows may stand under rejected ones or in a hidden report
            refresh_public([report.pk])
        if identity.group_reprints(report, fresh=status == "new"):
            rows["report.grouped"] += 1
        # Inserted rows and reprints hidden by an UPDATE send no signal.
        touched.reports.add(report.pk)
        if status == "unchanged" and any(k.endswith(_WRITES) for k in rows):
            status = "updated"
        return LoadResult(status, report.pk, rows)


def _unchanged(found: identity.Identity, force: bool) -> bool:
    """True when the parse is an older text of its report, or its same text without --force."""
    return found.kind == "older" or (found.kind == "same" and not force)


def _update(obj, fields: dict, *, skip: Iterable[str] = ()) -> bool:
    """Set changed fields (except `skip`) and save only those; True when something changed."""
    skip = set(skip) | {f"{name}_id" for name in skip}
    changed = [
        name for name, value in fields.items() if name not in skip and getattr(obj, name) != value
    ]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _sync_children(
    report: Report,
    programmes,
    initiatives,
    indicators,
    rows: Counter,
    *,
    bodies: Bodies | None,
    theme_ids: dict[str, int],
) -> None:
    """Insert new keys, update machine rows, delete machine rows the parser no longer finds.

    `bodies` (old and new body) is None for a fresh report, which has no rows yet, so
    the lookups of existing rows are skipped.
    """
    p_ids = _sync(Programme, report, programmes, rows, parents={}, bodies=bodies)
    i_ids = _sync(
        Initiative, report, initiatives, rows, parents={"programme": p_ids}, bodies=bodies
    )
    parents = {"programme": p_ids, "initiative": i_ids}
    _sync(Indicator, report, indicators, rows, parents=parents, bodies=bodies)
    fresh = bodies is None
    links.sync_initiative_themes(report.pk, initiatives, i_ids, theme_ids, fresh=fresh)
    links.sync_initiative_brands(report.pk, initiatives, i_ids, fresh=fresh)
    if bodies is not None:
        _delete_stale(report, programmes, initiatives, indicators, rows)


def _sync(
    model, report: Report, parsed_rows: list[_Row], rows: Counter, *, parents: dict, bodies
) -> dict[str, int]:
    """Upsert one kind of row; returns key -> id for every parsed row (machine or staff)."""
    name = model._meta.model_name
    existing = {} if bodies is None else {o.key: o for o in model.objects.filter(report=report)}
    found = {row.key: existing[row.key] for row in parsed_rows if row.key in existing}
    if bodies is not None:
        found |= take_over(model, parsed_rows, existing, bodies, rows)
    owned = any(obj.origin == Origin.STAFF or obj.rejected for obj in found.values())
    stale = stale_parents(report, parents) if owned else set()
    new = []
    for row in parsed_rows:
        fields = dict(row.fields)
        for parent, ids in parents.items():
            fields[f"{parent}_id"] = ids.get(getattr(row, f"{parent}_key"))
        obj = found.get(row.key)
        if obj is None:
            new.append({"report_id": report.pk, "key": row.key, **fields})
        elif obj.origin == Origin.STAFF or obj.rejected:
            rows[f"{name}.kept"] += 1
            if relink(obj, fields, stale):
                rows[f"{name}.relinked"] += 1
        elif _update(obj, fields):
            rows[f"{name}.updated"] += 1
        else:
            rows[f"{name}.unchanged"] += 1
    created = _insert(model, new)
    if created:
        rows[f"{name}.inserted"] += len(created)
    return {**{key: obj.pk for key, obj in found.items()}, **created}


def _insert(model, rows: list[dict]) -> dict[str, int]:
    """Insert machine rows in one INSERT … SELECT FROM unnest(…) RETURNING; key -> id.

    One array per column: for a new report's dozens of rows this costs a fraction of
    building a model instance per row for bulk_create. Fields a row does not give get
    their default; timestamps are now.
    """
    if not rows:
        return {}
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    names, arrays = [], []
    for column in fields:
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
            values = [now] * len(rows)
        elif column.attname in rows[0]:
            values = [row[column.attname] for row in rows]
        else:
            values = [column.get_default()] * len(rows)
        names.append(connection.ops.quote_name(column.column))
        arrays.append((values, f"{column.db_type(connection)}[]"))
    table = connection.ops.quote_name(model._meta.db_table)
    unnest = ", ".join(f"%s::{array_type}" for _, array_type in arrays)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest({unnest}) "
        f'RETURNING "key", "id"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [values for values, _ in arrays])
        return dict(cursor.fetchall())


def _delete_stale(report: Report, programmes, initiatives, indicators, rows: Counter) -> None:
    """Remove machine rows no longer extracted, children first; rows staff touched stay."""
    for model, parsed_rows in (
        (Indicator, indicators),
        (Initiative, initiatives),
        (Programme, programmes),
    ):
        keys = {row.key for row in parsed_rows}
        stale = model.objects.filter(report=report, origin=Origin.MACHINE, rejected=False).exclude(
            key__in=keys
        )
        if model is not Indicator:
            # A stale parent still holding staff-owned or rejected rows is kept for them.
            stale = stale.exclude(indicators__isnull=False)
            if model is Programme:
                stale = stale.exclude(initiatives__isnull=False)
        _, per_model = stale.delete()
        if per_model.get(model._meta.label):
            rows[f"{model._meta.model_name}.deleted"] += per_model[model._meta.label]
