"""Rules for figures the unit list does not know and for labels that are no labels.

A measure word the list lacks (峰, 羽, 尾 …) is learned from where it stands: one
Chinese character right after a number, closing the clause or followed by another
figure, and not one of the characters that follow numbers without counting anything
(dates, ages, ordinals, grammar). A label is no label when it is only a place name
or ends in an adverb cut off from its verb.
"""

from __future__ import annotations

import re
from functools import cache

# Characters that follow a number without being a measure word: time and age, ranks and
# ordinals, multipliers, and grammar words.
_NOT_MEASURE = frozenset(
    "年月日号时分秒天周岁后前内外上下中左右余多万亿千百十兆的了是在和与及等为到至以或比"
    "届级层楼版路线型式代折成强佳大小高低新旧度将被把让使向对从由于即则并且又也还就都共"
    "均各每达超近约增减降升涨跌占较加乘除去来起止末初底码载旬秩纪夜晚早午点刻优"
)
_CLAUSE_END = frozenset(",,。;;、::!!??))]】 \t\n")
_ADVERB_TAIL = re.compile(
    r"(?:已经|已|还|共|又|再|都|均|仅|就|也|将|正|曾|才|总共|共计|合计|累计|分别|先后|陆续|相继"
    r"|逐步|不断|持续|依次|各|再次|首次|新|全部|一共)+$"
)


def is_learnable_measure(char: str) -> bool:
    """True for a Chinese character that may be a measure word nobody listed (峰, 羽, 尾)."""
    return len(char) == 1 and "\u4e00" <= char <= "\u9fff" and char not in _NOT_MEASURE


def stands_as_measure(text: str, start: int, unit_end: int, learned: set[str]) -> bool:
    """True when the character before `unit_end` is used as a measure word at this place.

    The number must follow a Chinese word (what is counted: 骆驼500峰), and the
    character must close the clause, precede another figure (牛30头羊50峰), or be one
    this text already uses as a measure word elsewhere.
    """
    unit = text[unit_end - 1]
    if not is_learnable_measure(unit) or start == 0 or not "\u4e00" <= text[start - 1] <= "\u9fff":
        return False
    following = text[unit_end : unit_end + 1]
    return not following or following in _CLAUSE_END or following.isdigit() or unit in learned


def strip_adverbs(label: str) -> str:
    """The label without adverbs it ends in (某县已 -> 某县); "" when nothing else is left."""
    return _ADVERB_TAIL.sub("", label)


@cache
def _place_names() -> frozenset[str]:
    from ingest.divisions import load_divisions

    names = set()
    for division in load_divisions():
        names.add(division.name)
        if len(division.short_name) >= 2:
            names.add(division.short_name)
    return frozenset(names)


def is_place_name(label: str) -> bool:
    """True when the label is nothing but place names (乌海市, 内蒙古自治区赤峰市)."""
    names = _place_names()
    rest = label
    while rest:
        for size in range(min(len(rest), 12), 1, -1):
            if rest[:size] in names:
                rest = rest[size:]
                break
        else:
            return False
    return bool(label)


# Label vocabulary used by ingest.quantities.
# Verbs that introduce the thing counted: the label starts after the last of them.
VERB = (
    r"组织开展|开展了?|举办了?|举行了?|召开了?|发布了?|发送了?|征集了?|组建了?|建立了?|建成了?"
    r"|打造了?|培育了?|推出了?|设立了?|成立了?|实施了?|安排了?|投入了?|发放了?|培训了?"
    r"|吸纳了?|辐射|惠及|带动|签订了?|新建了?|改造了?|开设了?|开通了?|设置了?|培养了?"
    r"|吸引了?|接待了?|选树了?|命名了?|表彰了?|评选出?|创建了?|认定了?|建设了?|下辖|覆盖"
    r"|拥有|共有|现有|发挥|细化|实化|结合|涌现出?|制作了?|拍摄了?|编印了?|印发了?|刊发了?"
    r"|播出了?|走访了?|慰问了?|帮扶了?|资助了?|调解了?|排查了?|受理了?|办理了?|解决了?"
    r"|提供了?|动员了?|选派了?|招募了?|新增了?|实现了?|累计|共计|养殖了?|饲养了?|放养了?"
    r"|种植了?|流转了?|拨付了?|筹集了?|购置了?|配备了?|捐赠了?|发展了?"
)
VERB_RE = re.compile(VERB)
ENDS_WITH_LINK = re.compile(rf"(?:{VERB}|的|等|以及|及|和|与|同|向|有|了|对|为)$")
# A cut that would leave a noun suffix behind ("覆盖|率") is no cut.
NOUN_SUFFIX = tuple("率量数额面度总者员")
LEAD = re.compile(
    r"^(?:[、,和及与并]|以及|其中|另外|此外|同时|全市|全区|全县|全旗|全州|全盟|全省|全国|全网|全镇"
    r"|全乡|我市|我区|我县|我旗|我州|我省|本市|本区|本县|辖区内?|共计|共有|累计|先后|相继|陆续"
    r"|已经|已|还|共|又|再|都|分别|优先|充分|积极|扎实|大力|全面|深入|广泛|持续|不断|率先)+"
)
TAIL = re.compile(
    r"(?:提高至|提升至|提高到|提升到|增加到|增加至|增长到|增至|达到|保持在|稳定在|控制在|完成|实现|累计|共计"
    r"|合计|共有|拥有|已达|达|为|是|至|共|有|了|的|等|、|以及)+$"
)
AFTER_VERB = re.compile(
    r"^(?:分别|共同|参与|参加|获|开展|签订|惠及|覆盖|带动|实现|完成|达|同比|比|较|增长|下降|占"
    r"|累计|共|受|被|得到|入选|荣获|展示|提高|提升|增加|减少|降低|上升)"
)
# Rates that belong to the measure before them: "地区生产总值…、增速6.7%".
RELATIVE = re.compile(
    r"^(?:同比|环比|比上年|较上年|年均)?(?:增速|增长|增幅|下降|提高|提升|占比|比重)率?$"
)
FUNCTION_ONLY = frozenset("同与和向对在为有共及的等将")
LABEL_MAX = 30
