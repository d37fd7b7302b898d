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

# Unambiguous chrome wherever it stands.
_CHROME_ANYWHERE = re.compile(
    r"欢迎(?:访问|来到|光临)|当前位置|您(?:现在)?的位置|首页\s*(?:>|»|/)|"
    r"ICP[备证]|公网安备|网站标识码|网站识别码|版权所有|Copyright|©|"
    r"Command\s*\+\s*[SD]|Ctrl\s*\+\s*[SD]|加入收藏|设为首页|打印本页|关闭窗口|打印此页|"
    r"【\s*(?:打印|关闭|收藏|返回顶部|大|字号)|\[\s*(?:打印|关闭)\s*\]|"
    r"字号\s*[::]?\s*(?:\[|【)?\s*大|分享到|扫一扫|返回顶部|"
    r"^(?:上|下)一(?:篇|条|页|则)\s*[::]?|^(?:\[|【)?免责声明|^本(?:站|网)|^相关(?:新闻|阅读|文章|链接)\s*[::]?$",
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
_IMAGE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|bmp|webp|tiff?)$", re.I)
# Footer lines: contacts, addresses, site operators. Only for short lines that are not sentences.
_FOOTER = re.compile(
    r"(?:电话|热线|传真|邮箱|E-?mail|QQ|邮编|微信号)\s*[::]|^地址\s*[::]|"
    r"\d{3,4}-\d{7,8}|[\w.+-]+@[\w-]+\.[\w.]+|(?:主办|承办|主管|协办)(?:单位)?\s*(?:[::|]|$)|"
    r"\S\s+(?:主办|承办|主管|维护)(?:\s|$)|技术支持|(?:路|街|巷|胡同|大道)\d+号|"
    r"^(?:字号|字体)\s*[::]|^[大中小\s]{3,}$|^(?:打印|关闭|分享|收藏)$",
    re.I,
)


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
    if _CHROME_ANYWHERE.search(text) or _CREDIT.match(text) or _IMAGE_NAME.match(text):
        return Kind.CHROME
    short = len(text) <= 120 and not text.endswith(("。", "!", "?"))
    if short and (_FOOTER.search(text) or _STAT_WIDGET.search(text)):
        return Kind.CHROME
    if re.fullmatch(r"[((\[【]?\s*(?:责任编辑|编辑|作者)[^))\]】]*[))\]】]", text):
        return Kind.CHROME
    return Kind.BODY


def is_paragraph(line: str) -> bool:
    """True for a line of running text (a sentence), not a heading or label."""
    text = line.strip()
    return len(text) >= 60 or (len(text) >= 15 and "。" in text)


def header_end(lines: list[str], kinds: list[Kind]) -> int:
    """Index after the page header: the lines above the article among metadata.

    The header is everything before the first paragraph, provided a metadata
    line occurs there (otherwise the first lines may be the article's headings).
    """
    last_meta = -1
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind is Kind.BODY and is_paragraph(line):
            break
        if kind is Kind.META:
            last_meta = i
    return last_meta + 1


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


def clean(text: str) -> Cleaned:
    """Split page text into the article body and its metadata lines."""
    lines = text.split("\n")
    kinds = [classify(line) for line in lines]
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
