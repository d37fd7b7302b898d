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


@pytest.mark.parametrize(
    "line",
    [
        "2023-05-06 10:20:30来源:某县融媒体中心",
        "某县多措并举推进民族团结 发布时间:2023-05-06",
        "某县新闻网 | 2023-05-06 10:20",
        "作者:王某 2023-05-06 来源:某州日报",
        "发布时间2023-05-06 浏览次数:12",
        "2023年05月06日 10:20  来源:某市民宗局",
        "来源:某县统战部  时间:2023-05-06",
    ],
    ids=["run-into-source", "end-of-title", "site-bar", "author-date-source", "no-colon",
         "cn-date-time", "second-label"],
)  # fmt: skip
def test_date_on_a_metadata_line_with_other_labels(line):
    """A date next to other labels, with or without a separator, is the publication date."""
    assert extract_meta(f"某县创建纪实\n{line}\n{BODY}").published == date(2023, 5, 6)


def test_bare_date_and_time_on_the_byline_under_the_headline():
    """An unlabelled `YYYY-MM-DD hh:mm` on the line under the headline is the date."""
    page = f"某县多措并举推进民族团结\n2023-05-06 10:20\n{BODY}"
    assert extract_meta(page).published == date(2023, 5, 6)


def test_labelled_publication_date_beats_a_bare_byline_date():
    """A labelled publication date wins over an unlabelled one on another line."""
    page = f"某县创建纪实\n某网 | 2023-05-01 08:00\n发布时间:2023-05-06\n{BODY}"
    assert extract_meta(page).published == date(2023, 5, 6)


def test_no_date_from_a_short_body_line_or_a_related_link():
    """A date in a heading inside the body or a link after it is not the publication date."""
    page = f"{BODY}\n2023年5月6日,某县召开推进会\n相关新闻\n某县召开大会 | 2023-05-01"
    assert extract_meta(page).published is None


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (f"某县多措并举推进民族团结\n{BODY}", "某县多措并举推进民族团结"),
        (f"某县多措并举推进民族团结\n记者 王某\n{BODY}", "某县多措并举推进民族团结"),
        (
            f"某县新闻网\n首页 新闻 政务 服务 互动\n某县多措并举推进民族团结\n"
            f"2023-05-06 10:20:30来源:某县融媒体\n{BODY}",
            "某县多措并举推进民族团结",
        ),
        (
            f"首页 > 新闻中心 > 本地要闻\n石榴籽一家亲 共筑同心圆\n发布时间:2023-05-06\n{BODY}",
            "石榴籽一家亲 共筑同心圆",
        ),
        (f"某县多措并举推进民族团结 发布时间:2023-05-06\n{BODY}", "某县多措并举推进民族团结"),
    ],
    ids=["first-line", "above-byline", "among-chrome", "after-breadcrumb", "with-date-label"],
)
def test_headline_without_a_label(page, expected):
    """A headline with no 标题 label is found above the byline or as the first short line."""
    assert extract_meta(page).title == expected


@pytest.mark.parametrize(
    "top",
    [
        "首页 > 新闻中心 > 本地要闻",
        "某县人民政府网",
        "图为各族群众欢度节日(王某 摄)",
        "推荐阅读:某县召开大会",
        "首页 新闻 政务 服务 互动",
    ],
    ids=["breadcrumb", "site-name", "photo-caption", "recommended", "menu"],
)
def test_page_furniture_is_never_the_title(top):
    """Breadcrumbs, site names, captions, link blocks and menus are not headlines."""
    assert extract_meta(f"{top}\n发布时间:2023-05-06\n{BODY}").title is None


def test_first_heading_of_a_headed_article_is_not_a_title():
    """A programme heading that opens an article with more such headings is not the title."""
    page = f"强化组织领导,压实工作责任\n{LEAD}\n加强宣传教育,营造浓厚氛围\n{LEAD}"
    assert extract_meta(page).title is None
    assert extract_meta(f"一、强化组织领导\n{LEAD}").title is None


def test_photo_caption_above_the_headline_does_not_hide_it():
    """A caption sentence at the top of the page is chrome, so the headline and date are found."""
    page = (
        f"图为各族群众欢庆节日。(王某 摄)\n某县举办宣传月活动\n2023-05-10 16:22 来源:某县\n{BODY}"
    )
    meta = extract_meta(page)
    assert (meta.title, meta.published) == ("某县举办宣传月活动", date(2023, 5, 10))


def test_dash_subtitle_is_not_the_headline():
    """A "——某某纪实" line under the headline is its subtitle."""
    page = f"同心共筑中国梦\n——某县民族团结进步创建工作纪实\n日期:2021-12-01\n{BODY}"
    assert extract_meta(page).title == "同心共筑中国梦"


def test_link_list_above_the_article_gives_neither_title_nor_date():
    """Sidebar links with dates above the article lose to the headline and byline next to it."""
    page = (
        "某市召开民族团结进步表彰大会  2023-04-01\n某区举办民族团结进步宣传月启动仪式  2023-04-02\n"
        f"某县石榴籽家园建设见闻\n某县新闻网 | 2023-05-06 10:20\n{BODY}"
    )
    meta = extract_meta(page)
    assert (meta.title, meta.published) == ("某县石榴籽家园建设见闻", date(2023, 5, 6))


def test_long_navigation_bar_above_the_headline_is_not_the_article():
    """A menu line long enough to look like a paragraph does not end the page header."""
    menu = " ".join(["网站首页", "政务公开", "新闻中心", "政务服务", "互动交流", "专题专栏"] * 3)
    page = f"{menu}\n某县石榴籽家园建设见闻\n2023-05-06 10:20 来源:某县\n{BODY}"
    meta = extract_meta(page)
    assert (meta.title, meta.published) == ("某县石榴籽家园建设见闻", date(2023, 5, 6))


@pytest.mark.parametrize(
    "line", ["某县石榴籽家园建设见闻_某县人民政府网", "某县石榴籽家园建设见闻 - 某县新闻网"]
)
def test_page_title_with_the_site_name_gives_the_headline(line):
    """A page title "headline_site" gives the headline without the site name."""
    assert extract_meta(f"{line}\n发布时间:2023-05-06\n{BODY}").title == "某县石榴籽家园建设见闻"


def test_headline_under_a_site_name_and_column_words_without_metadata():
    """With no byline at all, the headline under the site name and menu words is still found."""
    page = f"某县人民政府网\n首页\n新闻中心\n某县石榴籽家园建设见闻\n{BODY}"
    assert extract_meta(page).title == "某县石榴籽家园建设见闻"


def test_an_event_time_in_the_body_is_not_the_publication_date():
    """活动时间 in a body line is not a date label; the byline's date stands."""
    page = f"某县举办宣传月活动\n某县新闻网 | 2023-05-06 10:20\n{BODY}\n一、活动时间:2023年6月1日"
    assert extract_meta(page).published == date(2023, 5, 6)


def test_a_line_that_is_only_a_date_marks_the_header():
    """A bare date line under the headline ends the header, however many lines stand above."""
    page = f"某县融媒体中心主办网站\n部门工作动态专栏\n某县召开民族团结进步推进会\n2023年5月6日\n{BODY}"
    meta = extract_meta(page)
    assert (meta.title, meta.published) == ("某县召开民族团结进步推进会", date(2023, 5, 6))


@pytest.mark.parametrize("line", ["[2023-05-06]", "【2023年5月6日】", "2023年5月6日 星期六"])
def test_a_bracketed_or_weekday_date_line_is_the_date(line):
    """A date on a line of its own may sit in brackets or carry its weekday."""
    page = f"某县融媒体中心主办网站\n部门工作动态专栏\n某县召开民族团结进步推进会\n{line}\n{BODY}"
    meta = extract_meta(page)
    assert (meta.title, meta.published) == ("某县召开民族团结进步推进会", date(2023, 5, 6))


def test_source_stops_before_a_date_on_its_line():
    """ "来源:某州日报 2023-05-06 10:20" names 某州日报, without the date."""
    assert extract_meta(f"某县纪实\n来源:某州日报 2023-05-06 10:20\n{BODY}").sources == (
        "某州日报",
    )


def test_a_headline_that_starts_like_a_column_word_is_still_a_headline():
    """A headline opening with 精彩 or 最新 is a headline; only block names (最新动态) are not."""
    page = f"精彩纷呈!某县民族团结进步宣传月活动侧记\n发布时间:2023-05-06\n{BODY}"
    assert extract_meta(page).title == "精彩纷呈!某县民族团结进步宣传月活动侧记"
