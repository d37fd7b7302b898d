"""Title, date, sources and URL from the page text; a derived title when there is none."""

from datetime import date

import pytest

from ingest.meta import derive_title, extract_meta, parse_date

LEAD = "近年来,某某县坚持以铸牢中华民族共同体意识为主线,扎实推进民族团结进步创建,成效明显。"
BODY = "\n".join([LEAD, "强化组织领导,压实工作责任", "一是健全机制。二是加大投入,安排经费30万元。"])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("发布日期:2023-06-01", date(2023, 6, 1)),
        ("发布时间:2023年6月1日 10:20", date(2023, 6, 1)),
        ("公开日期:2023/06/01", date(2023, 6, 1)),
        ("成文日期:2023.6.1", date(2023, 6, 1)),
        ("时间:2023-06-01 17:00:27", date(2023, 6, 1)),
        ("日期:2023-06-01", date(2023, 6, 1)),
        ("  • 时间:2023-06-01", date(2023, 6, 1)),
        ("2023年6月1日", date(2023, 6, 1)),
        ("发布日期 | 2023-06-01 00:00:00 | 有效性 | 有效 |", date(2023, 6, 1)),
    ],
    ids=[
        "发布日期",
        "发布时间",
        "公开日期",
        "成文日期",
        "时间",
        "日期",
        "bullet",
        "bare-line",
        "table",
    ],
)
def test_published_date_from_each_label(line, expected):
    """Every date label (and a line that is only a date) gives the publication date."""
    assert extract_meta(f"某县创建纪实\n{line}\n{BODY}").published == expected


def test_publication_date_preferred_over_drafting_date():
    """With both 成文日期 and 公开日期, the publication (公开) date wins."""
    row = "成文日期 | 2023-05-28 00:00:00 | 公开日期 | 2023-06-01 09:30:00 |"
    assert extract_meta(f"{row}\n{BODY}").published == date(2023, 6, 1)


@pytest.mark.parametrize(
    "text",
    [
        f"{BODY}\n2023年5月,某县召开推进会,部署下一阶段工作。",
        "某县于2023年6月1日举办民族团结进步宣传月启动仪式,活动持续一个月。\n" + BODY,
        "标题\n时间:\n" + BODY,
    ],
    ids=["sentence-month", "sentence-date", "empty-label"],
)
def test_no_date_rather_than_a_date_from_a_sentence(text):
    """Dates inside body sentences are never taken as the publication date."""
    assert extract_meta(text).published is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023-02-30", None), ("1899-01-01", None), ("2024-2-9", date(2024, 2, 9))],
)
def test_parse_date_rejects_impossible_dates(value, expected):
    """Impossible or implausible dates are not dates."""
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (f"某县创建工作纪实\n\n时间:2023-06-01\n{BODY}", "某县创建工作纪实"),
        (
            f"欢迎访问某县政府网\n当前位置:首页 > 要闻\n某县创建工作纪实\n来源:某县\n{BODY}",
            "某县创建工作纪实",
        ),
        (f"标 题 | 石榴花开满乡村 | ||||\n发文机构 | 某县政府办 |\n{BODY}", "石榴花开满乡村"),
        (
            f"【民族团结在基层】某镇:同心共筑幸福家园\n{BODY}",
            "【民族团结在基层】某镇:同心共筑幸福家园",
        ),
        (BODY, None),
    ],
    ids=["headline-above-date", "after-chrome", "portal-table", "column-headline", "none"],
)
def test_title_from_headline_table_or_column_line(page, expected):
    """The title is the headline above the metadata, a 标题 cell or a 【栏目】 line, never a body line."""
    assert extract_meta(page).title == expected


def test_sources_deduplicated_in_order_and_empty_dropped():
    """Source labels give names in first-seen order, without repeats or empty values."""
    page = "\n".join(
        [BODY, "来源:某市统一战线", "来源:", "信息来源:某县融媒体中心", "来源:某市统一战线"]
    )
    assert extract_meta(page).sources == ("某市统一战线", "某县融媒体中心")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("时间:2023-06-01 10:40   来源:某区委统战部", ("某区委统战部",)),
        ("来源:某日报  作者:张某", ("某日报",)),
        ("发文机构 | 某市人民政府办公室 | 信息分类 | 民族 |", ("某市人民政府办公室",)),
        ("(来源:某县民宗局)", ("某县民宗局",)),
    ],
    ids=["after-time", "before-author", "portal-table", "parenthesised"],
)
def test_source_value_stops_at_the_next_field(line, expected):
    """A source shares its line with other fields; only its own value is kept."""
    assert extract_meta(f"{BODY}\n{line}").sources == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "原文链接:http://www.example.gov.cn/a/2023/t1.html",
            "http://www.example.gov.cn/a/2023/t1.html",
        ),
        ("原文地址:https://example.org/x?id=3", "https://example.org/x?id=3"),
        ("来源:https://example.org/news/1.shtml", "https://example.org/news/1.shtml"),
    ],
)
def test_url_from_link_label_or_url_source(line, expected):
    """原文链接/原文地址 or a source written as a URL gives the page's original URL."""
    meta = extract_meta(f"{BODY}\n{line}")
    assert meta.url == expected
    assert meta.sources == ()


def test_derived_title_uses_the_lead_subject():
    """Without a title, the lead sentence's subject plus the topic makes one."""
    assert derive_title(BODY, None) == "某某县民族团结进步创建工作"


def test_derived_title_falls_back_to_region_for_first_person_lead():
    """A lead about 我市 takes the region's name instead."""
    body = "我市坚持把民族团结进步创建作为基础工程,持续推进。\n" + BODY.split("\n", 1)[1]
    assert derive_title(body, "某某市") == "某某市民族团结进步创建工作"


def test_derived_title_is_short():
    """A derived title stays under 40 characters."""
    body = "强化组织领导压实工作责任推进民族团结进步创建工作高质量发展迈上新台阶开创新局面\n正文。"
    assert 0 < len(derive_title(body, None)) < 40
