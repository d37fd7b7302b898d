"""The invented catalogue of the page benchmarks: generated rows, streamed into PostgreSQL with COPY.

`COLUMNS` is the one place that knows the table layout: when the schema changes (a column
added, moved to another table, dropped), adapt it and the row builders below it. A
missing NOT NULL column fails the build with its name; a column we send that the table
no longer has is dropped with a warning. tests/bench/test_data.py builds a handful of
rows in the test database, so schema drift breaks CI, not a benchmark run.

No text here comes from a real report: every phrase is invented.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

INITIATIVES_PER_REPORT = 15
INDICATORS_PER_REPORT = 12.5  # on average
PROGRAMMES_PER_REPORT = 4
PROVINCE = "150000"  # a third of the reports are in Inner Mongolia
HIDDEN_EVERY = 97  # every 97th report is hidden by staff
BRANDED_EVERY = 9  # one initiative in nine carries a brand

ACTIONS = [
    "开展民族团结进步宣讲",
    "建设红石榴驿站",
    "组织结对共建活动",
    "举办民族文化节",
    "培训基层干部",
    "建设民族团结进步教育基地",
    "开展双语培训",
    "推进互嵌式社区建设",
    "举办各族群众联谊会",
    "打造民族团结示范街区",
    "开展法律知识进社区活动",
    "建设少数民族流动人口服务站",
    "组织青少年手拉手交流",
    "发展特色产业帮扶增收",
    "举办民族团结知识竞赛",
    "开设石榴籽讲堂",
    "开展守望相助志愿服务",
    "推广国家通用语言文字",
    "建设文化广场",
    "召开创建工作推进会",
]
PLACES = ["社区", "村", "学校", "企业", "机关", "宗教活动场所", "景区", "连队", "街道", "园区"]
RESULTS = ["取得明显成效", "群众满意度不断提高", "形成良好氛围", "惠及各族群众", "受到广泛好评"]
HEADINGS = ["强化宣传教育", "促进交往交流交融", "推动共同富裕", "提升治理能力", "健全工作机制"]
BRANDS = ["红石榴驿站", "石榴籽讲堂", "同心家园", "连心桥", "暖心驿站", "团结之家"]
# (label, unit, measure slug or None): a measure on most figures, as ingest classifies them,
# so /compare/?measure=… and /measures/ have real work to do.
MEASURES = [
    ("开展宣讲活动", "场次", "events"),
    ("服务流动人口", "人次", "participants"),
    ("建成服务站", "个", None),
    ("结对共建", "对", None),
    ("投入资金", "万元", "funding"),
    ("培训干部", "人次", None),
    ("行政区域面积", "平方公里", "area"),
    ("常住人口", "人", "population"),
    ("群众满意度", "%", None),
    ("命名示范单位", "个", "model-units"),
]
PERIOD_KINDS = ["year", "year", "half-year", "point", "per-year", "unstated"]
QUALIFIERS = ["exact", "more_than", "at_least", "approx", "less_than"]
NOW = "2025-01-01 00:00:00+00"

_EXTRACTED = [
    "id",
    "report_id",
    "key",
    "position",
    "start",
    "end",
    "origin",
    "rejected",
    "search_tokens",
    "created_at",
    "updated_at",
]
# Table -> the columns each generated row fills, in row order. Parents before children:
# the tables are committed in this order.
COLUMNS: dict[str, list[str]] = {
    "catalogue_report": [
        "id",
        "region_id",
        "region_reason",
        "title",
        "title_derived",
        "published",
        "sources",
        "url",
        "source_file",
        "sha256",
        "text",
        "body",
        "summary",
        "parser_version",
        "flags",
        "review_status",
        "hidden",
        "staff_fields",
        "search_tokens",
        "created_at",
        "updated_at",
        "source_path",
        "minhash",
        "minhash_bands",
    ],
    "catalogue_programme": [*_EXTRACTED, "title", "summary"],
    "catalogue_initiative": [*_EXTRACTED, "programme_id", "title", "text", "kind"],
    "catalogue_indicator": [
        *_EXTRACTED,
        "label",
        "value",
        "unit",
        "qualifier",
        "figure",
        "quote",
        "period",
        "programme_id",
        "initiative_id",
        "measure_id",
        "period_kind",
        "period_year",
    ],
    "catalogue_initiative_themes": ["id", "initiative_id", "theme_id"],
    "catalogue_initiative_brands": ["id", "initiative_id", "brand_id"],
}


@dataclass(frozen=True)
class Refs:
    """Reference rows the generated data points at (regions, themes, measures, brands)."""

    counties: list[str]
    inner_counties: list[str]
    prefectures: list[str]
    theme_ids: list[int]
    measure_ids: dict[str, int]
    brand_ids: list[int]


class Tokens:
    """search_tokens of a phrase, cached (the generated texts reuse a small phrase pool)."""

    def __init__(self) -> None:
        from ingest.segment import search_tokens

        self._cut = search_tokens
        self._seen: dict[str, str] = {}

    def __call__(self, phrase: str) -> str:
        if phrase not in self._seen:
            self._seen[phrase] = self._cut(phrase)
        return self._seen[phrase]


@dataclass
class _Ids:
    programme: int = 0
    initiative: int = 0
    indicator: int = 0
    theme_link: int = 0
    brand_link: int = 0


def generate(n_reports: int, refs: Refs, seed: int = 20_000) -> Iterator[tuple[str, tuple]]:
    """Yield (table, row) for n_reports invented reports and everything extracted from them."""
    rng = random.Random(seed)
    tok = Tokens()
    ids = _Ids()
    for report_id in range(1, n_reports + 1):
        yield from _report(report_id, rng, tok, ids, refs)


def _region(rng: random.Random, refs: Refs) -> str:
    r = rng.random()
    if r < 0.33:
        return rng.choice(refs.inner_counties)
    return rng.choice(refs.prefectures if r < 0.45 else refs.counties)


def _report(
    report_id: int, rng: random.Random, tok: Tokens, ids: _Ids, refs: Refs
) -> Iterator[tuple[str, tuple]]:
    region = _region(rng, refs)
    published = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    stem = f"{rng.choice(HEADINGS)}{rng.choice(ACTIONS)}工作综述"
    title = f"{stem}{report_id}"
    extra = 1 if rng.random() < INDICATORS_PER_REPORT % 1 else 0
    n_indicators = int(INDICATORS_PER_REPORT) + extra
    lines: list[str] = []
    line_tokens: list[str] = [f"{tok(stem)} {report_id}"]
    for p in range(PROGRAMMES_PER_REPORT):
        yield from _programme(
            report_id, p, n_indicators, published, rng, tok, ids, refs, (lines, line_tokens)
        )
    body = "".join(lines)
    tokens = " ".join(line_tokens)
    yield (
        "catalogue_report",
        (
            report_id,
            region,
            "bench",
            title,
            False,
            published,
            ["融媒体中心"],
            f"https://example.org/r/{report_id}",
            f"bench/{report_id}.txt",
            f"{report_id:064x}",
            body,
            body,
            "",
            "bench",
            [],
            "reviewed",
            report_id % HIDDEN_EVERY == 0,
            [],
            tokens,
            NOW,
            NOW,
            f"/bench/{report_id}.txt",
            [],
            [],
        ),
    )


def _programme(
    report_id: int,
    p: int,
    n_indicators: int,
    published: date,
    rng: random.Random,
    tok: Tokens,
    ids: _Ids,
    refs: Refs,
    text: tuple[list[str], list[str]],
) -> Iterator[tuple[str, tuple]]:
    lines, line_tokens = text
    heading = HEADINGS[(report_id + p) % len(HEADINGS)]
    ids.programme += 1
    programme_id = ids.programme
    p_start = sum(map(len, lines))
    lines.append(f"{'一二三四'[p]}、{heading}\n")
    line_tokens.append(tok(heading))
    per = PROGRAMMES_PER_REPORT
    n_init = INITIATIVES_PER_REPORT // per + (1 if p < INITIATIVES_PER_REPORT % per else 0)
    n_ind = n_indicators // per + (1 if p < n_indicators % per else 0)
    for k in range(n_init):
        action, place, result = rng.choice(ACTIONS), rng.choice(PLACES), rng.choice(RESULTS)
        label, unit, slug = rng.choice(MEASURES)
        value = rng.randrange(1, 5000)
        sentence = f"{'一二三四五六'[k % 6]}是{action}。深入{place}{label}{value}{unit},{result}。"
        start = sum(map(len, lines))
        lines.append(sentence + "\n")
        ids.initiative += 1
        initiative_id = ids.initiative
        toks = " ".join((tok(action), tok(place), tok(label), str(value), tok(unit), tok(result)))
        line_tokens.append(toks)
        yield (
            "catalogue_initiative",
            (initiative_id, report_id, f"p{p}-i{k}", k, start, start + len(sentence))
            + ("machine", False, toks, NOW, NOW, programme_id, action, sentence, "concrete"),
        )
        ids.theme_link += 1
        theme = refs.theme_ids[(initiative_id * 7) % len(refs.theme_ids)]
        yield ("catalogue_initiative_themes", (ids.theme_link, initiative_id, theme))
        if refs.brand_ids and initiative_id % BRANDED_EVERY == 0:
            ids.brand_link += 1
            brand = refs.brand_ids[initiative_id % len(refs.brand_ids)]
            yield ("catalogue_initiative_brands", (ids.brand_link, initiative_id, brand))
        if k < n_ind:
            ids.indicator += 1
            offset = start + sentence.index(label)
            quote = f"{label}{value}{unit}"
            kind = rng.choice(PERIOD_KINDS)
            yield (
                "catalogue_indicator",
                (ids.indicator, report_id, f"p{p}-q{k}", k, offset, offset + len(quote))
                + ("machine", False, f"{tok(label)} {tok(unit)}", NOW, NOW)
                + (label, value, unit, rng.choice(QUALIFIERS), f"{value}{unit}", quote, "")
                + (programme_id, initiative_id, refs.measure_ids.get(slug), kind)
                + (published.year if kind in ("year", "half-year") else None,),
            )
    yield (
        "catalogue_programme",
        (programme_id, report_id, f"p{p}", p, p_start, sum(map(len, lines)))
        + ("machine", False, tok(heading), NOW, NOW, heading, ""),
    )


# --- PostgreSQL (needs Django set up) -------------------------------------------------


def load_refs() -> Refs:
    """Read (creating themes and brands if missing) the reference rows the data points at."""
    from catalogue.models import Brand, Measure, Region, Theme
    from ingest.themes import load_themes

    if not Theme.objects.exists():
        for theme in load_themes():
            Theme.objects.create(slug=theme.slug, name=theme.name, name_en=theme.name_en)
    for name in BRANDS:
        Brand.objects.get_or_create(name=name)
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    return Refs(
        counties=counties,
        inner_counties=[c for c in counties if c.startswith(PROVINCE[:2])],
        prefectures=list(Region.objects.filter(level="prefecture").values_list("code", flat=True)),
        theme_ids=list(Theme.objects.values_list("id", flat=True)),
        measure_ids=dict(Measure.objects.values_list("slug", "id")),
        brand_ids=list(Brand.objects.filter(name__in=BRANDS).values_list("id", flat=True)),
    )


def _table_columns(cursor, table: str) -> dict[str, bool]:
    """Column name -> whether it must be given (NOT NULL, no default, not generated)."""
    cursor.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
        "AND is_generated = 'NEVER' AND identity_generation IS NULL "
        "FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return dict(cursor.fetchall())


def check_columns() -> dict[str, list[int]]:
    """Per table, the positions of COLUMNS the table still has; fail on a required column unfilled."""
    from django.db import connection

    keep = {}
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            actual = _table_columns(cursor, table)
            missing = [c for c, required in actual.items() if required and c not in columns]
            if missing:
                raise RuntimeError(
                    f"bench/data.py: {table} needs {', '.join(missing)}: add them to COLUMNS "
                    "and to the row builder"
                )
            gone = [c for c in columns if c not in actual]
            if gone:
                print(f"warning: {table} has no {', '.join(gone)} any more; not sent")
            keep[table] = [i for i, c in enumerate(columns) if c in actual]
    return keep


def build(n_reports: int, seed: int = 20_000) -> dict[str, int]:
    """Empty the catalogue tables and COPY n_reports generated reports in; return row counts."""
    from django.core.cache import cache
    from django.db import connection

    from catalogue import state

    refs = load_refs()
    keep = check_columns()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(COLUMNS)} RESTART IDENTITY CASCADE")
    rows = generate(n_reports, refs, seed)
    # Inside a transaction (a test) the rows must go through its own connection.
    counts = _copy_buffered(rows, keep) if connection.in_atomic_block else _copy(rows, keep)
    _finish()
    state.bump()
    cache.clear()
    return counts


def _sent(row: tuple, positions: list[int]) -> tuple | list:
    return row if len(positions) == len(row) else [row[i] for i in positions]


def _copy(rows: Iterator[tuple[str, tuple]], keep: dict[str, list[int]]) -> dict[str, int]:
    """Stream rows to the server, one connection and COPY per table open at once.

    100,000 reports would not fit in memory as lists. Each table commits after its
    parents: the deferred foreign keys are checked at commit.
    """
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    params = connection.get_connection_params()
    counts = dict.fromkeys(COLUMNS, 0)
    started = time.perf_counter()
    conns = {table: psycopg.connect(**params) for table in COLUMNS}
    try:
        with contextlib.ExitStack() as stack:
            copies = {}
            for table, conn in conns.items():
                conn.execute("SET synchronous_commit = off")
                names = ", ".join(f'"{COLUMNS[table][i]}"' for i in keep[table])
                sql = f"COPY {table} ({names}) FROM STDIN"
                copies[table] = stack.enter_context(conn.cursor().copy(sql))
            for table, row in rows:
                copies[table].write_row(_sent(row, keep[table]))
                counts[table] += 1
                if table == "catalogue_report" and row[0] % 10_000 == 0:
                    print(f"  {row[0]:,} reports ({time.perf_counter() - started:.0f} s)")
        for table in COLUMNS:
            conns[table].commit()
    finally:
        for conn in conns.values():
            conn.close()
    return counts


def _copy_buffered(rows: Iterator[tuple[str, tuple]], keep: dict[str, list[int]]) -> dict[str, int]:
    """Collect rows per table, then COPY them table by table through Django's connection."""
    from django.db import connection

    tables: dict[str, list] = {table: [] for table in COLUMNS}
    for table, row in rows:
        tables[table].append(_sent(row, keep[table]))
    for table, table_rows in tables.items():
        names = ", ".join(f'"{COLUMNS[table][i]}"' for i in keep[table])
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as out,
        ):
            for row in table_rows:
                out.write_row(row)
    return {table: len(table_rows) for table, table_rows in tables.items()}


def _finish() -> None:
    """Move the id sequences past the copied rows and refresh the planner's statistics."""
    from django.db import connection

    # VACUUM (for index-only scans) cannot run inside a transaction; ANALYZE can.
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in COLUMNS:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
            cursor.execute(f"{analyze} {table}")
