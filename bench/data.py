"""The invented catalogue of the page benchmarks: rows per table, generated (bench/pgload.py loads them).

`COLUMNS` is the one place that knows the table layout: when the schema changes (a column
added, moved to another table, dropped), adapt it and the row builders below it. A
missing NOT NULL column fails the build with its name; a column we send that the table
no longer has is dropped with a warning. tests/bench/test_data.py builds a handful of
rows in the test database, so schema drift breaks CI, not a benchmark run.

No text here comes from a real report: every phrase is invented.
"""

from __future__ import annotations

import random
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
    "catalogue_reporttext": ["report_id", "text", "body"],
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
    yield ("catalogue_reporttext", (report_id, body, body))


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
