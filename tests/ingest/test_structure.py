"""Headings -> programmes -> initiatives, with spans into the body."""

import pytest

from ingest.structure import cn_number, initiative_title, parse_structure

LEAD = "近年来,某盟以铸牢中华民族共同体意识为主线,深入推进民族团结进步创建。"
P1 = "一是建强工作队伍。选配专职干部30名。二是完善制度体系。出台配套文件5个。三是强化督查考核。"
P2 = "持续开展主题宣传活动,全年举办各类活动120余场,覆盖群众5万人次。"
P3 = "推动各族群众互嵌式居住,建成示范社区8个,打造交流平台12个。"


def titles(body: str) -> list[str]:
    return [p.title for p in parse_structure(body).programmes]


def counts(body: str) -> list[int]:
    return [len(p.initiatives) for p in parse_structure(body).programmes]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            f"{LEAD}\n一、强化组织领导,筑牢创建根基\n{P1}\n二、深化宣传教育,凝聚思想共识\n{P2}",
            ["一、强化组织领导,筑牢创建根基", "二、深化宣传教育,凝聚思想共识"],
        ),
        (
            f"{LEAD}\n\n(一)强化组织领导\n\n{P1}\n\n(二)深化宣传教育\n\n{P2}",
            ["(一)强化组织领导", "(二)深化宣传教育"],
        ),
        (
            f"{LEAD}\n开展“固本”行动,夯实创建基础\n{P1}\n开展“润心”行动,凝聚思想共识\n{P2}",
            ["开展“固本”行动,夯实创建基础", "开展“润心”行动,凝聚思想共识"],
        ),
        (
            f"{LEAD}\n组织保障“常态化”\n推动创建工作取得“新成效”\n\n{P1}\n"
            f"宣传教育“品牌化”\n引导各族群众树牢“共同体”\n\n{P2}",
            [
                "组织保障“常态化” 推动创建工作取得“新成效”",
                "宣传教育“品牌化” 引导各族群众树牢“共同体”",
            ],
        ),
        (
            f"{LEAD}\n文化为本,以有形载体聚共识。{P2}\n发展为要,以产业振兴促团结。{P3}",
            ["文化为本,以有形载体聚共识", "发展为要,以产业振兴促团结"],
        ),
        (
            f"{LEAD}\n一、加强组织领导。{P2}\n二、推进互嵌融合。{P3}",
            ["一、加强组织领导", "二、推进互嵌融合"],
        ),
    ],
    ids=[
        "cn-numbered",
        "paren-numbered",
        "quoted-keyword",
        "two-line",
        "lead-sentence",
        "numbered-inline",
    ],
)
def test_programme_headings_of_each_kind(body, expected):
    """Numbered, unnumbered, two-line and lead-sentence headings each make one programme."""
    assert titles(body) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("一是建强队伍。配干部。二是完善制度。出文件。三是强化考核。", 3),
        ("某盟建立三项机制。一要压实责任,层层落实。二要加大投入。", 2),
        ("(一)建强队伍。配干部。(二)完善制度。出文件。", 2),
        ("1.建强队伍,配干部。2.完善制度,出文件。3.强化考核。", 3),
        ("①建强队伍;②完善制度;③强化考核;④示范引领。", 4),
        ("一是注重党建引领。内容甲。\n二是注重宣传教育。内容乙。\n三是重模范选树。内容丙。", 3),
        ("坚持系统推进,成立领导小组并细化任务分工。\n统一部署宣传,组织开展主题活动20场。", 2),
        ("祖国统一是各族人民的共同心愿,必须坚持。\n推进互嵌式发展,建成示范社区8个。", 2),
    ],
    ids=[
        "yi-shi",
        "yi-yao",
        "paren",
        "arabic",
        "circled",
        "one-per-paragraph-typo",
        "paragraphs",
        "no-false-marker",
    ],
)
def test_initiatives_from_each_enumeration_kind(content, expected):
    """Inline or per-paragraph enumerations (typos allowed), else one initiative per paragraph."""
    body = f"{LEAD}\n强化组织领导,筑牢创建根基\n{content}\n深化宣传教育,凝聚思想共识\n{P2}"
    assert counts(body)[0] == expected


def test_intro_before_enumeration_is_the_programme_summary():
    """Text before 一是 belongs to the programme, not to an initiative."""
    body = (
        f"{LEAD}\n一、健全机制\n某盟建立三项机制。一是责任机制。二是保障机制。\n二、深化宣传\n{P2}"
    )
    programme = parse_structure(body).programmes[0]
    assert programme.summary == "某盟建立三项机制。"
    assert [i.title for i in programme.initiatives] == ["责任机制", "保障机制"]


def test_spans_point_into_the_body():
    """body[start:end] is each initiative's text and spans the programme heading to its end."""
    body = f"{LEAD}\n\n一、强化组织领导\n\n{P1}\n\n二、深化宣传教育\n\n{P2}\n{P3}"
    structure = parse_structure(body)
    for programme in structure.programmes:
        assert body[programme.start :].startswith(programme.title)
        for initiative in programme.initiatives:
            assert body[initiative.start : initiative.end] == initiative.text
    assert structure.programmes[1].initiatives[1].text == P3


def test_lead_and_marked_closing_are_summary_not_programmes():
    """Text before the first heading and a 下一步 closing go to Structure.summary."""
    closing = "下一步,某盟将持续深化创建,推动民族团结进步事业高质量发展。"
    body = f"{LEAD}\n一、强化组织领导\n{P2}\n二、深化宣传教育\n{P3}\n{closing}"
    structure = parse_structure(body)
    assert structure.summary == f"{LEAD}\n{closing}"
    assert counts(body) == [1, 1]


def test_paragraph_after_last_enumeration_is_closing():
    """A paragraph after the last programme's enumeration is the report's closing."""
    closing = "石榴花开幸福来。如今的某盟,各族群众像石榴籽一样紧紧抱在一起。"
    body = f"{LEAD}\n一、强化组织领导\n{P2}\n二、健全工作机制\n{P1}\n{closing}"
    structure = parse_structure(body)
    assert structure.summary.endswith(closing)
    assert counts(body) == [1, 3]


def test_body_without_headings_is_all_summary():
    """No heading of any kind: no programmes, the whole body is summary."""
    body = f"{LEAD}\n{P2}\n{P3}"
    structure = parse_structure(body)
    assert structure.programmes == () and structure.summary == body


@pytest.mark.parametrize(
    "line",
    [
        "图为某盟民族团结进步宣传月启动仪式现场",
        "(记者 某某 摄)",
        "各族群众欢聚一堂!",
        "主要做法如下:",
    ],
)
def test_captions_exclamations_and_intros_are_not_headings(line):
    """Photo captions, exclamations and lines ending in a colon are not programme headings."""
    body = f"{LEAD}\n强化组织领导,筑牢创建根基\n{P2}\n{line}\n{P3}\n深化宣传教育,凝聚思想共识\n{P3}"
    assert line not in titles(body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("坚持高位推动。按照工作思路推进。", "坚持高位推动"),
        (
            "责任机制,民族工作写入党委政府工作报告,纳入各级党组织议事日程和考核体系之中并定期检查",
            "责任机制",
        ),
    ],
)
def test_initiative_title_is_the_first_short_sentence_or_clause(text, expected):
    """An initiative's title is its first sentence, or first clause when that is long."""
    assert initiative_title(text) == expected


@pytest.mark.parametrize(
    ("numeral", "value"), [("三", 3), ("十", 10), ("十二", 12), ("二十一", 21), ("7", 7), ("④", 4)]
)
def test_cn_number(numeral, value):
    """Chinese, Arabic and circled numerals read as numbers."""
    assert cn_number(numeral) == value


@pytest.mark.parametrize(
    "line",
    [
        "记者 王某某 通讯员 李某",
        "首页 要闻 政务 服务 互动",
        "新闻中心 > 本地要闻",
        "各族群众载歌载舞(王某 摄)",
        "某县召开民族工作会议 2023-05-06",
        "上一篇:某县召开推进会",
    ],
    ids=["byline", "menu", "breadcrumb", "caption", "dated-link", "previous-link"],
)
def test_page_furniture_in_the_body_is_never_a_programme(line):
    """Bylines, menus, breadcrumbs, captions and links between paragraphs are not headings."""
    body = f"{LEAD}\n强化组织领导,筑牢创建根基\n{P2}\n{line}\n{P3}\n深化宣传教育,凝聚思想共识\n{P3}"
    assert line not in titles(body)
    assert len(titles(body)) == 2


def test_recommended_links_after_the_article_are_not_programmes():
    """A 推荐阅读 block's link titles under the article are dropped, not read as headings."""
    from ingest.clean import clean

    page = (
        f"{LEAD}\n强化组织领导,筑牢创建根基\n{P2}\n深化宣传教育,凝聚思想共识\n{P3}\n"
        "推荐阅读\n某旗举办民族团结进步宣传月活动\n某市召开民族工作会议"
    )
    body = clean(page).body
    assert titles(body) == ["强化组织领导,筑牢创建根基", "深化宣传教育,凝聚思想共识"]


@pytest.mark.parametrize(
    "heading", ["二、强化技术支持,夯实创建基础", "二、开通热线电话:倾听群众心声"]
)
def test_numbered_heading_is_never_lost(heading):
    """A 一、 heading stays a programme even when it uses words that mark footer lines."""
    from ingest.clean import clean

    page = f"{LEAD}\n一、强化组织领导,筑牢创建根基\n{P1}\n{heading}\n{P2}\n三、深化宣传教育\n{P3}"
    assert titles(clean(page).body)[1].startswith("二、")


def test_numbered_headings_survive_a_nested_numbered_list():
    """一、 headings stay programmes when a paragraph list below restarts at 一、."""
    nested = "一、健全工作机制,定期研究部署。\n二、加大经费投入,保障创建需要。"
    body = (
        f"{LEAD}\n一、强化组织领导\n{P2}\n{nested}\n二、深化宣传教育\n{P3}\n三、促进交往交融\n{P3}"
    )
    assert titles(body) == ["一、强化组织领导", "二、深化宣传教育", "三、促进交往交融"]


def test_a_heading_that_starts_like_a_link_block_is_still_a_heading():
    """ "相关部门协同发力" is a programme heading, not a 相关新闻 block."""
    body = f"{LEAD}\n相关部门协同发力,形成创建合力\n{P2}\n深化宣传教育,凝聚思想共识\n{P3}"
    assert titles(body)[0] == "相关部门协同发力,形成创建合力"
