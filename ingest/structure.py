"""Headings -> programmes -> initiatives, with offsets into the cleaned body.

Programme headings are found in this order of preference: `一、` numbered
lines, `(一)` numbered lines, short unnumbered heading lines (two adjacent
ones are one heading), lead sentences (`X为本,以Y聚共识。` opening a
paragraph), other numbered paragraphs. Initiatives come from an enumeration
(`一是…二是…`, `(一)`, `1.`, `①`) or, without one, one per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.types import ParsedInitiative, ParsedProgramme, Structure

_CN = "一二三四五六七八九十"
_CN_NUM = rf"[{_CN}]{{1,3}}"
# Enumeration schemes, outermost-looking first; group 1 is the number.
SCHEMES: dict[str, re.Pattern[str]] = {
    "cn": re.compile(rf"({_CN_NUM})、"),
    "paren_cn": re.compile(rf"[((]({_CN_NUM})[))]"),
    "shi": re.compile(rf"({_CN_NUM})(?:是|要|则|方面[,,]?)"),
    "paren_arabic": re.compile(r"[((](\d{1,2})[))]"),
    "arabic": re.compile(r"(\d{1,2})(?:[.、．](?!\d))"),
    "circled": re.compile(r"([①-⑳])"),
}
_BOUNDARY = "。;!?:,\n"
_SENTENCE_END = re.compile(r"[。!?;]")
_CLOSING = re.compile(
    r"^(?:下一步|下步|今后|接下来|未来|新征程上|站在新|如今|总之|总而言之|实践证明|回首|展望)"
)
_CLOSING_MAX = 16  # longer than any closing phrase above
_NOT_HEADING = re.compile(
    r"^(?:图为|图片|图:|▲|△|——|—|\(图|\(记者|\(通讯员)|摄\)?$|[::,,、;;…]$"
    # bylines, navigation and link blocks: never a programme
    r"|^(?:记者|通讯员|作者|编辑|责编|文/|图/|文图|来源|首页|当前位置|返回顶部|上一[篇条]|下一[篇条])"
    r"|^(?:推荐|相关|热点|热门|延伸|猜你|更多)(?:阅读|新闻|文章|链接|报道|推荐|喜欢|[::])"
    r"|[>»›]|(?:摄影?|供图)\s*[))]?$|[((][^()()]*摄[))]"
    r"|(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Heading:
    title: str
    start: int  # of the heading text
    first: int  # index of its first line
    last: int  # index of its last line
    content_start: int  # where its own text begins (after an inline title)


def cn_number(numeral: str) -> int:
    """Value of a small Chinese or Arabic numeral or circled digit: 十二 -> 12, ③ -> 3."""
    if numeral.isdigit() and numeral.isascii():
        return int(numeral)
    if len(numeral) == 1 and "①" <= numeral <= "⑳":
        return ord(numeral) - ord("①") + 1
    digits = {ch: i + 1 for i, ch in enumerate(_CN)}
    if "十" not in numeral:
        return digits.get(numeral, 0) if len(numeral) == 1 else 0
    tens, _, ones = numeral.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _lines(body: str) -> list[_Line]:
    found, pos = [], 0
    for raw in body.split("\n"):
        text = raw.strip()
        if text:
            start = pos + raw.index(text)
            found.append(_Line(start, start + len(text), text))
        pos += len(raw) + 1
    return found


def _numbered(text: str) -> tuple[str, int] | None:
    for scheme in ("cn", "paren_cn", "paren_arabic", "arabic", "circled", "shi"):
        m = SCHEMES[scheme].match(text)
        if m:
            return scheme, cn_number(m.group(1))
    return None


def _in_sequence(numbers: list[tuple[int, int]]) -> list[int]:
    """Indices whose numbers run 1, 2, 3 … (one missing number tolerated)."""
    kept, expected = [], 1
    for index, number in numbers:
        if number in (expected, expected + 1) and (kept or number == 1):
            kept.append(index)
            expected = number + 1
    return kept


def is_short_heading(text: str) -> bool:
    """True for a short line that is a heading rather than a sentence."""
    if not 4 <= len(text) <= 40 or "。" in text or "|" in text:
        return False
    if _NOT_HEADING.search(text) or _numbered(text):
        return False
    words = text.split()
    if len(words) >= 3 and all(len(word) <= 6 for word in words):  # a menu
        return False
    return not text.endswith(("!", "?"))


def _heading_title(line: _Line) -> tuple[str, int]:
    """Title of a numbered heading line and where its inline text starts."""
    m = _SENTENCE_END.search(line.text)
    if m and m.end() < len(line.text) and m.start() <= 60:
        return line.text[: m.start()], line.start + m.end()
    return line.text.rstrip("。;:"), line.end


def _numbered_headings(lines: list[_Line], scheme: str) -> list[_Heading]:
    numbers = []
    for i, line in enumerate(lines):
        found = _numbered(line.text)
        if found and found[0] == scheme:
            numbers.append((i, found[1]))
    kept = _in_sequence(numbers)
    if len(kept) < len(numbers) - 1:  # restarts: a nested list, unless one run is all headings
        kept = _heading_run(lines, numbers)
    if len(kept) < 2:
        return []
    headings = []
    for i in kept:
        title, content_start = _heading_title(lines[i])
        headings.append(_Heading(title, lines[i].start, i, i, content_start))
    return headings


def _heading_run(lines: list[_Line], numbers: list[tuple[int, int]]) -> list[int]:
    """Among restarting numbered lines, the short headings, if they alone run 1, 2, 3 …"""
    short = [(i, n) for i, n in numbers if len(lines[i].text) <= 40 and "。" not in lines[i].text]
    kept = _in_sequence(short)
    return kept if len(short) < len(numbers) and len(kept) == len(short) else []


def _short_headings(lines: list[_Line]) -> list[_Heading]:
    headings: list[_Heading] = []
    i = 0
    while i < len(lines) - 1:
        if not is_short_heading(lines[i].text):
            i += 1
            continue
        last = i + 1 if i + 2 < len(lines) and is_short_heading(lines[i + 1].text) else i
        title = " ".join(line.text for line in lines[i : last + 1])
        headings.append(_Heading(title, lines[i].start, i, last, lines[last].end))
        i = last + 1
    return headings if len(headings) >= 2 else []


_LEAD_SENTENCE = re.compile(r"^([^。,,]{2,15}[,,][^。,,]{2,15})。")


def _lead_sentence_headings(lines: list[_Line]) -> list[_Heading]:
    headings = []
    for i, line in enumerate(lines):
        m = _LEAD_SENTENCE.match(line.text)
        if m and len(line.text) - m.end() >= 20 and not _numbered(line.text):
            headings.append(_Heading(m.group(1), line.start, i, i, line.start + m.end()))
    return headings if len(headings) >= 2 else []


def find_headings(lines: list[_Line]) -> list[_Heading]:
    """Programme headings of the most heading-like kind present."""
    finders = (
        lambda: _numbered_headings(lines, "cn"),
        lambda: _numbered_headings(lines, "paren_cn"),
        lambda: _short_headings(lines),
        lambda: _lead_sentence_headings(lines),
        lambda: _numbered_headings(lines, "paren_arabic"),
        lambda: _numbered_headings(lines, "arabic"),
        lambda: _numbered_headings(lines, "shi"),
    )
    for finder in finders:
        headings = finder()
        if headings:
            return headings
    return []


@dataclass(frozen=True)
class _Marker:
    scheme: str
    number: int
    start: int  # of the marker
    end: int  # after it: the item's own words begin here


def find_markers(body: str, spans: list[tuple[int, int]]) -> list[_Marker]:
    """The enumeration in these spans: the list that starts first among those of 2+ items."""
    best: list[_Marker] = []
    for scheme, pattern in SCHEMES.items():
        if scheme == "cn":
            continue
        found = []
        for start, end in spans:
            for m in pattern.finditer(body, start, end):
                if m.start() == start or body[m.start() - 1] in _BOUNDARY:
                    found.append(_Marker(scheme, cn_number(m.group(1)), m.start(), m.end()))
        kept = [found[i] for i in _in_sequence([(i, mk.number) for i, mk in enumerate(found)])]
        if len(kept) >= 2 and (not best or kept[0].start < best[0].start):
            best = kept
    return best


def initiative_title(text: str) -> str:
    """The first sentence of an initiative, or its first clause when the sentence is long."""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= 30:
        return sentence
    clause = re.split(r"[,,:]", sentence, maxsplit=1)[0]
    return clause if 4 <= len(clause) <= 30 else sentence[:30]


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _initiative(body: str, start: int, end: int, marker_end: int | None = None) -> ParsedInitiative:
    start, end = _trimmed(body, start, end)
    words = body[marker_end if marker_end is not None else start : end]
    return ParsedInitiative(initiative_title(words), body[start:end], start, end)


def split_initiatives(
    body: str, spans: list[tuple[int, int]]
) -> tuple[str, tuple[ParsedInitiative, ...]]:
    """Intro text and initiatives of a programme's paragraphs."""
    markers = find_markers(body, spans)
    if not markers:
        items = [_initiative(body, s, e) for s, e in spans if e - s >= 15]
        return "", tuple(items)
    end = spans[-1][1]
    items = []
    for marker, nxt in zip(markers, [*markers[1:], None], strict=True):
        items.append(_initiative(body, marker.start, nxt.start if nxt else end, marker.end))
    intro_start, intro_end = _trimmed(body, spans[0][0], markers[0].start)
    return body[intro_start:intro_end], tuple(items)


def _closing_from(body: str, spans: list[tuple[int, int]]) -> int:
    """Index of the first paragraph of the last programme that closes the report."""
    for i, (start, _end) in enumerate(spans[1:], 1):
        # a bounded slice: copying the rest of the body per paragraph would be quadratic
        if _CLOSING.match(body[start : start + _CLOSING_MAX]):
            return i
    markers = find_markers(body, spans)
    if markers:  # paragraphs after the enumeration's last item close the report
        last = max(i for i, (s, e) in enumerate(spans) if s <= markers[-1].start < e)
        return last + 1
    return len(spans)


def _content_spans(lines: list[_Line], heading: _Heading, stop: int) -> list[tuple[int, int]]:
    spans = []
    own_line = lines[heading.last]
    if heading.content_start < own_line.end:
        spans.append((heading.content_start, own_line.end))
    spans.extend((line.start, line.end) for line in lines[heading.last + 1 : stop])
    return spans


def parse_structure(body: str) -> Structure:
    """Programmes and initiatives of a cleaned body; lead and closing text as summary."""
    lines = _lines(body)
    headings = find_headings(lines)
    if not headings:
        return Structure(summary=body.strip(), programmes=())
    summary = [line.text for line in lines[: headings[0].first]]
    programmes = []
    for k, heading in enumerate(headings):
        is_last = k == len(headings) - 1
        spans = _content_spans(lines, heading, len(lines) if is_last else headings[k + 1].first)
        if is_last and spans:
            cut = _closing_from(body, spans)
            closing, spans = spans[cut:], spans[:cut]
        else:
            closing = []
        intro, initiatives = split_initiatives(body, spans) if spans else ("", ())
        end = spans[-1][1] if spans else lines[heading.last].end
        programmes.append(ParsedProgramme(heading.title, intro, heading.start, end, initiatives))
        summary.extend(body[s:e] for s, e in closing)
    return Structure(summary="\n".join(summary), programmes=tuple(programmes))
