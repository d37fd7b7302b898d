"""Benchmark the public pages on a large invented catalogue, server-side (in-process test Client).

    .venv/bin/python bench/pages.py            # build bench_pages once, then measure
    .venv/bin/python bench/pages.py --rebuild  # drop and rebuild the data first
    .venv/bin/python bench/pages.py --explain  # also print the plans of search and filters

Works in a separate database, `bench_pages`, on the same server as the dev database
(the embedded PostgreSQL, or the server of DATABASE_URL); the dev database is never
touched. 20,000 reports, ~300,000 initiatives and ~250,000 indicators are generated
from invented phrases and bulk-loaded with COPY.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DB_NAME = "bench_pages"

if os.environ.get("DATABASE_URL"):
    base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
    os.environ["DATABASE_URL"] = f"{base}/{DB_NAME}"
os.environ["CATALOGUE_DB_NAME"] = DB_NAME
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from ingest.segment import search_tokens  # noqa: E402

REPORTS = 20_000
INITIATIVES_PER_REPORT = 15  # ~300,000
INDICATORS_PER_REPORT = 12.5  # ~250,000 on average
PROVINCE = "150000"  # a third of the reports are in Inner Mongolia

# Invented phrases (not from any real report).
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
# (label, unit, measure slug or None): a measure on most generated figures, as ingest
# classifies them, so /compare/?measure=… and /measures/ have real work to do.
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


def ensure_database() -> None:
    """Create bench_pages on the server if missing and migrate it."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    call_command("migrate", verbosity=0)


_tokens: dict[str, str] = {}


def tokens(phrase: str) -> str:
    """search_tokens of a phrase, cached (the generated texts reuse a small phrase pool)."""
    if phrase not in _tokens:
        _tokens[phrase] = search_tokens(phrase)
    return _tokens[phrase]


def build(rng: random.Random) -> None:
    """Generate and COPY the reports, programmes, initiatives, indicators and theme links."""
    from catalogue.models import Measure, Region, Theme
    from ingest.themes import load_themes

    if not Theme.objects.exists():
        for theme in load_themes():
            Theme.objects.create(slug=theme.slug, name=theme.name, name_en=theme.name_en)
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    measure_ids = dict(Measure.objects.values_list("slug", "id"))
    counties = list(Region.objects.filter(level="county").values_list("code", flat=True))
    inner = [c for c in counties if c.startswith(PROVINCE[:2])]
    prefectures = list(Region.objects.filter(level="prefecture").values_list("code", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE catalogue_report, catalogue_programme, catalogue_initiative, "
            "catalogue_indicator, catalogue_initiative_themes RESTART IDENTITY CASCADE"
        )
    now = "2025-01-01 00:00:00+00"
    reports, programmes, initiatives, indicators, links = [], [], [], [], []
    programme_id = initiative_id = indicator_id = link_id = 0
    for report_id in range(1, REPORTS + 1):
        r = rng.random()
        region = (
            rng.choice(inner) if r < 0.33 else rng.choice(prefectures if r < 0.45 else counties)
        )
        published = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        lines, line_tokens = [], []
        pos = 0
        title = f"{rng.choice(HEADINGS)}{rng.choice(ACTIONS)}工作综述{report_id}"
        n_ind = int(INDICATORS_PER_REPORT) + (1 if rng.random() < INDICATORS_PER_REPORT % 1 else 0)
        n_prog = 4
        for p in range(n_prog):
            heading = f"{'一二三四'[p]}、{HEADINGS[(report_id + p) % len(HEADINGS)]}\n"
            programme_id += 1
            p_start = pos
            lines.append(heading)
            pos += len(heading)
            p_initiatives = []
            for k in range(
                INITIATIVES_PER_REPORT // n_prog + (1 if p < INITIATIVES_PER_REPORT % n_prog else 0)
            ):
                action, place, result = rng.choice(ACTIONS), rng.choice(PLACES), rng.choice(RESULTS)
                measure, unit, slug = rng.choice(MEASURES)
                value = rng.randrange(1, 5000)
                sentence = f"{'一二三四五六'[k % 6]}是{action}。深入{place}{measure}{value}{unit},{result}。\n"
                initiative_id += 1
                start = pos
                lines.append(sentence)
                pos += len(sentence)
                text = sentence.strip()
                toks = " ".join(
                    (
                        tokens(action),
                        tokens(place),
                        tokens(measure),
                        str(value),
                        tokens(unit),
                        tokens(result),
                    )
                )
                line_tokens.append(toks)
                initiatives.append(
                    (
                        initiative_id,
                        report_id,
                        f"p{p}-i{k}",
                        k,
                        start,
                        pos - 1,
                        "machine",
                        False,
                        toks,
                        now,
                        now,
                        programme_id,
                        action,
                        text,
                        "concrete",
                    )
                )
                p_initiatives.append((initiative_id, start, sentence, measure, value, unit, slug))
                link_id += 1
                links.append(
                    (link_id, initiative_id, theme_ids[(initiative_id * 7) % len(theme_ids)])
                )
            programmes.append(
                (
                    programme_id,
                    report_id,
                    f"p{p}",
                    p,
                    p_start,
                    pos,
                    "machine",
                    False,
                    tokens(heading.strip()[2:]),
                    now,
                    now,
                    heading.strip()[2:],
                    "",
                )
            )
            for j, (i_id, start, sentence, measure, value, unit, slug) in enumerate(p_initiatives):
                if j >= n_ind // n_prog + (1 if p < n_ind % n_prog else 0):
                    break
                indicator_id += 1
                offset = sentence.index(measure)
                quote = f"{measure}{value}{unit}"
                kind = rng.choice(PERIOD_KINDS)
                indicators.append(
                    (
                        indicator_id,
                        report_id,
                        f"p{p}-q{j}",
                        j,
                        start + offset,
                        start + offset + len(quote),
                        "machine",
                        False,
                        tokens(measure) + " " + tokens(unit),
                        now,
                        now,
                        measure,
                        value,
                        unit,
                        rng.choice(QUALIFIERS),
                        f"{value}{unit}",
                        quote,
                        "",
                        programme_id,
                        i_id,
                        measure_ids.get(slug),
                        kind,
                        published.year if kind in ("year", "half-year") else None,
                    )
                )
        body = "".join(lines)
        reports.append(
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
                report_id % 97 == 0,
                [],
                tokens(title) + " " + " ".join(line_tokens),
                now,
                now,
            )
        )
    copy(
        "catalogue_report",
        [
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
        ],
        reports,
    )
    extracted = [
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
    copy("catalogue_programme", [*extracted, "title", "summary"], programmes)
    copy("catalogue_initiative", [*extracted, "programme_id", "title", "text", "kind"], initiatives)
    copy(
        "catalogue_indicator",
        [
            *extracted,
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
        indicators,
    )
    copy("catalogue_initiative_themes", ["id", "initiative_id", "theme_id"], links)
    with connection.cursor() as cursor:
        for table in ("report", "programme", "initiative", "indicator", "initiative_themes"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('catalogue_{table}', 'id'), "
                f"(SELECT max(id) FROM catalogue_{table}))"
            )
            cursor.execute(f"VACUUM ANALYZE catalogue_{table}")
    print(
        f"built: {len(reports)} reports, {len(programmes)} programmes, {len(initiatives)} initiatives, {len(indicators)} indicators"
    )


def copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    """COPY rows into a table."""
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


def timed(client: Client, url: str, runs: int) -> list[float]:
    """Milliseconds of `runs` GETs of `url` (after two warm-ups), asserting 200."""
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return times


def cold_times(client: Client, url: str, runs: int) -> list[float]:
    """Milliseconds of `runs` GETs of `url`, each after emptying the cache (a first visit)."""
    from django.core.cache import cache

    times = []
    for _ in range(runs):
        cache.clear()
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(times: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(times, n=20)[-1]


def measure(runs: int) -> None:
    """Print median and p95 per page, and CSV export throughput."""
    client = Client(HTTP_HOST="localhost")
    pages = [
        ("home", "/", 100),
        ("province page", f"/regions/{PROVINCE}/", 100),
        ("region timeline", "/regions/150102/timeline/", 100),
        ("indicators, 3 filters", f"/indicators/?unit=场次&province={PROVINCE}&year_min=2022", 100),
        ("search, two words", "/search/?q=红石榴 驿站", 150),
        ("compare events (default level)", "/compare/?measure=events", 100),
        ("compare events, prefectures", "/compare/?measure=events&level=prefecture", 100),
        ("measure list", "/measures/", 100),
    ]
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'target':>7}")
    for name, url, target in pages:
        times = timed(client, url, runs)
        verdict = "ok" if p95(times) <= target else "SLOW"
        print(f"{name:32} {statistics.median(times):10.1f} {p95(times):8.1f} {target:>5} {verdict}")
    cold = cold_times(client, "/compare/?measure=events", runs=max(runs // 4, 3))
    print(f"{'compare events, cold cache':32} {statistics.median(cold):10.1f} {max(cold):8.1f}")
    start = time.perf_counter()
    response = client.get("/indicators/?format=csv")
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    elapsed = time.perf_counter() - start
    print(
        f"{'CSV export':28} {rows} rows in {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s (target 5,000)"
    )


def explain() -> None:
    """Print the plans of the search and the three-filter indicator list."""
    from django.http import QueryDict

    from catalogue import search, selectors
    from catalogue.filters import IndicatorFilter

    for model_qs, fields in (
        (selectors.initiative_list(), ("title", "text")),
        (selectors.indicator_list(), ("label", "quote")),
    ):
        qs = search.text_filter(model_qs, "红石榴 驿站", fields)
        print(qs.explain(analyze=True), "\n")
    data = QueryDict(f"unit=场次&province={PROVINCE}&year_min=2022")
    print(IndicatorFilter(data, queryset=selectors.indicator_list()).qs[:50].explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="regenerate the data even if present"
    )
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--seed", type=int, default=20_000, help="random seed of the generator")
    args = parser.parse_args()
    ensure_database()
    from catalogue.models import Indicator, Report

    unclassified = not Indicator.objects.filter(measure__isnull=False).exists()
    if args.rebuild or unclassified or Report.objects.count() != REPORTS:
        start = time.perf_counter()
        build(random.Random(args.seed))
        # COPY sends no signal: fill the measure summary as the migration does.
        call_command("rebuild_measure_summary")
        print(f"build took {time.perf_counter() - start:.0f} s")
    if args.explain:
        explain()
    measure(args.runs)


if __name__ == "__main__":
    main()
