"""Is an initiative concrete or a slogan, and which quoted brand names does it use? No Django.

Kind: an initiative is `concrete` when its text names something done or findable:
a figure (any Arabic digit), a named document (《…》), a brand (below), an action
verb that produces something (开展, 举办, 建立, 印发, 走访 …) or a facility noun
(驿站, 基地, 公园, 馆 …). Otherwise it is a `slogan`: principle verbs only
(坚持, 强化, 推进, 落实, 提升 …), e.g. "坚持高位推动。强化组织领导,压实主体责任。"

Brands: a phrase in Chinese double quotes is a brand when it looks like a name and
something says it names an initiative:
- looks like a name: 2 to 16 characters, no punctuation (a list or a sentence: “突出主线、
  融入中心”), no 的, no digit and no leading number word (numbered policy formulas:
  “三交”, “五个认同”, “九进九促”, “1+6”), no policy-doctrine word (意识, 认同, 主线 …),
  and not inside a book title (《关于开展“…”活动的通知》 names a document);
- names an initiative: it ends with a carrier noun (“红石榴驿站”, “石榴同心杯”), or a
  carrier noun follows the closing quote within the same phrase (“红石榴”宣讲团,
  “微中国游览”“小石榴籽看乌海”等品牌活动 - every quote of such a run counts), or a
  naming verb stands right before it (打造/建立/标识“柳北石榴红”).
Rhetorical quotes in headings (“新站位”, “不缺位”, “同心圆”) have none of these and are
left out.
"""

from __future__ import annotations

import re

from ingest.types import InitiativeKind

_ACTION = re.compile(
    r"开展|举办|举行|召开|组建|建立|建成|新建|成立|设立|打造|搭建|制定|出台|印发|发布|"
    r"推出|开设|开通|投入|安排|拨付|选树|命名|表彰|评选|创作|拍摄|制作|刊登|刊发|播放|编印|"
    r"走访|慰问|培训|签订|结对|招募|吸纳|改造|上线|征集|发放|资助|帮扶|调解|排查"
)
_FACILITY = re.compile(
    r"驿站|基地|公园|广场|[展陈纪博体][览列念物验]?馆|议事厅|服务站|服务中心|活动室|书屋|专线|线路"
)

_CARRIER = (
    r"驿站|之家|议事厅|志愿服务队|服务队|宣讲团|宣讲队|工作室|大讲堂|讲堂|课堂|品牌|活动|行动|工程|"
    r"计划|项目|杯|大赛|赛|节|专线|线路|平台|小程序|服务中心|服务站|服务点|服务角|基地|书屋|"
    r"广场|公园|馆|栏目|专栏|系列"
)
_ENDS_WITH_CARRIER = re.compile(rf"(?:{_CARRIER})$")
# after the closing quote: optional further quotes and 等, then up to 16 characters of one
# phrase, then the carrier ("“和美乌海”全市民族团结进步创建群众性系列活动")
_CARRIER_AFTER = re.compile(
    rf"(?:“[^“”]{{1,16}}”|、)*等?[^，。、；：！？“”《》\s,;:!?]{{0,16}}?(?:{_CARRIER})"
)
_NAMING_BEFORE = re.compile(r"(?:打造|建立|创建|创立|推出|设立|成立|标识|品牌|命名为|叫响)$")
_QUOTE = re.compile(r"“([^“”\n]{1,40})”")
_NOT_A_NAME = re.compile(
    r"[，。、；：！？,;:!?—\-+\s的0-9０-９]|^[一二三四五六七八九十百两]|意识|认同|主线|共同体|离不开"
)


def initiative_kind(text: str, brands: tuple[str, ...] = ()) -> InitiativeKind:
    """Concrete when the text names an action, figure, document, facility or brand; else slogan."""
    concrete = (
        bool(brands)
        or re.search(r"[0-9０-９]|《", text) is not None
        or _ACTION.search(text) is not None
        or _FACILITY.search(text) is not None
    )
    return InitiativeKind.CONCRETE if concrete else InitiativeKind.SLOGAN


def brands(text: str) -> tuple[str, ...]:
    """Quoted brand names in `text`, in order of first use, each once (see module doc)."""
    found: list[str] = []
    for quote in _QUOTE.finditer(text):
        name = quote[1]
        if name in found or not _is_name(name) or _inside_book_title(text, quote.start()):
            continue
        if (
            _ENDS_WITH_CARRIER.search(name)
            or _CARRIER_AFTER.match(text, quote.end())
            or _NAMING_BEFORE.search(text, 0, _run_start(text, quote.start()))
        ):
            found.append(name)
    return tuple(found)


def _is_name(name: str) -> bool:
    return 2 <= len(name) <= 16 and _NOT_A_NAME.search(name) is None


def _inside_book_title(text: str, at: int) -> bool:
    before = text[:at]
    return before.rfind("《") > before.rfind("》")


def _run_start(text: str, at: int) -> int:
    """Where a run of adjacent quotes (“甲”“乙”) that ends at `at` begins."""
    while at > 0 and text[at - 1] == "”":
        opening = text.rfind("“", 0, at - 1)
        if opening < 0:
            break
        at = opening
    return at
