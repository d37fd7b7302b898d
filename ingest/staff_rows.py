"""Staff-owned and rejected rows across parses: found again when their keys change.

Part of the writer (load.py). A parser that cuts a report differently gives its rows
new keys; the rows staff corrected or rejected are then found by their source text
(ingest/matching.py) and take the new key, and they move off parents the new parse
no longer gives, so neither they nor their old parents stand beside the new rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from catalogue.models import Indicator, Initiative, Origin, Programme, Report
from ingest.matching import Source, match


@dataclass(frozen=True)
class Bodies:
    """The body existing rows point into and the one the new rows point into."""

    old: str
    new: str


def take_over(model, parsed_rows, existing: dict, bodies: Bodies, rows: Counter) -> dict:
    """New key -> the staff-owned or rejected row it is (or lies inside) though its key changed.

    A matched row takes the new key, so the next load finds it by key again.
    """
    keys = {row.key for row in parsed_rows}
    owned = [
        obj
        for key, obj in existing.items()
        if key not in keys and (obj.origin == Origin.STAFF or obj.rejected)
    ]
    unmatched = [row for row in parsed_rows if row.key not in existing]
    if not owned or not unmatched:
        return {}
    is_indicator = model is Indicator
    new = [
        Source(
            r.key,
            r.fields["start"],
            r.fields["end"],
            bodies.new[r.fields["start"] : r.fields["end"]],
            r.fields["figure"] if is_indicator else "",
        )
        for r in unmatched
    ]
    old = [
        Source(o.key, o.start, o.end, bodies.old[o.start : o.end], o.figure if is_indicator else "")
        for o in owned
    ]
    matched, covered = match(new, old, same_body=bodies.old == bodies.new)
    by_key = {obj.key: obj for obj in owned}
    for new_key, old_key in sorted(matched.items()):
        obj = by_key[old_key]
        model.objects.filter(pk=obj.pk).update(key=new_key)
        obj.key = new_key
        rows[f"{model._meta.model_name}.rekeyed"] += 1
    return {
        **{new_key: by_key[old_key] for new_key, old_key in covered.items()},
        **{new_key: by_key[old_key] for new_key, old_key in matched.items()},
    }


def stale_parents(report: Report, parents: dict[str, dict[str, int]]) -> set[tuple[str, int]]:
    """(kind, id) of machine parent rows the new parse no longer gives: about to be deleted."""
    stale = set()
    for parent, ids in parents.items():
        model = Programme if parent == "programme" else Initiative
        gone = model.objects.filter(report=report, origin=Origin.MACHINE, rejected=False).exclude(
            pk__in=set(ids.values())
        )
        stale |= {(parent, pk) for pk in gone.values_list("pk", flat=True)}
    return stale


def relink(obj, fields: dict, stale_parents: set[tuple[str, int]]) -> bool:
    """Move a staff-owned or rejected row off a parent the parser no longer gives, to its new one.

    Its own values stay; only the link follows the parse, so the old parent can go
    instead of staying beside the new one. A parent staff chose is never changed.
    """
    changed = {}
    for parent in ("programme", "initiative"):
        attname = f"{parent}_id"
        current, wanted = getattr(obj, attname, None), fields.get(attname)
        if (parent, current) in stale_parents and wanted is not None and wanted != current:
            changed[attname] = wanted
    if changed:
        type(obj).objects.filter(pk=obj.pk).update(**changed)
    return bool(changed)
