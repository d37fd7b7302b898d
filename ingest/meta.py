"""Title, publication date, sources and original URL from the page text.

Reads labelled lines (`来源:…`, `发布日期:…`), portal table rows
(`标 题 | … |`) and the headline above the article. A date is taken only
from a label or a line that is nothing but a date, never from a sentence.
"""

from __future__ import annotations

import re
from datetime import date

from ingest.clean import (
    META_LABELS,
    Kind,
    classify,
    header_end,
    is_byline,
    is_paragraph,
    looks_like_title,
    strip_bullet,
)
from ingest.types import Meta

# Labels that end a value when several fields share one line.
_FIELD = re.compile(
    rf"({META_LABELS}|点击量|点击数|点击|浏览次数|浏览量|阅读量|阅读次数|字号|责任编辑|编辑|作者|记者|通讯员|摄影)\s*[::]"
)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_LINE = re.compile(
    r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_URL = re.compile(r"https?://[^\s\"'<>()()]+")
# Lower rank wins: the publication date over a generic time over the drafting date.
_DATE_RANK = {
    "发布日期": 0,
    "发布时间": 0,
    "公开日期": 0,
    "发文日期": 0,
    "时间": 1,
    "日期": 1,
    "更新时间": 2,
    "更新日期": 2,
    "成文日期": 3,
    "发布于": 0,
    "发表于": 0,
    "发表时间": 0,
    "发稿时间": 0,
    "上传时间": 1,
    "录入时间": 1,
}
# A date label anywhere on a metadata line, with or without a colon: `…标题 发布时间:2023-05-06`.
# 时间 and 日期 alone end other labels too (活动时间, 截止日期): only standing alone are they ours.
_LABELLED_DATE = re.compile(
    "("
    + "|".join(sorted((k for k in _DATE_RANK if k not in ("时间", "日期")), key=len, reverse=True))
    + r"|(?<![\u4e00-\u9fff])时间|(?<![\u4e00-\u9fff])日期)\s*[::]?\s*[(\[【]?\s*(?=\d{4})"
)
_BARE_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)")
_BYLINE_RANK = 4  # an unlabelled date on the byline under the headline
_DATE_LINE_RANK = 5  # a line that is nothing but a date
_SOURCE_LABELS = ("来源", "信息来源", "稿件来源", "文章来源", "新闻来源", "发文机构", "发布机构")
_URL_LABELS = ("原文链接", "原文地址", "原文网址")
_BRACKETS = re.compile(r"^[\s()()\[\]【】]+|[\s()()\[\]【】]+$")
_HEADLINE = re.compile(r"^【[^】]{2,20}】\S")


def fields(lines: list[str], kinds: list[Kind] | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs from labelled lines and portal table rows, in order."""
    pairs: list[tuple[str, str]] = []
    kinds = kinds or [classify(line) for line in lines]
    for raw, kind in zip(lines, kinds, strict=True):
        line = strip_bullet(raw)
        if kind is not Kind.META:
            continue
        if "|" in line:
            pairs.extend(_table_fields(line))
            continue
        matches = list(_FIELD.finditer(line))
        for m, nxt in zip(matches, [*matches[1:], None][: len(matches)], strict=True):
            value = line[m.end() : nxt.start() if nxt else len(line)]
            pairs.append((m.group(1), _BRACKETS.sub("", value)))
    return pairs


def _table_fields(line: str) -> list[tuple[str, str]]:
    cells = [cell.strip() for cell in line.split("|")]
    labels = set(META_LABELS.split("|"))
    pairs = []
    for cell, value in zip(cells, [*cells[1:], ""], strict=True):
        label = cell.replace(" ", "")
        if label in labels and value.replace(" ", "") not in labels:
            pairs.append((label, value))
    return pairs


def parse_date(value: str) -> date | None:
    """The date a value starts with (2023-10-10, 2023/10/10, 2023年10月10日), if valid."""
    m = _DATE.match(value.strip())
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_published(
    lines: list[str], pairs: list[tuple[str, str]], kinds: list[Kind] | None = None
) -> date | None:
    """The publication date: best-ranked labelled date, else one on the byline, else a date line.

    Labels count anywhere on a metadata line or in the page header; an unlabelled date
    only on a byline above the article or on a line of its own. The body is never read.
    """
    kinds = kinds or [classify(line) for line in lines]
    header = header_end(lines, kinds)
    best: tuple[int, date] | None = None
    for label, value in pairs:
        rank = _DATE_RANK.get(label)
        found = parse_date(value) if rank is not None else None
        if found and (best is None or rank < best[0]):
            best = (rank, found)
    for i, raw in enumerate(lines):
        line = strip_bullet(raw)
        if not line or (kinds[i] is not Kind.META and (i >= header or is_paragraph(line))):
            signed = parse_date(line) if _DATE_LINE.match(line) else None
            if signed and best is None:  # a signature date under a notice
                best = (_DATE_LINE_RANK, signed)
            continue
        for rank, found in _line_dates(line, on_byline=i < header):
            # among unlabelled byline dates, the one nearest the article (lists come first)
            if best is None or rank < best[0] or rank == best[0] == _BYLINE_RANK:
                best = (rank, found)
    return best[1] if best else None


def _line_dates(line: str, *, on_byline: bool) -> list[tuple[int, date]]:
    """(rank, date) for each date a metadata line states."""
    found = []
    for m in _LABELLED_DATE.finditer(line):
        value = parse_date(line[m.end() :])
        if value:
            found.append((_DATE_RANK[m.group(1)], value))
    if _DATE_LINE.match(line):
        found.append((_DATE_LINE_RANK, parse_date(line)))
    elif on_byline and is_byline(line):
        for m in _BARE_DATE.finditer(line):
            value = parse_date(m.group(0))
            if value:
                found.append((_BYLINE_RANK, value))
                break
    return [(rank, value) for rank, value in found if value]


def find_sources(pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    """Publishing bodies named by source labels, de-duplicated in order."""
    found: list[str] = []
    for label, value in pairs:
        if label not in _SOURCE_LABELS:
            continue
        name = re.split(r"\s{2,}", _BARE_DATE.split(value)[0])[0].strip()  # no date after it
        name = re.sub(r"[,,;;。|]+$", "", name).strip()
        if name and not _URL.search(name) and len(name) <= 40 and name not in found:
            found.append(name)
    return tuple(found)


def find_url(pairs: list[tuple[str, str]]) -> str | None:
    """The original article URL: a 原文链接 label, else a source given as a URL."""
    for wanted in (_URL_LABELS, _SOURCE_LABELS):
        for label, value in pairs:
            m = _URL.search(value) if label in wanted else None
            if m:
                return m.group(0).rstrip(".,;")
    return None


def find_title(
    lines: list[str], pairs: list[tuple[str, str]], kinds: list[Kind] | None = None
) -> str | None:
    """The headline: a 标题 field, a line above the article, or a 【栏目】 line.

    The headline stands in the few lines right above the first byline or date line
    (else below it, else alone above the article); breadcrumbs, menus, site names,
    link blocks, captions and "——" subtitles are never one. A headline that shares
    its line with a date label (`某某 发布时间:…`) counts when no line above does.
    """
    for label, value in pairs:
        if label == "标题" and value:
            return value
    kinds = kinds or [classify(line) for line in lines]
    header = [
        (_without_site_name(strip_bullet(line)), kind)
        for line, kind in zip(lines[: header_end(lines, kinds)], kinds, strict=False)
        if line.strip()
    ]
    first_meta = next((i for i, (_, kind) in enumerate(header) if kind is Kind.META), len(header))
    above = [text for text, kind in header[:first_meta] if kind is Kind.BODY][-3:]
    below = [text for text, kind in header[first_meta:] if kind is Kind.BODY]
    shared = [_before_fields(text) for text, kind in header if kind is Kind.META]
    for group in (above, below, [text for text in shared if len(text) >= 8]):
        headlines = [text for text in group if _title_like(text)]
        # "——某某纪实" under the headline is its subtitle
        headlines = [t for t in headlines if not t.startswith(("—", "-"))] or headlines
        if headlines:
            return max(headlines, key=len)
    for line, kind in zip(lines, kinds, strict=True):
        if kind is Kind.BODY and line.strip():
            text = strip_bullet(line)
            return text if _HEADLINE.match(text) and _title_like(text) else None
    return None


# A page <title>: "headline_site" or "headline - site".
_SITE_SUFFIX = re.compile(
    r"^(.{6,}?)\s*[_|\-—–]+\s*[^_|\-—–\s]{2,24}"
    r"(?:网|网站|门户|政府|平台|频道|日报|晚报|之窗|在线|官网|客户端)$"
)


def _without_site_name(line: str) -> str:
    """A page title without the site name after it (某县举办活动_某县人民政府网 -> 某县举办活动)."""
    m = _SITE_SUFFIX.match(line)
    return m.group(1) if m else line


def _before_fields(line: str) -> str:
    """The text of a metadata line before its first label or date (a headline, if any)."""
    cuts = [m.start() for m in (_FIELD.search(line), _LABELLED_DATE.search(line)) if m]
    cuts += [m.start() for m in [_BARE_DATE.search(line)] if m]
    text = line[: min(cuts)] if cuts else ""
    return re.sub(r"[\s|丨｜/]+$", "", text)


def _title_like(line: str) -> bool:
    text = strip_bullet(line)
    return looks_like_title(text) and not _DATE_LINE.match(text)


def extract_meta(text: str, kinds: list[Kind] | None = None) -> Meta:
    """Title, publication date, sources and URL of a page, from the text as read.

    `kinds` is the text's `line_kinds`, when the caller has them already.
    """
    lines = text.split("\n")
    if kinds is None:
        kinds = [classify(line) for line in lines]  # once: every finder reads the same kinds
    pairs = fields(lines, kinds)
    return Meta(
        title=find_title(lines, pairs, kinds),
        published=find_published(lines, pairs, kinds),
        sources=find_sources(pairs),
        url=find_url(pairs),
    )


_TEMPORAL = re.compile(
    r"^(?:近年来|近年|近些年|今年以来|去年以来|\d{4}年以来|自[^,,]{1,12}以来|[^,,]{0,8}以来)[,,]?"
)
_SUBJECT = re.compile(
    r"^([\u4e00-\u9fff]{2,14}?(?:自治区|自治州|自治县|省|市|区|县|旗|盟|州|镇|乡|苏木|街道|社区|村))"
    r"(?:党委|政府|委员会)?(?:坚持|以|着眼|围绕|深入|聚焦|通过|把|将|全力|不断|持续|始终|立足|紧扣|"
    r"积极|扎实|大力|着力|创新|自觉|充分|认真|全面|牢牢|紧紧|在|按照|探索|结合|强化|推动|注重)"
)


def _topic(body: str) -> str:
    if "民族团结进步" in body:
        return "民族团结进步创建工作"
    if "中华民族共同体意识" in body:
        return "铸牢中华民族共同体意识工作"
    return "民族工作"


def derive_title(body: str, region_name: str | None = None) -> str:
    """A short descriptive title for a page without one: subject of the lead plus the topic."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    subject = None
    for lead in [line for line in lines if is_paragraph(line)][:2]:
        m = _SUBJECT.match(_TEMPORAL.sub("", lead.split("。")[0]))
        if m and not m.group(1).startswith("我"):
            subject = m.group(1)
            break
    subject = subject or region_name
    if subject:
        return f"{subject}{_topic(body)}"[:39]
    heading = next((line for line in lines if not is_paragraph(line) and len(line) >= 6), None)
    if heading:
        return heading[:39]
    return (re.split(r"[。;!?,]", lines[0])[0][:39] if lines else "") or _topic(body)
