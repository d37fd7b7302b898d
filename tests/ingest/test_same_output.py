"""Parsing steps rewritten for speed give exactly what their plain versions gave, on any input.

Each reference below is the straightforward code a faster step replaced, kept here
as the oracle; Hypothesis feeds both varied text built from the words reports use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import clean, quantities, segment
from ingest import gazetteer as gazetteer_module
from ingest import measures as measures_module
from ingest import themes as themes_module
from ingest.gazetteer import Gazetteer
from ingest.measures import Measure
from ingest.types import Division

# Report words, letters in both cases, digits, punctuation, line breaks and a
# character whose lower case is longer (İ), which the token offsets must survive.
_ALPHABET = "民族团结进步示范市红石榴驿站一是二开展宣传活动场次ABCabc0123.% ,,。、;\n\tİ"
_TEXT = st.text(alphabet=_ALPHABET, max_size=80)
_OFFSETS = st.lists(st.integers(min_value=-3, max_value=90), min_size=2, max_size=8)


def _reference_spans(text: str) -> tuple[list[int], list[str]]:
    """Each token with the offset its word starts at, word by word (the loop token_spans had)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    starts: list[int] = []
    tokens: list[str] = []
    offset = 0
    using = segment.segmenter()
    for word in segment.cut(lowered, using=using):
        found = segment._word_tokens(word, using)
        starts += [offset] * len(found)
        tokens += found
        offset += len(word)
    return starts, tokens


def _reference_between(spans: tuple[list[int], list[str]], start: int, end: int) -> str:
    """The tokens whose word starts in [start, end), joined by spaces."""
    starts, tokens = spans
    return " ".join(t for s, t in zip(starts, tokens, strict=True) if start <= s < end)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, offsets=_OFFSETS)
def test_item_tokens_are_those_of_the_words_starting_in_its_span(
    text: str, offsets: list[int]
) -> None:
    """Any text and spans: an item's search tokens equal the word-by-word reference's."""
    spans = segment.token_spans(text)
    reference = _reference_spans(text)
    for start, end in zip(offsets, offsets[1:], strict=False):
        assert segment.tokens_between(spans, start, end) == _reference_between(
            reference, start, end
        )


@settings(max_examples=200, deadline=None)
@given(title=_TEXT, summary=_TEXT, body=_TEXT)
def test_report_tokens_are_head_then_every_body_token(title: str, summary: str, body: str) -> None:
    """A report's search tokens: title and summary tokens, then all body tokens, as before."""
    head = segment.search_tokens(f"{title} {summary}")
    expected = " ".join(filter(None, (head, " ".join(_reference_spans(body)[1]))))
    assert segment.report_tokens(title, summary, segment.token_spans(body)) == expected


def _division(code: str, name: str, short: str, level: str, parent: str | None) -> Division:
    return Division(code, name, short, level, parent)


# Invented places: several names share their first two characters (包头, 包头市, 包头南区),
# one is a common word (青山), one is written in characters outside the BMP.
_GAZETTEER = Gazetteer(
    [
        _division("150000", "内蒙古自治区", "内蒙古", "province", None),
        _division("150200", "包头市", "包头", "prefecture", "150000"),
        _division("150201", "包头南区", "包南", "county", "150200"),
        _division("150203", "昆都仑区", "昆都仑", "county", "150200"),
        _division("150204", "青山区", "青山", "county", "150200"),
        _division("150205", "𠀀𠀁区", "𠀀𠀁", "county", "150200"),
    ],
    words=[("包头", 100), ("青山", 100)],
)
_PLACE_TEXT = st.lists(
    st.sampled_from(
        ["内蒙古", "自治区", "包头", "包头市", "南区", "包", "头", "昆都仑", "青山区", "区"]
        + ["𠀀𠀁区", "𠀀", "的", "。", "\n", "族", "市"]
    ),
    max_size=30,
).map("".join)


def _reference_occurrences(gazetteer: Gazetteer, text: str) -> list[tuple[int, int, str]]:
    """Every surface whose two-unit key the text holds, searched for in the whole text."""
    grouped: dict[int, list[str]] = {}
    for surface in gazetteer.surfaces:
        grouped.setdefault(gazetteer_module._bigram(surface), []).append(surface)
    found = []
    for key in gazetteer_module._bigrams(text, frozenset(grouped)):
        for surface in grouped[key]:
            i = text.find(surface)
            while i != -1:
                found.append((i, i + len(surface), surface))
                i = text.find(surface, i + 1)
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(text=_PLACE_TEXT)
def test_place_names_found_wherever_the_whole_text_search_finds_them(text: str) -> None:
    """Any text: every place-name occurrence the whole-text search found, and no other."""
    assert sorted(_GAZETTEER._occurrences(text)) == _reference_occurrences(_GAZETTEER, text)


# Pieces of every chrome phrase, in both cases and with the letters whose case-folding is
# special (İ ı ſ K), between ordinary words, brackets and spaces.
_CHROME_PIECES = [
    "欢迎访问",
    "欢迎",
    "当前位置",
    "您现在的位置",
    "您的位置",
    "首页",
    ">",
    "»",
    "/",
    "ICP备",
    "icp证",
    "İCP",
    "ıcp",
    "公网安备",
    "网站标识码",
    "网站识别码",
    "版权所有",
    "Copyright",
    "COPYRIGHT",
    "copyright",
    "©",
    "Command",
    "+",
    "S",
    "ctrl",
    "+d",
    "Ctrl+D",
    "加入收藏",
    "设为首页",
    "打印本页",
    "关闭窗口",
    "打印此页",
    "【",
    "打印",
    "关闭",
    "收藏",
    "返回顶部",
    "大",
    "字号",
    "[",
    "]",
    ":",
    "分享到",
    "扫一扫",
    "上一篇",
    "下一条",
    "下一页",
    "免责声明",
    "本站",
    "本网",
    "相关新闻",
    "相关链接",
    "ſ",
    "K",
    "民族",
    "团结",
    "\n",
]
_CHROME_TEXT = st.one_of(
    st.lists(st.sampled_from([*_CHROME_PIECES, " "]), max_size=12).map("".join), st.text()
)


def _without_lookahead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same alternatives without the leading look-ahead that names their first characters."""
    lookahead, alternatives = pattern.pattern.split("(?:", 1)
    assert lookahead.startswith("(?=[") and alternatives.endswith(")")
    return re.compile(alternatives.removesuffix(")"), pattern.flags)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(text=_CHROME_TEXT)
def test_chrome_phrases_found_where_the_plain_alternation_finds_them(text: str) -> None:
    """Any line: the chrome pattern matches where its alternatives without the look-ahead do."""
    plain = _without_lookahead(clean._CHROME_ANYWHERE)
    assert _spans(clean._CHROME_ANYWHERE, text) == _spans(plain, text)


# Pieces of links, addresses, file names, book titles and periods beside Chinese text.
_FIGURE_PIECES = [
    "https://",
    "http://x.cn/a_1",
    "www.",
    "gov.cn",
    "abc@x.org",
    "a-1.pdf",
    "报告.docx",
    "2023年",
    "今年以来",
    "去年",
    "上半年",
    "下半年",
    "前三季度",
    "第二季度",
    "每年",
    "全年",
    "年内",
    "近年来",
    "近3年",
    "近三年来",
    "截至目前",
    "目前",
    "至今",
    "2023年1-6月",
    "2023年底",
    "《规划》",
    "《",
    "》",
    "“",
    "”",
    "民族",
    "开展",
    "活动",
    "120场",
    ".",
    "-",
    "_",
    "5",
    "(",
    ")",
    ",",
    "。",
    "\n",
]
_FIGURE_TEXT = st.one_of(
    st.lists(st.sampled_from([*_FIGURE_PIECES, " "]), max_size=14).map("".join), st.text()
)


@settings(max_examples=500, deadline=None)
@given(text=_FIGURE_TEXT)
def test_blocked_spans_and_periods_found_where_the_plain_alternations_find_them(
    text: str,
) -> None:
    """Any body: links, titles and periods are found where the alternatives alone find them."""
    for pattern in (quantities._BLOCKED, quantities._PERIOD):
        assert _spans(pattern, text) == _spans(_without_lookahead(pattern), text)


def _reference_classify(
    label: str, unit: str, quote: str, figure: str, measures: Sequence[Measure]
) -> str | None:
    """classify as it was: every measure filtered by unit, recognisers told apart by type."""

    def named(text: str, recognisers: Callable[[Measure], Iterable[object]]) -> str | None:
        hits = []
        for m in candidates:
            for recogniser in recognisers(m):
                if isinstance(recogniser, str):
                    start = text.find(recogniser)
                    if start >= 0:
                        hits.append((start, start + len(recogniser), m.slug))
                elif found := recogniser.search(text):  # type: ignore[attr-defined]
                    hits.append((found.start(), found.end(), m.slug))
        kept = {
            slug
            for start, end, slug in hits
            if not any(
                o != slug and s <= start and end <= e and e - s > end - start for s, e, o in hits
            )
        }
        return None if not kept else kept.pop() if len(kept) == 1 else ""

    candidates = [m for m in measures if unit in m.units and not any(w in label for w in m.exclude)]
    found = named(label, lambda m: (*m.keywords, *m.patterns))
    if found is not None:
        return found or None
    before = measures_module.quote_before(quote, figure)
    candidates = [m for m in candidates if not any(w in before for w in m.exclude)]
    found = named(before, lambda m: m.context)
    if found is not None:
        return found or None
    if len(candidates) == 1 and candidates[0].unit_decides:
        return candidates[0].slug
    return None


_MEASURES = measures_module.default_measures()
# Words the taxonomy recognises (keywords, context and exclude words) and the units it takes.
_MEASURE_WORDS = sorted(
    {w for m in _MEASURES for w in (*m.keywords, *m.context, *m.exclude)}
    # what the patterns match, and ordinary words
    | {"少数民族", "社区", "嘎查", "GDP增速", "服务", "群众", "先进集体和个人", "示范村"}
    | {"开展", "全县", "的"}
)
_UNITS = sorted({u for m in _MEASURES for u in m.units} | {"个", "米"})
_WORDS = st.lists(st.sampled_from(_MEASURE_WORDS), max_size=4).map("".join)


@settings(max_examples=500, deadline=None)
@given(
    label=_WORDS,
    before=_WORDS,
    unit=st.sampled_from(_UNITS),
    as_list=st.booleans(),
)
def test_measure_is_what_the_unindexed_classifier_chose(
    label: str, before: str, unit: str, as_list: bool
) -> None:
    """Any label, words before the figure and unit: the same measure (or none) as before."""
    figure = f"12{unit}"
    quote = f"{before}{figure}"
    measures = list(_MEASURES) if as_list else _MEASURES
    expected = _reference_classify(label, unit, quote, figure, _MEASURES)
    assert measures_module.classify(label, unit, quote, figure, measures=measures) == expected


def test_themes_of_one_taxonomy_are_not_given_for_another() -> None:
    """Matching against a second taxonomy after a first uses the second's keywords."""
    first = (themes_module.Theme("a", "甲", "A", ("宣讲", "讲座")),)
    second = (themes_module.Theme("b", "乙", "B", ("调解", "纠纷")),)
    text = "组织宣讲和讲座"
    assert themes_module.assign_themes(text, first) == ("a",)
    assert themes_module.assign_themes(text, second) == ()
    assert themes_module.assign_themes(text, list(first)) == ("a",)
    assert themes_module.assign_themes(f"{text},调解纠纷", second) == ("b",)
