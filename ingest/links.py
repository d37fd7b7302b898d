"""Reference data for the writer (load.py): themes, measures and brands, and their links.

The Theme and Measure tables follow fixtures/ (sync_themes, sync_measures, run before
an ingest); a batch of loads reads their ids once, creates the brands it finds in one
statement, and makes the theme and brand links of a stored report's machine
initiatives exactly what the parser found (a new report's: ingest.new_rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.db import connection

from catalogue.models import Brand, Initiative, Measure, Origin, Theme
from ingest.measures import default_measures  # the one reader of the fixture, validated

BRAND_NAME = Brand._meta.get_field("name").max_length


class LinkedRow(Protocol):
    """An initiative row of the writer: its natural key and what the parser linked it to."""

    key: str
    themes: tuple[str, ...]
    brands: tuple[str, ...]


def reference_ids() -> tuple[dict[str, int], dict[str, int]]:
    """Measure slug -> id and theme slug -> id of every measure and theme, in one query.

    Both tables are small (dozens of rows); a batch of loads reads them once.
    """
    sql = (
        f"SELECT 'measure', slug, id FROM {Measure._meta.db_table} "
        f"UNION ALL SELECT 'theme', slug, id FROM {Theme._meta.db_table}"
    )
    found: dict[str, dict[str, int]] = {"measure": {}, "theme": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for table, slug, pk in cursor.fetchall():
            found[table][slug] = pk
    return found["measure"], found["theme"]


def brand_ids(names: Iterable[str]) -> dict[str, int]:
    """Name -> id of each brand, creating the missing ones (one statement as a rule).

    Sorted, so two loads inserting the same new names wait in one order, never in a
    cycle. A name another load committed while this statement ran is not in its
    snapshot: those few are read again.
    """
    wanted = sorted({name[:BRAND_NAME] for name in names})
    if not wanted:
        return {}
    table = Brand._meta.db_table
    sql = (
        f"WITH wanted(name) AS (SELECT unnest(%s::varchar[])), "
        f"created AS (INSERT INTO {table} (name) SELECT name FROM wanted ORDER BY name "
        f"ON CONFLICT (name) DO NOTHING RETURNING name, id) "
        f"SELECT name, id FROM created "
        f"UNION ALL SELECT b.name, b.id FROM {table} b JOIN wanted USING (name)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [wanted])
        ids = dict(cursor.fetchall())
    missing = [name for name in wanted if name not in ids]
    if missing:
        ids |= dict(Brand.objects.filter(name__in=missing).values_list("name", "pk"))
    return ids


def sync_initiative_themes(
    report_id: int,
    initiatives: list[LinkedRow],
    ids: dict[str, int],
    theme_ids: dict[str, int],
) -> None:
    """Machine initiatives get the themes the parser assigned; staff-owned ones keep theirs."""
    pairs = [(row.key, theme_ids[s]) for row in initiatives for s in row.themes if s in theme_ids]
    _sync_links(report_id, "themes", pairs, ids)


def sync_initiative_brands(
    report_id: int, initiatives: list[LinkedRow], ids: dict[str, int]
) -> None:
    """Machine initiatives get the brands the parser found; a Brand is created once per name."""
    found = brand_ids(name for row in initiatives for name in row.brands)
    pairs = [(row.key, found[name[:BRAND_NAME]]) for row in initiatives for name in row.brands]
    _sync_links(report_id, "brands", pairs, ids)


def _sync_links(
    report_id: int, field: str, pairs: list[tuple[str, int]], ids: dict[str, int]
) -> None:
    """Make the `field` links of the report's machine initiatives exactly `pairs` (key, target).

    For a report that has rows already; a new report's links come with its rows
    (ingest.new_rows).
    """
    relation = Initiative._meta.get_field(field)
    through, target = relation.remote_field.through, relation.m2m_reverse_name()
    machine = set(
        Initiative.objects.filter(
            report_id=report_id, origin=Origin.MACHINE, rejected=False
        ).values_list("pk", flat=True)
    )
    wanted = {(ids[key], t) for key, t in pairs if ids.get(key) in machine}
    current = set(
        through.objects.filter(initiative_id__in=machine).values_list("initiative_id", target)
    )
    for initiative_id, target_id in current - wanted:
        through.objects.filter(initiative_id=initiative_id, **{target: target_id}).delete()
    through.objects.bulk_create(
        [through(initiative_id=i, **{target: t}) for i, t in wanted - current]
    )


def sync_themes() -> None:
    """Make the Theme table match fixtures/themes.json (insert or update by slug)."""
    from ingest.themes import load_themes

    known = {row.slug: row for row in Theme.objects.all()}
    missing = []
    for theme in load_themes():
        values = {"name": theme.name, "name_en": theme.name_en, "keywords": list(theme.keywords)}
        row = known.get(theme.slug)
        if row is None:
            missing.append(Theme(slug=theme.slug, **values))
        elif any(getattr(row, field) != value for field, value in values.items()):
            # Only a real change is saved: a theme's save moves the catalogue version.
            for field, value in values.items():
                setattr(row, field, value)
            row.save(update_fields=list(values))
    # Two ingests starting together may both find a theme missing: the second adds nothing.
    Theme.objects.bulk_create(missing, ignore_conflicts=True)


def sync_measures() -> int:
    """Add the measures of fixtures/measures.json missing from the table; returns how many.

    Measures already in the table are left as they are: staff edit names, units and
    keywords in the admin, and a fixture change must not undo that.
    """
    known = set(Measure.objects.values_list("slug", flat=True))
    missing = [
        Measure(
            slug=m.slug,
            name=m.name,
            name_en=m.name_en,
            kind=m.kind,
            units=sorted(m.units),
            keywords=list(m.keywords),
        )
        for m in default_measures()
        if m.slug not in known
    ]
    Measure.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
