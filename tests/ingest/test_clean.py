"""Page chrome out, metadata aside, a repeated body kept once."""

import pytest

from ingest.clean import Kind, classify, clean, drop_repeats

LEAD = "近年来,某旗坚持以铸牢中华民族共同体意识为主线,扎实推进民族团结进步创建工作,取得明显成效。"
HEADING = "强化组织保障,夯实创建基础"
PARAGRAPH = "一是健全领导机制。成立创建工作领导小组,定期研究部署。二是加大投入力度。每年安排专项经费50万元。"


@pytest.mark.parametrize(
    "line",
    [
        "欢迎访问某某县人民政府网站!",
        "当前位置:首页 > 新闻中心 > 部门动态",
        "您现在的位置:首页 > 工作动态",
        "编辑:王 某",
        "责任编辑:李某某",
        "初审:张某",
        "复审:赵某",
        "终审:孙某",
        "审核:周某",
        "校对:吴某",
        "作者:",
        "(责任编辑:郑某)",
        "【打印】【关闭】",
        "字号:大 中 小",
        "(Mac用户使用Command+S保存)",
        "[免责声明] 本文转自网络,版权归原作者所有,如有侵权请联系删除。",
        "本网站所载文章仅代表作者观点。",
        "某县人民政府办公室 主办 某县信息中心 维护",
        "地址:某省某市某区人民路88号 邮编:123456",
        "某省某市城关区人民大道12号",
        "联系电话:0471-1234567 传真:0471-7654321",
        "某ICP备12345678号-1 某公网安备 15010202000001号",
        "网站标识码:1501000001",
        "上一篇:某乡开展主题宣传活动",
        "下一条:",
        "分享到:微信 微博",
        "IMG_20230506_102030.jpg",
        "点击量:1024",
        "浏览次数:",
        "Copyright © 2024 某市民族事务委员会",
    ],
)
def test_chrome_lines_are_dropped(line):
    """Banners, breadcrumbs, credits, widgets, disclaimers and footers are chrome."""
    assert classify(line) is Kind.CHROME
    assert line not in clean(f"{LEAD}\n{line}\n{HEADING}\n{PARAGRAPH}").body


@pytest.mark.parametrize(
    "line",
    [
        "来源:某县融媒体中心",
        "信息来源:某市民宗局",
        "发布日期:2024-03-05 09:12 点击量:",
        "发布时间:2024年3月5日",
        "时间:2024-03-05 10:40   来源:某区委统战部",
        "日期:2024/03/05",
        "原文链接:http://www.example.gov.cn/art/2024/3/5/art_1.html",
        "  • 来源:",
        "(来源:某日报)",
        "标 题 | 某县创建纪实 | ||||",
        "成文日期 | 2024-03-01 | 公开日期 | 2024-03-05 |",
    ],
)
def test_metadata_lines_leave_the_body_but_are_kept(line):
    """Source, date, link and portal table lines go to meta_lines, not the body."""
    cleaned = clean(f"{LEAD}\n{line}\n{HEADING}\n{PARAGRAPH}")
    assert line.strip() not in cleaned.body
    assert any(line.strip().lstrip("• ") in kept for kept in cleaned.meta_lines)


def test_body_keeps_lead_headings_paragraphs_and_closing():
    """The article's own lines survive cleaning, in order."""
    closing = "下一步,某旗将持续深化创建工作,推动民族团结进步事业再上新台阶。"
    page = "\n".join(
        ["当前位置:首页 > 要闻", LEAD, HEADING, PARAGRAPH, closing, "【打印】【关闭】"]
    )
    assert clean(page).body == "\n".join([LEAD, HEADING, PARAGRAPH, closing])


def test_headline_among_header_metadata_is_metadata():
    """A headline above the article, followed by date/source lines, is not body."""
    page = "\n".join(
        ["某旗多措并举推进民族团结", "", "时间:2024-03-05  来源:某旗统战部", LEAD, HEADING]
    )
    cleaned = clean(page)
    assert cleaned.body.split("\n")[0] == LEAD
    assert "某旗多措并举推进民族团结" in cleaned.meta_lines


def test_first_heading_stays_when_no_metadata_precedes_it():
    """Without header metadata the top lines are the article's and stay in the body."""
    page = "\n".join(
        [HEADING, PARAGRAPH, "加强宣传教育,营造浓厚氛围", PARAGRAPH.replace("50", "30")]
    )
    assert clean(page).body.startswith(HEADING)


def test_body_repeated_on_the_page_is_kept_once():
    """A page showing the article twice, with metadata between the copies, keeps one copy."""
    article = [LEAD, HEADING, PARAGRAPH]
    page = "\n".join(
        [*article, "来源:某县融媒体中心", "编辑:王某", "发布日期:2024-03-05", *article, "编辑:王某"]
    )
    cleaned = clean(page)
    assert cleaned.body == "\n".join(article)
    assert cleaned.meta_lines == ("来源:某县融媒体中心", "发布日期:2024-03-05")


def test_short_repeated_line_alone_is_not_a_repeat():
    """A single short line that happens to recur (a slogan) is not treated as a repeated body."""
    lines = ["石榴花开", LEAD, "石榴花开", PARAGRAPH]
    assert drop_repeats(lines) == lines


def test_body_sentence_mentioning_a_phone_is_kept():
    """Footer rules apply to short non-sentences only: a body sentence with 热线 stays."""
    sentence = "开通民族事务服务热线电话:12345,全年受理群众诉求300余件,办结率达98%。"
    assert classify(sentence) is Kind.BODY


def test_kinds_computed_once_give_the_same_body_and_metadata():
    """A page's body and metadata are the same whether its line kinds are passed in or not."""
    from ingest.clean import line_kinds
    from ingest.meta import extract_meta

    page = "\n".join(
        [
            "某旗民族团结进步创建工作综述",
            "发布时间:2023-06-01 10:40 来源:某旗融媒体中心",
            LEAD,
            "相关新闻",  # a link block: clean marks its lines chrome in its own copy
            "某乡开展主题宣传活动",
            "某镇举办文艺演出",
            HEADING,
            PARAGRAPH,
        ]
    )
    kinds = line_kinds(page)
    before = list(kinds)
    assert clean(page, kinds) == clean(page)
    assert kinds == before  # extract_meta reads them next, untouched
    assert extract_meta(page, kinds) == extract_meta(page)
    assert "某镇举办文艺演出" not in clean(page, kinds).body
