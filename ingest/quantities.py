"""Numbers, units and qualifiers in report text -> indicators.

Only figures written with Arabic numerals and followed by a measure word count:
`150余场次`, `363.1亿元`, `44.3%`. Dates, ordinals, codes, phone numbers and the
like are recognised by their shape (what surrounds the digits), never by value.
Reading one figure (pattern, value, qualifier) lives in ingest/figures.py; this module
finds the figures of a body and gives each its label, quote and period. Offsets point
into the body exactly as given.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ingest.figures import (
    FIGURE,
    FOLD,
    KNOWN_UNITS,
    MEASURE_UNITS,
    UNIT_WORDS,
    figure_qualifier,
    figure_value,
)
from ingest.label_rules import (
    AFTER_VERB,
    ENDS_WITH_LINK,
    FUNCTION_ONLY,
    LABEL_MAX,
    LEAD,
    NOUN_SUFFIX,
    RELATIVE,
    TAIL,
    VERB_RE,
    is_place_name,
    stands_as_measure,
    strip_adverbs,
)
from ingest.textindex import CharCounts, MatchIndex, Translation
from ingest.types import ParsedIndicator

# Spans whose digits are never quantities: links, e-mail addresses, file names, book titles.
# Every alternative starts with a letter, digit, one of _.- or 《: the look-ahead says so,
# and the engine passes over Chinese text with one test a character (five times faster).
_BLOCKED = re.compile(
    r"(?=[A-Za-z0-9_.\-《])(?:"
    r"(?:https?://|www\.)[^\s，。,;；“”\"'<>()]+"
    # each alternative starts only where a run of letters and digits starts, so a long run
    # is scanned once, not once per character
    r"|(?<![A-Za-z0-9_.\-])(?:"
    r"[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+"
    r"|[A-Za-z0-9_\-]+\.(?:s?html?|jpe?g|png|gif|pdf|docx?|xlsx?|wps|zip|rar|txt)\b"
    r"|(?:[A-Za-z0-9\-]+\.)+(?:cn|com|net|org|gov)\b[^\s，。,;；“”\"'<>()]*)"
    r"|《[^《》\n]{0,80}》)"
)
# A short quoted string is a name, code or slogan: “520”, “3个结合”, “1+6”.
_QUOTED = re.compile(r"[“\"‘「『]([^“”\"‘’「」『』\n]{1,12})[”\"’」』]")

_YEAR = re.compile(r"(?:19|20)[0-9]{2}")

_CLAUSE_MARKS = ",;:。!?；…\n"
_SENTENCE_MARKS = "。!?；;\n"
_CLAUSE_SPLIT = re.compile(f"[{re.escape(_CLAUSE_MARKS)}]")
_SENTENCE_SPLIT = re.compile(f"[{re.escape(_SENTENCE_MARKS)}]")

# The look-ahead names each alternative's first character (twice as fast over a body).
_PERIOD = re.compile(
    r"(?=[0-9今去上下前每全年近截目至])(?:"
    r"[0-9]{4}年(?:[0-9]{1,2}(?:-|—|至)?[0-9]{0,2}月(?:份|底|末)?|上半年|下半年|前三季度"
    r"|第?[一二三四1-4]季度|全年|以来|初|底|末|度)?"
    r"|今年(?:以来|上半年|下半年|前三季度)?|去年|上半年|下半年|前三季度|每年|全年|年内"
    r"|近年来|近[0-9一二三四五六七八九十]+年来?|截至目前|目前|至今)"
)

_FOLD = Translation(FOLD)


def extract_indicators(body: str) -> tuple[ParsedIndicator, ...]:
    """Every quantity written with Arabic numerals in `body`, with label, clause and period."""
    text = _FOLD(body)
    blocked = _blocked_mask(text)
    candidates = list(FIGURE.finditer(text))
    learned = _learned_units(candidates, text)
    hits = [m for m in candidates if _is_quantity(m, text, blocked, learned)]
    # found once: looking each figure's period up must not rescan its sentence
    periods, brackets = MatchIndex(_PERIOD, text), CharCounts(text, "《》()")
    clause_marks = [m.start() for m in _CLAUSE_SPLIT.finditer(text)]
    sentence_marks = [m.start() for m in _SENTENCE_SPLIT.finditer(text)]
    found: list[ParsedIndicator] = []
    bases: list[str] = []  # each indicator's own label, before a relative rate borrows it
    took_next = False  # the previous figure's label was the noun after it ("10个单位、25人")
    for i, match in enumerate(hits):
        start, end = _span_between(clause_marks, match.start(), match.end(), len(text))
        sentence_start, _ = _span_between(sentence_marks, match.start(), match.end(), len(text))
        prev_end = hits[i - 1].end() if i and hits[i - 1].end() > start else None
        stop = hits[i + 1].start() if i + 1 < len(hits) and hits[i + 1].start() < end else end
        seg_start = prev_end if prev_end is not None else start
        base, took_next = _label(text, match, seg_start, stop, prev_end, took_next)
        same_sentence = bool(found) and found[-1].start >= sentence_start
        label = _borrow(base, bases[-1] if same_sentence else "", same_clause=prev_end is not None)
        bases.append(base)
        q_start, q_end = _trim(body, *_quote_window(start, end, match.start(), match.end()))
        value = figure_value(match)
        if value is None:
            continue
        found.append(
            ParsedIndicator(
                label=label,
                value=value,
                unit=match["unit"],
                qualifier=figure_qualifier(match),
                figure=body[match.start() : match.end()],
                quote=body[q_start:q_end],
                start=q_start,
                end=q_end,
                period=_period(body, periods, brackets, sentence_start, match.start()),
            )
        )
    return tuple(found)


def _blocked_mask(text: str) -> bytearray:
    """1 at every position whose digits belong to a link, a title or a quoted name."""
    mask = bytearray(len(text))
    spans = [m.span() for m in _BLOCKED.finditer(text)] + [
        m.span(1) for m in _QUOTED.finditer(text)
    ]
    for start, end in spans:
        mask[start:end] = b"\1" * (end - start)
    return mask


def _learned_units(candidates: list[re.Match[str]], text: str) -> set[str]:
    """Characters this text uses as measure words where it is plain: closing a clause."""
    return {
        m["unit"]
        for m in candidates
        if m["unit"] not in KNOWN_UNITS and stands_as_measure(text, m.start(), m.end("unit"), set())
    }


def _is_quantity(match: re.Match[str], text: str, blocked: bytearray, learned: set[str]) -> bool:
    """False for digits in links, titles and quoted names, and units that start a longer word."""
    if any(blocked[match.start("num") : match.end()]):
        return False
    unit_end = match.end("unit")
    if match["unit"] not in KNOWN_UNITS:
        return stands_as_measure(text, match.start(), unit_end, learned)
    if match["alt"] or match["post"] or unit_end >= len(text):
        return True
    following = text[unit_end]
    if following in UNIT_WORDS.get(match["unit"], ""):
        return False
    # "2023项目" names a year's project list, while "5项目标" counts targets
    return not (_YEAR.fullmatch(match["num"]) and match["unit"] == "项" and following == "目")


def _span_between(marks: list[int], start: int, end: int, size: int) -> tuple[int, int]:
    """The stretch between the last mark before `start` and the first mark at or after `end`."""
    i = bisect_right(marks, start - 1)
    left = marks[i - 1] + 1 if i else 0
    j = bisect_right(marks, end - 1)
    return left, marks[j] if j < len(marks) else size


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start] in " \t•·-*":
        start += 1
    while end > start and body[end - 1] in " \t":
        end -= 1
    return start, end


# A clause longer than this (a page without punctuation) is quoted around the figure only,
# so each indicator's quote stays small however long the clause runs.
QUOTE_MAX = 300


def _quote_window(start: int, end: int, figure_start: int, figure_end: int) -> tuple[int, int]:
    if end - start <= QUOTE_MAX:
        return start, end
    margin = (QUOTE_MAX - (figure_end - figure_start)) // 2
    return max(start, figure_start - margin), min(end, figure_end + margin)


def _period(
    body: str, periods: MatchIndex, brackets: CharCounts, sentence_start: int, figure_start: int
) -> str:
    for start, end in periods.last_first(sentence_start, figure_start):
        # a year inside a title or brackets ("规划(2021—2025年)") is not the figure's period
        if brackets.closes_at_most_opens("《》", end, figure_start) and (
            brackets.closes_at_most_opens("()", end, figure_start)
        ):
            return body[start:end]
    return ""


def _label(
    text: str,
    match: re.Match[str],
    seg_start: int,
    stop: int,
    prev_end: int | None,
    prev_took_next: bool,
) -> tuple[str, bool]:
    """What the figure measures, and whether that is the noun after it ("96家X")."""
    raw_before = text[seg_start : match.start()].strip()
    before = ""
    if not (prev_end is not None and prev_took_next):
        before = _before_label(raw_before, after_figure=prev_end is not None)
    after = _after_label(
        text[match.end() : stop], before_figure=FIGURE.match(text, stop) is not None
    )
    nxt = text[match.end()] if match.end() < len(text) else ""
    if nxt in "、,;":  # "牛30头、羊50只": what follows the mark is the next item, not this one
        after = ""
    noun_follows = "\u4e00" <= nxt <= "\u9fff" or nxt in "“《\"'"
    counted = ENDS_WITH_LINK.search(raw_before) or match["unit"] not in MEASURE_UNITS
    # "总投资500万元的某项目": an amount's label is the measure before it, not the noun after
    of_noun = nxt == "的" and (match["unit"] not in MEASURE_UNITS or not before)
    if noun_follows and (
        of_noun or not before or (counted and not AFTER_VERB.match(text[match.end() : stop]))
    ):
        return (after, True) if after else (before, False)
    return (before, False) if before else (after, True)


def _borrow(label: str, previous: str, *, same_clause: bool) -> str:
    """A rate or share takes the measure before it: 增速 -> 地区生产总值增速; 由35%提高到42%."""
    if not previous:
        return label
    if RELATIVE.match(label) or label.startswith("占"):
        return previous + label
    return label or (previous if same_clause else "")


def _before_label(segment: str, *, after_figure: bool) -> str:
    periods = list(_PERIOD.finditer(segment))
    if periods:
        # "覆盖率由2012年的35%": the measure is named before the year
        tail = TAIL.sub("", segment[periods[-1].end() :])
        head = re.sub(r"(?:由|从|在|于|截至)$", "", segment[: periods[-1].start()])
        segment = tail if tail else head
    if after_figure:
        segment = re.sub(r"^(?:[、,]|以及|和|及|与|并且?)", "", segment)
    segment = _cut_after_verb(TAIL.sub("", segment))
    segment = strip_adverbs(TAIL.sub("", LEAD.sub("", segment)))
    if len(segment) < 2 or segment in FUNCTION_ONLY or is_place_name(segment):
        return ""
    return segment[-LABEL_MAX:]


def _cut_after_verb(segment: str) -> str:
    """Drop "开展了"-style verbs and what precedes them, unless that would split a noun."""
    if segment.endswith("率"):  # 覆盖率, 调解成功率: the verb is part of the rate's name
        return segment
    cut = 0
    quotes = titles = counted = 0  # open quotes and titles in segment[:counted]
    for verb in VERB_RE.finditer(segment):
        # the head is counted once, verb by verb, so a long segment stays linear
        head = segment[counted : verb.start()]
        quotes += head.count("“") - head.count("”")
        titles += head.count("《") - head.count("》")
        counted = verb.start()
        end = verb.end()
        if len(segment) - end >= 2 and not segment.startswith(NOUN_SUFFIX, end):
            cut = end if quotes <= 0 and titles <= 0 else cut
    return segment[cut:] if cut else segment


def _after_label(segment: str, *, before_figure: bool) -> str:
    segment = segment.lstrip("的 ")
    cut = segment.find("的")
    if cut >= 1:
        segment = segment[:cut]
    # "1.2万名党员与2.3万户群众": the 与 joins two counted things, it is not part of either
    tail = r"(?:[、\s]|等|以及|和|及|与)+$" if before_figure else r"(?:[、\s]|等|以及)+$"
    segment = re.sub(tail, "", segment)
    if segment.count("“") < segment.count("”"):
        segment = segment.replace("”", "")
    return segment[:LABEL_MAX]
