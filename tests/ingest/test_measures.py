"""Measures: the taxonomy fixture, classify() on label/unit/context, and period()."""

import json
from datetime import date

import pytest

from ingest.measures import (
    KINDS,
    MEASURES_JSON,
    REQUIRED_SLUGS,
    classify,
    default_measures,
    load_measures,
    period,
)
from ingest.parse import as_json, parse_report
from ingest.quantities import extract_indicators
from ingest.types import PeriodKind
from tests.ingest.samples import CITY_REPORT, COUNTY_REPORT

# (label as extracted, unit, words before the figure, expected measure or None)
CASES = [
    # context: the place's profile
    ("总人口", "人", "", "population"),
    ("常住人口", "人", "全市", "population"),
    ("户籍人口", "人", "", "population"),
    ("少数民族人口", "人", "其中", "minority-population"),
    ("少数民族常住人口", "人", "", "minority-population"),
    ("民族", "个", "共有", "ethnic-groups"),
    ("少数民族", "个", "辖区内有", "ethnic-groups"),
    ("民族成分", "种", "", "ethnic-groups"),
    ("总面积", "平方公里", "", "area"),
    ("辖区面积", "平方千米", "", "area"),
    ("行政区域面积", "公顷", "", "area"),
    ("地区生产总值", "元", "2023年上半年", "gdp"),
    ("GDP", "元", "全年", "gdp"),
    ("地区生产总值增速", "%", "", "gdp-growth"),
    ("地区生产总值同比增长", "%", "", "gdp-growth"),
    ("经济增速", "%", "", "gdp-growth"),
    ("人均地区生产总值", "元", "", "gdp-per-capita"),
    ("固定资产投资", "元", "", "fixed-asset-investment"),
    ("固定资产投资增速", "%", "", "fixed-asset-investment-growth"),
    ("社会消费品零售总额", "元", "", "retail-sales"),
    ("社会消费品零售总额增速", "%", "", "retail-sales-growth"),
    ("一般公共预算收入", "元", "", "fiscal-revenue"),
    ("居民人均可支配收入", "元", "", "income-per-capita"),
    ("城镇常住居民人均可支配收入", "元", "", "urban-income"),
    ("农村牧区常住居民人均可支配收入", "元", "", "rural-income"),
    ("街道", "个", "下辖", "subdivisions"),
    ("社区", "个", "", "subdivisions"),
    ("村(社区)", "个", "覆盖全市", "subdivisions"),
    # activity
    ("相关活动", "场次", "今年共开展了", "events"),
    ("宣传活动", "场", "共开展", "events"),
    ("主题活动", "次", "", "events"),
    ("“石榴花开”系列品牌活动", "场次", "开展", "events"),
    ("群众性系列活动", "项", "", "events"),
    ("宣讲", "场次", "深入村社开展", "lectures"),
    ("宣讲活动", "场", "", "lectures"),
    ("专题讲座", "期", "", "lectures"),
    ("", "场", "组织宣讲团宣讲", "lectures"),
    ("培训班", "期", "举办", "trainings"),
    ("专题培训", "场次", "", "trainings"),
    ("联席会议", "次", "召开", "meetings"),
    ("座谈会", "场", "", "meetings"),
    ("", "户次", "走访", "visits"),
    ("困难群众", "次", "走访慰问", "visits"),
    ("新闻稿件及新媒体产品", "条", "共发布", "publicity-items"),
    ("新闻报道、短视频、H5作品", "篇", "全网发布", "publicity-items"),
    ("主题公益短信", "条", "发送", "publicity-items"),
    ("宣传册", "个", "发放", "publicity-items"),
    ("各类优秀文艺作品", "个", "征集", "artworks"),
    ("民族团结歌曲", "首", "创作", "artworks"),
    ("书画作品", "幅", "", "artworks"),
    ("具体工作措施", "项", "细化实化", "policy-measures"),
    ("制度文件", "份", "出台", "policy-measures"),
    ("矛盾纠纷", "件", "调处", "disputes-mediated"),
    ("", "件", "成功调解", "disputes-mediated"),
    ("结对", "对", "组织各族群众", "pairings"),
    # reach
    ("参与网上挑战答题", "人", "全区共有", "participants"),
    ("各族青年共同参与", "名", "吸纳青联委员等", "participants"),
    ("群众", "人次", "覆盖", "participants"),
    ("观众", "人次", "吸引", "participants"),
    ("干部", "人次", "培训", "people-trained"),
    ("干部", "人", "组织参加培训", "people-trained"),
    ("参训人员", "人", "", "people-trained"),
    ("各族群众", "人", "辐射", "beneficiaries"),
    ("服务务工人员", "人次", "", "beneficiaries"),
    ("受益群众", "人", "", "beneficiaries"),
    ("中小学生", "人", "", "students"),
    ("志愿者", "名", "招募", "volunteers"),
    ("困难群众", "户", "帮扶", "households"),
    ("", "户", "惠及", "households"),
    ("浏览量", "人次", "", "online-views"),
    ("阅读次数", "次", "", "online-views"),
    # resource
    ("经费", "元", "每年优先安排创建", "funding"),
    ("专项资金", "元", "", "funding"),
    ("", "元", "累计投入", "funding"),
    ("项目", "个", "实施互嵌式发展", "projects"),
    ("公益性岗位", "个", "开发", "posts"),
    ("新时代文明实践中心(站、所)", "家", "充分发挥", "facilities"),
    ("农家书屋", "个", "", "facilities"),
    ("红石榴驿站", "个", "建成", "stations"),
    ("民族团结进步教育基地", "个", "新建", "education-bases"),
    ("“红石榴”宣讲团、志愿服务队", "支", "组建", "teams"),
    ("一刻钟社区生活圈试点", "个", "建成", "pilots"),
    # recognition
    ("模范集体", "个", "", "model-units"),
    ("先进集体", "家", "", "model-units"),
    ("分别获得全国、自治区民族团结进步模范集体和个人", "人", "", "model-individuals"),
    ("模范个人", "名", "", "model-individuals"),
    ("全国民族团结进步示范单位", "个", "", "demonstration-sites"),
    ("示范街区", "条", "打造", "demonstration-sites"),
    ("示范样板", "个", "逐个类型打造", "demonstration-sites"),
    ("荣誉称号", "项", "荣获", "awards"),
    # outcome
    ("森林覆盖率", "%", "截至目前", "forest-coverage"),
    ("中心城区绿化率", "%", "", "green-coverage"),
    ("矛盾纠纷化解率", "%", "", "mediation-rate"),
    ("调解成功率", "%", "", "mediation-rate"),
    ("转移就业", "人", "", "employment"),
    # near misses: nothing fits, or two measures do; null, never a guess
    ("模范个人", "人", "", "model-individuals"),
    ("总人口", "%", "", None),  # a population is never a percentage
    ("少数民族人口占总人口", "%", "", None),
    ("流动人口", "人", "", None),  # people, but not the population
    ("单位", "个", "辖区先后有", None),
    ("民族团结教育开课率", "%", "", None),  # % that is not forest coverage
    ("铸牢中华民族共同体意识课时占比", "%", "", None),
    ("居民人均可支配收入", "%", "", None),
    ("人均可支配收入", "元", "", "income-per-capita"),  # 元 that is income, not GDP
    ("旅游收入", "元", "实现", None),
    ("地区生产总值", "%", "占", None),
    ("民族团结公园", "平方公里", "倾力打造", None),  # an area that is not the region's
    ("耕地面积", "亩", "", None),
    ("柳州市民族团结进步示范单位、教育基地", "个", "", None),  # two measures at once
    ("地区、学校开展线上线下交流活动", "个", "同", None),  # 活动 counted in 个: not events
    ("零工市场", "个", "建成", None),
    ("培训", "人", "参加", "people-trained"),
    ("城市核心景观展示着浓郁", "处", "", None),
    ("相关活动", "人", "", None),  # people at events are not events
    ("活动阵地", "个", "", "facilities"),
    ("培训基地", "个", "", None),
    ("主题", "个", "结合8个领域特点设计不同", None),
    ("志愿者参与", "人", "", "volunteers"),
    ("志愿服务队", "人", "组建", None),  # teams count in 支, not people
    ("", "人", "", None),
    ("", "元", "", None),
]


def test_fixture_has_the_required_measures_and_at_least_40():
    """Every required slug is in the taxonomy, which has 40 measures or more."""
    measures = default_measures()
    required = set(
        [
            "population",
            "minority-population",
            "ethnic-groups",
            "area",
            "gdp",
            "gdp-growth",
            "fixed-asset-investment",
            "retail-sales",
            "forest-coverage",
            "events",
            "participants",
            "publicity-items",
            "artworks",
            "funding",
            "model-units",
            "demonstration-sites",
            "households",
        ]
    )
    assert {m.slug for m in measures} >= required == REQUIRED_SLUGS
    assert len(measures) >= 40


def test_fixture_rows_carry_what_the_migration_reads():
    """Each fixture row has slug, name, name_en, kind, units and keywords, with a known kind."""
    rows = json.loads(MEASURES_JSON.read_text(encoding="utf-8"))
    for row in rows:
        assert {"slug", "name", "name_en", "kind", "units", "keywords"} <= row.keys(), row
        assert row["kind"] in KINDS and row["units"], row


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"units": ["公斤米"]}, "not one ingest reads"),
        ({"kind": "misc"}, "unknown kind"),
        ({"slug": "Bad Slug"}, "slug is not lower-case"),
        ({"keywords": [], "patterns": [], "context": []}, "nothing recognises it"),
    ],
)
def test_load_measures_rejects_unusable_rows(tmp_path, change, message):
    """A row the classifier could not use stops loading with the reason."""
    row = {"slug": "x", "name": "某", "name_en": "X", "kind": "reach", "units": ["人"]}
    row |= {"keywords": ["某"]} | change
    path = tmp_path / "measures.json"
    path.write_text(json.dumps([row, row | {"slug": "y"}]), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_measures(path)


def test_load_measures_rejects_duplicate_slugs(tmp_path):
    """Two rows with one slug would make a figure's measure depend on file order."""
    row = {"slug": "x", "name": "某", "name_en": "X", "kind": "reach", "units": ["人"]}
    path = tmp_path / "measures.json"
    path.write_text(json.dumps([row | {"keywords": ["某"]}] * 2), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate slug x"):
        load_measures(path)


@pytest.mark.parametrize(("label", "unit", "before", "slug"), CASES)
def test_classify(label, unit, before, slug):
    """The measure named by label, unit and the words before the figure; null when unsure."""
    figure = f"12{unit}"
    assert classify(label, unit, f"{before}{figure}", figure) == slug


def test_classify_table_is_large_and_has_near_misses():
    """The table holds at least 80 cases, a fifth of them or more staying null."""
    assert len(CASES) >= 80
    assert sum(slug is None for *_, slug in CASES) >= 16


@pytest.mark.parametrize(
    ("text", "figure", "slug"),
    [
        ("全县总人口32.5万人,其中少数民族人口8.1万人。", "32.5万人", "population"),
        ("全县总人口32.5万人,其中少数民族人口8.1万人。", "8.1万人", "minority-population"),
        ("全县共有汉、蒙、回等12个民族。", "12个", "ethnic-groups"),
        ("全年地区生产总值120.5亿元、增速5.2%。", "5.2%", "gdp-growth"),
        ("今年共开展主题宣传活动60余场。", "60余场", "events"),
        ("组织宣讲团开展宣讲80余场次,覆盖群众1.2万人次。", "1.2万人次", "participants"),
        ("全年培训少数民族干部300人次。", "300人次", "people-trained"),
        ("每年安排专项资金300万元。", "300万元", "funding"),
        ("城镇居民人均可支配收入4.2万元。", "4.2万元", "urban-income"),
        ("全区建成红石榴驿站15个。", "15个", "stations"),
        ("话题阅读量超500万人次。", "超500万人次", "online-views"),
        ("纠纷调处成功率保持在98%以上。", "98%以上", "mediation-rate"),
        ("90%以上的群众表示满意。", "90%以上", None),
        ("今年接待游客突破500万人次,实现旅游收入42.6亿元。", "42.6亿元", None),
    ],
)
def test_classify_extracted_indicator(text, figure, slug):
    """On a sentence, the label and quote the extractor gives are enough to name the measure."""
    by_figure = {n.figure: n for n in extract_indicators(text)}
    n = by_figure[figure]
    assert classify(n.label, n.unit, n.quote, n.figure) == slug


@pytest.mark.parametrize(
    ("written", "before", "published", "kind", "year"),
    [
        ("2023年上半年", "", None, PeriodKind.HALF_YEAR, 2023),
        ("下半年", "", date(2022, 12, 8), PeriodKind.HALF_YEAR, 2022),
        ("2023年1-6月", "", None, PeriodKind.HALF_YEAR, 2023),
        ("2023年", "", None, PeriodKind.YEAR, 2023),
        ("2022年度", "", None, PeriodKind.YEAR, 2022),
        ("今年", "", date(2023, 10, 10), PeriodKind.YEAR, 2023),
        ("今年", "", None, PeriodKind.YEAR, None),
        ("全年", "", date(2024, 3, 5), PeriodKind.YEAR, 2024),
        ("去年", "", date(2024, 3, 5), PeriodKind.YEAR, 2023),
        ("今年以来", "", date(2023, 10, 10), PeriodKind.YEAR, 2023),
        ("2023年前三季度", "", None, PeriodKind.YEAR, 2023),
        ("2023年1-9月", "", None, PeriodKind.YEAR, 2023),
        ("截至目前", "", date(2023, 10, 10), PeriodKind.POINT, None),
        ("目前", "", None, PeriodKind.POINT, None),
        ("至今", "", None, PeriodKind.POINT, None),
        ("2023年底", "", None, PeriodKind.POINT, 2023),
        ("2020年以来", "", None, PeriodKind.POINT, None),
        ("近年来", "", None, PeriodKind.POINT, None),
        ("近三年来", "", None, PeriodKind.POINT, None),
        ("", "累计开展", None, PeriodKind.POINT, None),
        ("每年", "", None, PeriodKind.PER_YEAR, None),
        ("", "年均投入", None, PeriodKind.PER_YEAR, None),
        ("", "共开展", date(2023, 1, 1), PeriodKind.UNSTATED, None),
        ("", "", date(2023, 1, 1), PeriodKind.UNSTATED, None),
        ("2023年", "累计", None, PeriodKind.YEAR, 2023),  # a total within 2023
    ],
)
def test_period(written, before, published, kind, year):
    """The written period (else the words before the figure) gives its kind and year."""
    assert period(written, before, published) == (kind, year)


def test_as_json_prints_measure_and_period_on_every_indicator():
    """Dry-run JSON gives each indicator a measure (or null) and its period kind, year and text."""
    for report in (COUNTY_REPORT, CITY_REPORT):
        record = as_json(parse_report(report.encode()), file="x.txt")
        assert record["indicators"]
        for n in record["indicators"]:
            assert "measure" in n and set(n["period"]) == {"kind", "year", "written"}, n
    by_figure = {
        n["figure"]: n
        for n in as_json(parse_report(COUNTY_REPORT.encode()), file="x")["indicators"]
    }
    assert by_figure["80余场次"]["measure"] == "lectures"
    assert by_figure["80余场次"]["period"] == {"kind": "year", "year": 2024, "written": "全年"}
    assert by_figure["12个"]["measure"] == "stations"
