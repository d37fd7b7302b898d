"""Page chrome and repeated bodies out; metadata lines kept aside.

Each line is classified as chrome (dropped), metadata (kept in
`Cleaned.meta_lines`) or body. Lines above the article that sit among
metadata (the headline) are metadata too. A body the page repeats is kept once.
"""

from __future__ import annotations

import re
from enum import Enum

from ingest.types import Cleaned


class Kind(Enum):
    """What a line of a scraped page is."""

    BODY = "body"
    META = "meta"
    CHROME = "chrome"


_BULLET = re.compile(r"^[\s•·●◆■□▪▶►>\-*]+")
META_LABELS = (
    "信息来源|稿件来源|文章来源|新闻来源|来源|发布日期|发布时间|发布机构|发文机构|发文日期|成文日期|"
    "公开日期|更新时间|更新日期|日期|时间|原文链接|原文地址|原文网址|索引号|发文字号|文号|"
    "主题分类|信息分类|标题|有效性|废止日期"
)
_META_LINE = re.compile(rf"^[(\[【]?(?:{META_LABELS})\s*[:|]")
# Portal tables are scraped as `label | value | label | value | ||`.
_TABLE_LABELS = re.compile(
    rf"^(?:{META_LABELS}|概述|摘要|名称|主题词|体裁分类|组配分类|服务对象|生成日期)$"
)

# Unambiguous chrome wherever it stands. The look-ahead names every alternative's first
# character, so the engine passes over other characters with one test (four times faster).
_CHROME_ANYWHERE = re.compile(
    r"(?=[欢当您首I公网版C©加设打关【\[字分扫返上下免本相])(?:"
    r"欢迎(?:访问|来到|光临)|当前位置|您(?:现在)?的位置|首页\s*(?:>|»|/)|"
    r"ICP[备证]|公网安备|网站标识码|网站识别码|版权所有|Copyright|©|"
    r"Command\s*\+\s*[SD]|Ctrl\s*\+\s*[SD]|加入收藏|设为首页|打印本页|关闭窗口|打印此页|"
    r"【\s*(?:打印|关闭|收藏|返回顶部|大|字号)|\[\s*(?:打印|关闭)\s*\]|"
    r"字号\s*[::]?\s*(?:\[|【)?\s*大|分享到|扫一扫|返回顶部|"
    r"^(?:上|下)一(?:篇|条|页|则)\s*[::]?|^(?:\[|【)?免责声明|^本(?:站|网)|^相关(?:新闻|阅读|文章|链接)\s*[::]?$)",
    re.I,
)
# Editorial credits: 编辑:于某 / 责任编辑 / 初审 复审 终审 / 审核 / 校对 …
_CREDIT = re.compile(
    r"^[(\[【]?\s*(?:责任编辑|值班编辑|网络编辑|编辑|责编|美编|初审|复审|终审|审核|审校|审签|"
    r"校对|签发|监制|主编|编审|一审|二审|三审|撰稿|摄影|记者|作者)\s*[::]"
)
_STAT_WIDGET = re.compile(
    r"(?:点击(?:量|数|率)?|浏览(?:次数|量)?|阅读(?:次数|量)?|访问量|访问次数)\s*[::]"
)
# Photo captions: "图为…", "▲…", "…(王某 摄)".
_CAPTION = re.compile(r"^(?:图为|图片为|图\s*[::/]|▲|△)|[((][^()()]{0,24}摄(?:影)?\s*[))]$")
_IMAGE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|bmp|webp|tiff?)$", re.I)
# Footer lines: contacts, addresses, site operators. Only for short lines that are not sentences.
_FOOTER = re.compile(
    r"(?:电话|热线|传真|邮箱|E-?mail|QQ|邮编|微信号)\s*[::]|^地址\s*[::]|"
    r"\d{3,4}-\d{7,8}|[\w.+-]+@[\w-]+\.[\w.]+|(?:主办|承办|主管|协办)(?:单位)?\s*(?:[::|]|$)|"
    r"\S\s+(?:主办|承办|主管|维护)(?:\s|$)|技术支持|(?:路|街|巷|胡同|大道)\d+号|"
    r"^(?:字号|字体)\s*[::]|^[大中小\s]{3,}$|^(?:打印|关闭|分享|收藏)$",
    re.I,
)


# A byline: a short line giving the date together with a source, author or site name.
_DATE_IN_LINE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)")
# What may stand around a date on a line of its own: brackets, 日, a weekday.
_ONLY_DATE = re.compile(
    r"[\s(\[【(]*\|\s*日?\s*(?:星期[一二三四五六日天]|周[一二三四五六日])?[\s)\]】)]*"
)
_TIME_AFTER = re.compile(r"^\s*日?\s*\d{1,2}:\d{2}")
_BYLINE_MARK = re.compile(
    r"[|丨｜]|\s{2,}|(?:来源|发布|作者|记者|编辑|通讯员|点击|浏览|阅读)\s*(?:[::]|时间|日期|者)"
)
# Compiled once: a module-level re call looks its pattern up in re's cache every time.
_SENTENCE_MARK = re.compile(r"[。!?]")
_MENU_SEPARATORS = re.compile(r"[\s|丨｜/]+")
_CLAUSE_MARK = re.compile(r"[,,。;;]")
_CREDIT_IN_BRACKETS = re.compile(r"[((\[【]?\s*(?:责任编辑|编辑|作者)[^))\]】]*[))\]】]")
# Numbered article headings (一、 (一) 1. ①): never a headline.
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、是]|[((][一二三四五六七八九十\d]{1,3}[))]|\d{1,2}[.、．]|[①-⑳])"
)


_CN_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十]{1,3}[))])\S"
)
# A block of links under the article: its heading line and the short lines after it.
_LINK_BLOCK = re.compile(
    r"^(?:推荐阅读|相关(?:新闻|阅读|文章|链接|报道|推荐)|延伸阅读|热点推荐|热门(?:文章|推荐|新闻)|"
    r"精彩推荐|猜你喜欢|往期回顾|更多(?:新闻|阅读|精彩)|推荐文章|今日推荐)\s*[::]?$"
)


def is_byline(text: str) -> bool:
    """True for a short line with a date and a time, source, author or separator (a byline)."""
    if len(text) > 150 or _SENTENCE_MARK.search(text):
        return False
    for m in _DATE_IN_LINE.finditer(text):
        rest = text[m.end() :]
        if _TIME_AFTER.match(rest) or _BYLINE_MARK.search(text):
            return True
        if _ONLY_DATE.fullmatch(text[: m.start()] + "|" + rest):  # a line that is only a date
            return True
    return False


def _is_menu(text: str) -> bool:
    """A navigation bar: four or more short items split by spaces or bars, no sentence."""
    items = [item for item in _MENU_SEPARATORS.split(text) if item]
    return len(items) >= 4 and all(len(i) <= 6 for i in items) and not _CLAUSE_MARK.search(text)


def strip_bullet(line: str) -> str:
    """The line without list bullets and surrounding spaces."""
    return _BULLET.sub("", line).strip()


def is_table_meta(line: str) -> bool:
    """True for a portal metadata table row (`标 题 | … | ||`)."""
    if "|" not in line:
        return False
    first = line.split("|", 1)[0].replace(" ", "")
    return bool(_TABLE_LABELS.match(first))


def classify(line: str) -> Kind:
    """Classify one line of page text as body, metadata or chrome."""
    text = strip_bullet(line)
    if not text:
        return Kind.CHROME
    compact = text.replace(" ", "")
    if (len(text) <= 150 and _META_LINE.match(compact)) or is_table_meta(text):
        return Kind.META
    if is_byline(text):
        return Kind.META
    if _CN_HEADING.match(text):  # "二、强化技术支持" is a heading, whatever words it uses
        return Kind.BODY
    if _CHROME_ANYWHERE.search(text) or _CREDIT.match(text) or _IMAGE_NAME.match(text):
        return Kind.CHROME
    if _is_menu(text):
        return Kind.CHROME
    if len(text) <= 150 and _CAPTION.search(text):
        return Kind.CHROME
    short = len(text) <= 120 and not text.endswith(("。", "!", "?"))
    if short and (_FOOTER.search(text) or _STAT_WIDGET.search(text)):
        return Kind.CHROME
    if _CREDIT_IN_BRACKETS.fullmatch(text):
        return Kind.CHROME
    return Kind.BODY


def is_paragraph(line: str) -> bool:
    """True for a line of running text (a sentence), not a heading or label."""
    text = line.strip()
    return len(text) >= 60 or (len(text) >= 15 and "。" in text)


def header_end(lines: list[str], kinds: list[Kind]) -> int:
    """Index after the page header: the lines above the article among metadata.

    The header is everything before the first paragraph, provided a metadata
    line occurs there; without one, only a headline standing alone above the
    article (otherwise the first lines may be the article's headings).
    """
    last_meta = -1
    first_paragraph = len(lines)
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is Kind.BODY and is_paragraph(line):
            first_paragraph = i
            break
        if kind is Kind.META:
            last_meta = i
    if last_meta >= 0:
        return last_meta + 1
    # short lines (menu words, column names) may stand above the headline too
    top = [i for i in range(first_paragraph) if kinds[i] is Kind.BODY and len(lines[i].strip()) > 6]
    if any(NUMBERED.match(strip_bullet(lines[i])) for i in range(first_paragraph)):
        return 0
    if top and len(top) <= 3 and any(is_headline(lines, kinds, i, first_paragraph) for i in top):
        return first_paragraph
    return 0


def is_headline(lines: list[str], kinds: list[Kind], index: int, first_paragraph: int) -> bool:
    """True when the top line, without metadata under it, reads as the page's headline.

    A programme heading opening the article looks alike; it gives itself away by a
    number, or by a comma shared with further heading lines below it.
    """
    text = strip_bullet(lines[index])
    if first_paragraph >= len(lines) or NUMBERED.match(text) or not looks_like_title(text):
        return False
    if not re.search(r"[,,]", text):
        return True
    later = [
        strip_bullet(line)
        for line, kind in zip(lines[first_paragraph:], kinds[first_paragraph:], strict=True)
        if kind is Kind.BODY and line.strip() and not is_paragraph(line)
    ]
    return not any(4 <= len(line) <= 40 for line in later)


# Not headlines: breadcrumbs, menus, site names, link blocks and photo captions.
_NOT_TITLE = re.compile(
    r"[>»›→]|^(?:首页|主页|网站首页)|^(?:推荐|相关|热点|热门|最新|精彩|延伸|猜你|更多|往期|专题|"
    r"图片|视频|今日)(?:阅读|新闻|文章|链接|报道|推荐|动态|资讯|喜欢|回顾|专栏|[::])|^(?:上一|下一)[篇条]"
    r"|^(?:图为|图片|图:|图/|▲|△)|[((]\s*(?:摄|图)|摄\s*[))]?$|"
    r"(?:网|网站|门户|频道|客户端|官网|政府|日报|晚报|在线|公众号|之窗|之声)$"
)


def looks_like_title(text: str) -> bool:
    """True for a line that may be a headline: 6-80 characters, no sentence, not page furniture."""
    text = text.strip()
    if not 6 <= len(text) <= 80 or is_paragraph(text) or _NOT_TITLE.search(text):
        return False
    if is_byline(text):  # a date line
        return False
    words = text.split()
    return not (len(words) >= 3 and all(len(w) <= 6 for w in words))  # a menu


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def drop_repeats(lines: list[str]) -> list[str]:
    """Drop runs of lines that repeat earlier lines (a page showing the body twice)."""
    seen: set[str] = set()
    repeated: list[bool] = []
    for line in lines:
        key = _key(line)
        repeated.append(bool(key) and key in seen)
        if key:
            seen.add(key)
    keep = [True] * len(lines)
    i = 0
    while i < len(lines):
        if not repeated[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and (repeated[j] or not _key(lines[j])):
            j += 1
        run = [line for line in lines[i:j] if _key(line)]
        if len(run) >= 2 or sum(len(line) for line in run) >= 30:
            keep[i:j] = [False] * (j - i)
        i = j
    return [line for line, k in zip(lines, keep, strict=True) if k]


def _tidy(lines: list[str]) -> str:
    text = "\n".join(line.strip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _drop_link_blocks(lines: list[str], kinds: list[Kind]) -> list[Kind]:
    """Mark a 推荐阅读/相关新闻 block chrome: its heading and the short lines up to a paragraph."""
    kinds = list(kinds)
    in_block = False
    for i, line in enumerate(lines):
        text = strip_bullet(line)
        if _LINK_BLOCK.match(text):
            in_block = True
        elif in_block and is_paragraph(text):
            in_block = False
        if in_block:
            kinds[i] = Kind.CHROME
    return kinds


def line_kinds(text: str) -> list[Kind]:
    """The kind of each line of `text` (split at "\\n"): computed once, read by `clean` and meta."""
    return [classify(line) for line in text.split("\n")]


def clean(text: str, kinds: list[Kind] | None = None) -> Cleaned:
    """Split page text into the article body and its metadata lines (`kinds`: its `line_kinds`)."""
    lines = text.split("\n")
    kinds = _drop_link_blocks(lines, line_kinds(text) if kinds is None else kinds)  # a copy
    start = header_end(lines, kinds)
    meta: list[str] = []
    body: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is Kind.META or (i < start and kind is Kind.BODY):
            meta.append(strip_bullet(line))
        elif kind is Kind.BODY:
            body.append(line)
        elif not line.strip():
            body.append("")
    return Cleaned(body=_tidy(drop_repeats(body)), meta_lines=tuple(meta))
