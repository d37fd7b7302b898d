"""One written figure -> value, unit and qualifier: the pattern that finds figures in text.

`10万余人` is 100000 people, "more than"; `363.1亿元` is 36310000000 yuan. Units are a
listed measure word or one Chinese character that may be a measure word nobody listed
(ingest/label_rules.py decides). All arithmetic is `Decimal`. Used by quantities.py,
which finds figures in a whole body, and by measures.py.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal

from ingest.label_rules import is_learnable_measure
from ingest.types import Figure, Qualifier

# One character in, one character out, so offsets in the folded copy are offsets in the body.
FOLD = str.maketrans(
    "個萬億餘約項場條戶處臺輛張組對種間隻頭噸節門類畝裏過於將屆點學時課冊筆圓幣噸棟為達"
    "０１２３４５６７８９．％（），：；",
    "个万亿余约项场条户处台辆张组对种间只头吨节门类亩里过于将届点学时课册笔圆币吨栋为达"
    "0123456789.%(),:;",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Percentages, money and physical measures; the rest are counts of things (classifiers).
MEASURE_UNITS = frozenset(
    _words(
        """% ‰ 个百分点 百分点 倍 元 美元 平方公里 平方千米 平方米 立方米 千瓦时 公顷 公里 千米
        千克 公斤 千瓦 亩 米 吨 斤 小时 课时 学时"""
    )
)
_CLASSIFIERS = _words(
    """场次 人次 户次 批次 架次 个 家 项 条 篇 场 次 人 名 位 户 所 支 处 座 间 套 份 册 本 部
    件 台 辆 张 幅 首 批 期 组 对 种 类 棵 株 头 只 匹 块 盏 艘 门 节 堂 轮 栋 岗 床"""
)
# Longest first so 场次 wins over 场 and 平方公里 over 公里.
_UNITS = sorted({*MEASURE_UNITS, *_CLASSIFIERS}, key=lambda unit: (-len(unit), unit))
_UNIT_RE = "|".join(map(re.escape, _UNITS))

# A unit character that begins a longer word is not a unit: 2024元宵, 2023首批, 3部门.
UNIT_WORDS = {
    "元": "旦宵素件器",
    "首": "批届府次个位",
    "部": "门分署长",
    "名": "单称义额录片字",
    "人": "民",
    "期": "间末限",
    "所": "有在属以",
    "处": "理置",
    "支": "持付出",
    "位": "于置",
    "本": "地次届级市区县",
    "次": "日年月",
    "场": "所景馆地",
    "台": "湾风阶",
    "家": "庭",
    "户": "外籍口",
    "条": "例款",
    "门": "户类票槛",
}

_MULTIPLIERS = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "十亿": 10**9,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "万": 10**4,
    "千": 10**3,
}

_QUALIFIER_WORDS = {
    "不超过": Qualifier.LESS_THAN,
    "不少于": Qualifier.AT_LEAST,
    "不低于": Qualifier.AT_LEAST,
    "至少": Qualifier.AT_LEAST,
    "超过": Qualifier.MORE_THAN,
    "突破": Qualifier.MORE_THAN,
    "高于": Qualifier.MORE_THAN,
    "将近": Qualifier.APPROX,
    "接近": Qualifier.APPROX,
    "大约": Qualifier.APPROX,
    "约为": Qualifier.APPROX,
    "不到": Qualifier.LESS_THAN,
    "不足": Qualifier.LESS_THAN,
    "约有": Qualifier.APPROX,
    "少于": Qualifier.LESS_THAN,
    "低于": Qualifier.LESS_THAN,
    "逾": Qualifier.MORE_THAN,
    "超": Qualifier.MORE_THAN,
    "约": Qualifier.APPROX,
    "近": Qualifier.APPROX,
    "余": Qualifier.MORE_THAN,
    "多": Qualifier.MORE_THAN,
    "以上": Qualifier.AT_LEAST,
    "左右": Qualifier.APPROX,
    "以下": Qualifier.LESS_THAN,
    "以内": Qualifier.LESS_THAN,
}
_AFTER_WORDS = ("余", "多", "以上", "左右", "以下", "以内")
_BEFORE_WORDS = "|".join(
    sorted((w for w in _QUALIFIER_WORDS if w not in _AFTER_WORDS), key=len, reverse=True)
)

# 约 and 近 end other words too: 节约, 签约, 附近, 最近.
_BEFORE_WORDS = _BEFORE_WORDS.replace("|约|", "|(?<![节签预公条制特合邀履违])约|").replace(
    "|近", "|(?<![附最临靠亲贴])近"
)

# A figure starts at a digit or at a qualifier before it. Saying so up front lets the
# engine skip every other character with one test instead of trying each qualifier (7x faster).
_FIGURE_START = "".join(
    sorted({w[0] for w in _QUALIFIER_WORDS if w not in _AFTER_WORDS} | set("0123456789"))
)

FIGURE = re.compile(
    rf"(?=[{_FIGURE_START}])"
    rf"(?P<pre>{_BEFORE_WORDS})?"
    # digits glued to letters, dots, dashes, slashes, @ or +, or after 第/前, are a code,
    # a date, an ordinal or a rank
    r"(?<![0-9A-Za-z._/\\\-+#@~×—–第前])(?<!第 )"
    r"(?P<num>[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?|0\.[0-9]+|[1-9][0-9]*(?:\.[0-9]+)?|0)"
    r"(?P<q1>余|多)?"
    r"(?P<mult>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千(?![米克瓦]))?"
    r"(?P<q2>余|多)?"
    # a listed unit, else one Chinese character that may be a measure word nobody listed
    rf"(?P<unit>{_UNIT_RE}|[\u4e00-\u9fff])"
    rf"(?P<alt>\((?:{_UNIT_RE})\))?"
    r"(?P<post>以上|左右|以下|以内)?"
    # "3个1" is a code, but "12户45人" is a pair of figures; "1个多月" is a duration
    rf"(?!(?![0-9]+(?:\.[0-9]+)?(?:万|千|亿)?(?:{_UNIT_RE}))[0-9]|[多余](?:小时|分钟|星期|周|月|天|年))"
)
KNOWN_UNITS = frozenset(_UNITS)


def parse_figure(written: str) -> Figure | None:
    """Read one figure such as "10万余人" or "约300个": value in base units, unit, qualifier."""
    written = written.strip()
    match = FIGURE.fullmatch(written.translate(FOLD))
    if match is None or not _known_or_learnable(match["unit"]):
        return None
    value = figure_value(match)
    return None if value is None else Figure(value, match["unit"], figure_qualifier(match), written)


# Figures at or above this are misreadings (digit runs, IDs), not quantities; the
# catalogue stores at most 18 integer digits.
MAX_VALUE = Decimal(10) ** 18
_EXACT = Context(prec=60)


def figure_value(match: re.Match[str]) -> Decimal | None:
    """The figure of a FIGURE match in base units (None when too large to be a quantity)."""
    value = Decimal(match["num"].replace(",", ""))
    if match["mult"]:
        value = _EXACT.multiply(value, _MULTIPLIERS[match["mult"]])
    if value >= MAX_VALUE:
        return None
    # 363.1亿 -> 36310000000, not 3.631E+10; 6.70 -> 6.7
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def figure_qualifier(match: re.Match[str]) -> Qualifier:
    """The qualifier a FIGURE match carries: 余/多/以上 after it, 约/超过 before it, or exact."""
    if match["pre"]:
        return _QUALIFIER_WORDS[match["pre"]]
    if match["post"]:
        return _QUALIFIER_WORDS[match["post"]]
    if match["q1"] or match["q2"]:
        return Qualifier.MORE_THAN
    return Qualifier.EXACT


def _known_or_learnable(unit: str) -> bool:
    return unit in KNOWN_UNITS or is_learnable_measure(unit)
