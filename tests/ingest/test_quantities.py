"""Figures, units and qualifiers; indicators with labels; what is not a quantity."""

from decimal import Decimal

import pytest

from ingest.figures import parse_figure
from ingest.quantities import extract_indicators
from ingest.types import Qualifier


@pytest.mark.parametrize(
    ("written", "value", "unit", "qualifier"),
    [
        ("150余场次", "150", "场次", "more_than"),
        ("10万余人", "100000", "人", "more_than"),
        ("10余万人", "100000", "人", "more_than"),
        ("30多个", "30", "个", "more_than"),
        ("1万多名", "10000", "名", "more_than"),
        ("超2030万人次", "20300000", "人次", "more_than"),
        ("超过1.5万人", "15000", "人", "more_than"),
        ("突破7000万次", "70000000", "次", "more_than"),
        ("逾300户", "300", "户", "more_than"),
        ("3个以上", "3", "个", "at_least"),
        ("96%以上", "96", "%", "at_least"),
        ("不少于20场", "20", "场", "at_least"),
        ("不低于85%", "85", "%", "at_least"),
        ("约300个", "300", "个", "approx"),
        ("约有2000名", "2000", "名", "approx"),
        ("500人左右", "500", "人", "approx"),
        ("近3万元", "30000", "元", "approx"),
        ("将近40家", "40", "家", "approx"),
        ("不到10%", "10", "%", "less_than"),
        ("不足5个", "5", "个", "less_than"),
        ("60岁以下", None, None, None),
        ("3%以下", "3", "%", "less_than"),
        ("127项", "127", "项", "exact"),
        ("363.1亿元", "36310000000", "元", "exact"),
        ("60.31亿元", "6031000000", "元", "exact"),
        ("100万元", "1000000", "元", "exact"),
        ("3千人", "3000", "人", "exact"),
        ("1.2万亿元", "1200000000000", "元", "exact"),
        ("2千万元", "20000000", "元", "exact"),
        ("5千米", "5", "千米", "exact"),
        ("44.3%", "44.3", "%", "exact"),
        ("2.1个百分点", "2.1", "个百分点", "exact"),
        ("372.55平方公里", "372.55", "平方公里", "exact"),
        ("2.8万余篇(条)", "28000", "篇", "more_than"),
        ("12个(家)", "12", "个", "exact"),
        ("1691個", "1691", "个", "exact"),
        ("3萬餘人", "30000", "人", "more_than"),
        ("25項", "25", "项", "exact"),
        ("2,000余人", "2000", "人", "more_than"),
    ],
)
def test_parse_figure(written, value, unit, qualifier):
    """A figure normalises to base units with its measure word and qualifier."""
    figure = parse_figure(written)
    if value is None:
        assert figure is None
        return
    assert figure is not None
    assert figure.value == Decimal(value)
    assert figure.unit == unit
    assert figure.qualifier == Qualifier(qualifier)
    assert figure.written == written


def test_parse_figure_exact_decimal():
    """Values are exact decimals, never floats, and print without an exponent."""
    figure = parse_figure("0.3亿元")
    assert figure is not None
    assert isinstance(figure.value, Decimal)
    assert str(figure.value) == "30000000"


@pytest.mark.parametrize("written", ["2023年", "第5批", "56路", "H5", "五项", "16.8", "12345"])
def test_parse_figure_rejects_non_figures(written):
    """Years, ordinals, route numbers, codes and bare numbers are not figures."""
    assert parse_figure(written) is None


@pytest.mark.parametrize(
    ("text", "figure", "label"),
    [
        ("今年共组织开展了各类宣讲活动80余场次。", "80余场次", "宣讲活动"),
        ("充分发挥42家社区综合服务站的作用。", "42家", "社区综合服务站"),
        ("全县森林覆盖率达31.6%。", "31.6%", "森林覆盖率"),
        ("上半年全县地区生产总值85.2亿元、增速5.4%。", "5.4%", "地区生产总值增速"),
        ("上半年全县地区生产总值85.2亿元、增速5.4%。", "85.2亿元", "地区生产总值"),
        ("固定资产投资完成12.7亿元。", "12.7亿元", "固定资产投资"),
        ("建成民族团结进步教育基地17个。", "17个", "民族团结进步教育基地"),
        ("下辖6个乡镇,总人口8.4万人。", "6个", "乡镇"),
        ("下辖6个乡镇,总人口8.4万人。", "8.4万人", "总人口"),
        ("全镇共有3000余人参与线上知识竞赛。", "3000余人", "知识竞赛"),
        ("打造3.2平方公里的石榴籽文化公园。", "3.2平方公里", "石榴籽文化公园"),
        ("辖区有5个集体、12人获评模范个人。", "12人", "模范"),
        ("辖区有5个集体、12人获评模范个人。", "5个", "集体"),
        ("全市1.2万名党员干部与2.3万户各族群众结对认亲。", "1.2万名", "党员干部"),
        ("其中少数民族人口0.9万人。", "0.9万人", "少数民族人口"),
        ("每年安排专项资金300万元。", "300万元", "专项资金"),
        ("制作发布短视频、海报等1.1万余条。", "1.1万余条", "短视频、海报"),
        ("话题阅读量超500万人次。", "超500万人次", "阅读量"),
        ("全市少数民族人口占总人口的17.2%。", "17.2%", "少数民族人口占总人口"),
        ("全县共有汉、蒙、回等12个民族。", "12个", "民族"),
        ("纠纷调处成功率保持在98%以上。", "98%以上", "调处成功率"),
        ("90%以上的群众表示满意。", "90%以上", "群众"),
        ("全年调处纠纷320件,调解成功率98.6%。", "98.6%", "调解成功率"),
        ("全州少数民族人口85.6万人,占总人口的57.2%。", "57.2%", "少数民族人口占总人口"),
        ("全区森林覆盖率由2012年的35%提高到2022年的42.5%。", "35%", "森林覆盖率"),
        ("全区森林覆盖率由2012年的35%提高到2022年的42.5%。", "42.5%", "森林覆盖率"),
        ("今年接待游客突破500万人次,实现旅游收入42.6亿元。", "42.6亿元", "旅游收入"),
    ],
)
def test_extract_labels(text, figure, label):
    """The label names what the figure counts, before it or after a count adjective."""
    by_figure = {i.figure: i for i in extract_indicators(text)}
    assert figure in by_figure, by_figure
    assert label in by_figure[figure].label


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("今年共开展活动20场。", "今年"),
        ("每年安排经费50万元。", "每年"),
        ("2023年上半年,全区完成投资5亿元。", "2023年上半年"),
        ("印发《规划(2021—2025年)》,覆盖12个村。", ""),
    ],
)
def test_extract_period(text, period):
    """A stated period is kept; a year inside a title is not one."""
    (indicator,) = extract_indicators(text)
    assert indicator.period == period


def test_extract_quote_is_the_clause_in_the_body():
    """Quote is the clause around the figure, and body[start:end] is the quote."""
    body = "一是强化宣传。  全年发放宣传册1.5万份,覆盖群众3万余人;成效明显。"
    found = extract_indicators(body)
    assert [i.quote for i in found] == ["全年发放宣传册1.5万份", "覆盖群众3万余人"]
    for indicator in found:
        assert body[indicator.start : indicator.end] == indicator.quote


def test_extract_whole_figure():
    """Value, unit, qualifier and the figure as written come through together."""
    (indicator,) = extract_indicators("组建志愿服务队150余支。")
    assert (indicator.value, indicator.unit, indicator.qualifier, indicator.figure) == (
        Decimal(150),
        "支",
        Qualifier.MORE_THAN,
        "150余支",
    )


@pytest.mark.parametrize(
    "text",
    [
        "2023年全县持续推进创建工作。",  # year
        "发布时间:2023-02-17 17:00:27",  # date and time
        "今年6月获得命名。",  # month
        "印发《发展规划(2021—2025年)》。",  # year range in a title
        "实施2021—2025年行动计划。",  # year range
        "荣获第5批示范区命名,举办第11届运动会。",  # ordinals
        "进入全国前10名。",  # rank
        "开通56路民族团结公交线路。",  # route number
        "推广“12345”工作法和“520”集体婚礼。",  # quoted codes
        "构建“1+8+27”政策体系。",  # slogan
        "创建“3个结合”工作机制。",  # short quoted slogan
        "制作H5作品。",  # H5
        "建设5G基站。",  # 5G
        "联系电话:0471-6945123、13912345678",  # phone numbers
        "京ICP备12345678号",  # ICP number
        "邮编:010010",  # postal code
        "原文链接:http://www.example.gov.cn/art/2023/5/12/art_1229_5000人.html",  # URL
        "来源:example.gov.cn/news/t2023_100个.shtml",  # URL without a scheme
        "附件:img_2023.jpg",  # file name
        "索引号:/2024-07457",  # index number
        "国家AAAA级旅游景区",  # grade label
        "获评“2020中国最具魅力城市”。",  # name containing a year
        "请在30日内与本网联系。",  # deadline
        "开展五项行动,增强五个认同。",  # Chinese numerals
        "2024元宵节联欢,2023首批名单公布。",  # year before a word
        "坚持了1个多月。",  # duration
        "邮箱:abc123@163.com",  # e-mail
    ],
)
def test_extract_skips_non_quantities(text):
    """Dates, codes, ordinals, phone numbers, links and slogans are not indicators."""
    assert extract_indicators(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("易地搬迁群众12户45人全部稳定就业。", [("12", "户"), ("45", "人")]),
        ("帮扶困难家庭8户、23人。", [("8", "户"), ("23", "人")]),
        ("结对认亲5户12人,开展活动3次。", [("5", "户"), ("12", "人"), ("3", "次")]),
    ],
    ids=["glued", "with-mark", "then-another"],
)
def test_paired_figures_give_both(text, expected):
    """A household count and a head count written together (12户45人) are two indicators."""
    assert [(str(i.value), i.unit) for i in extract_indicators(text)] == expected


@pytest.mark.parametrize(
    ("text", "figure", "unit", "label"),
    [
        ("全村养殖骆驼500峰,放养鸽子1200羽。", "500峰", "峰", "骆驼"),
        ("全村养殖骆驼500峰,放养鸽子1200羽。", "1200羽", "羽", "鸽子"),
        ("投放鱼苗10万尾。", "10万尾", "尾", "鱼苗"),
        ("发放帐篷40顶、棉被200床。", "40顶", "顶", "帐篷"),
        ("新打机井12眼,修建水窖30口。", "12眼", "眼", "机井"),
    ],
)
def test_unlisted_measure_word_is_learned_from_where_it_stands(text, figure, unit, label):
    """One character after a number that closes the clause or precedes a figure is a measure."""
    by_figure = {i.figure: i for i in extract_indicators(text)}
    assert figure in by_figure, by_figure
    assert (by_figure[figure].unit, label in by_figure[figure].label) == (unit, True)


@pytest.mark.parametrize(
    "text",
    [
        "拨打12345热线反映诉求。",
        "90后青年志愿者踊跃参加。",
        "在3楼会议室召开推进会。",
        "连续3年开展结对活动。",
        "乘坐56路公交车前往。",
        "60岁老人参加合唱。",
        "他扎根边疆30余载,初心不改。",
        "会议于10点,在礼堂举行。",
    ],
    ids=["hotline", "generation", "floor", "years", "bus-line", "age", "years-literary", "clock"],
)
def test_numbers_before_ordinary_words_are_not_learned_measures(text):
    """A number before a word, an ordinal, an age or a duration is no figure."""
    assert extract_indicators(text) == ()


def test_learned_measure_word_counts_again_before_its_noun():
    """Once the text uses 峰 as a measure word, 500峰骆驼 counts too."""
    text = "全旗骆驼存栏3000峰。新建500峰骆驼养殖基地。"
    assert [i.figure for i in extract_indicators(text)] == ["3000峰", "500峰"]


@pytest.mark.parametrize(
    ("text", "figure", "label"),
    [
        ("总投资500万元的民族团结广场建成。", "500万元", "总投资"),
        ("占地面积1200平方米的活动中心投入使用。", "1200平方米", "占地面积"),
        ("建成96家的新时代文明实践中心。", "96家", "新时代文明实践中心"),
    ],
)
def test_label_is_the_side_of_the_number_that_names_the_measure(text, figure, label):
    """An amount takes the measure before it (总投资), a count the noun it counts."""
    by_figure = {i.figure: i for i in extract_indicators(text)}
    assert by_figure[figure].label == label


@pytest.mark.parametrize(
    "text",
    ["乌海市已120户。", "内蒙古自治区赤峰市累计120户。", "全市已经120户。"],
    ids=["city-adverb", "full-place", "adverb-only"],
)
def test_no_label_is_a_bare_place_name_or_ends_in_an_adverb(text):
    """A label that would be only a place name or an adverb stub is left empty."""
    (indicator,) = extract_indicators(text)
    assert indicator.label == ""
