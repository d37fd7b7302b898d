"""Parsing steps rewritten for speed give exactly what their plain versions gave, on any input.

Each reference below is the straightforward code a faster step replaced, kept here
as the oracle; Hypothesis feeds both varied text built from the words reports use.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import segment

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
