"""A stored report's rows brought in line with a new parse of it.

Part of the writer (load.py), for a report that is stored already (a new report's rows
are written with its batch's, ingest.new_rows): rows are matched by natural key (and
staff-owned or rejected ones by their source text, ingest.staff_rows), only changed
fields are saved, and machine rows the parser no longer finds are deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from catalogue.models import Indicator, Initiative, Origin, Programme, Report
from ingest import links
from ingest.keyed_rows import KeyedRow
from ingest.new_rows import insert_rows
from ingest.staff_rows import Bodies, relink, stale_parents, take_over


def update_fields(obj, fields: dict, *, skip: Iterable[str] = ()) -> bool:
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


def sync_children(
    report: Report,
    programmes,
    initiatives,
    indicators,
    rows: Counter,
    *,
    bodies: Bodies,
    theme_ids: dict[str, int],
) -> None:
    """Insert new keys, update machine rows, delete machine rows the parser no longer finds.

    For a stored report; `bodies` are its old and new body. A new report's rows are
    written with its batch's (ingest.new_rows).
    """
    p_ids = _sync(Programme, report, programmes, rows, parents={}, bodies=bodies)
    i_ids = _sync(
        Initiative, report, initiatives, rows, parents={"programme": p_ids}, bodies=bodies
    )
    parents = {"programme": p_ids, "initiative": i_ids}
    _sync(Indicator, report, indicators, rows, parents=parents, bodies=bodies)
    links.sync_initiative_themes(report.pk, initiatives, i_ids, theme_ids)
    links.sync_initiative_brands(report.pk, initiatives, i_ids)
    _delete_stale(report, programmes, initiatives, indicators, rows)


def _sync(
    model, report: Report, parsed_rows: list[KeyedRow], rows: Counter, *, parents: dict, bodies
) -> dict[str, int]:
    """Upsert one kind of row; returns key -> id for every parsed row (machine or staff)."""
    name = model._meta.model_name
    existing = {o.key: o for o in model.objects.filter(report=report)}
    found = {row.key: existing[row.key] for row in parsed_rows if row.key in existing}
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
        elif update_fields(obj, fields):
            rows[f"{name}.updated"] += 1
        else:
            rows[f"{name}.unchanged"] += 1
    created = {key: pk for (_, key), pk in insert_rows(model, new).items()}
    if created:
        rows[f"{name}.inserted"] += len(created)
    return {**{key: obj.pk for key, obj in found.items()}, **created}


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
