"""Prefix-tree regexes find exactly what the longest-first alternation of the same words finds."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import trie


def _alternation(words: list[str]) -> re.Pattern[str]:
    """The plain pattern a prefix tree replaces: every word, longest first."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, ordered)))


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["驿站", "红石榴驿站", "红石榴"], "建成红石榴驿站和驿站", ["红石榴驿站", "驿站"]),
        (["红石榴", "红石榴驿站"], "红石榴驿", ["红石榴"]),
        (["ab", "abc", "b"], "abcab b", ["abc", "ab", "b"]),
        (["a.b", "a+"], "a.b axb a+", ["a.b", "a+"]),
        (["双语", "双语教育", "教育"], "双语教育双语", ["双语教育", "双语"]),
    ],
)
def test_longest_word_at_each_position(words: list[str], text: str, found: list[str]) -> None:
    """At each position the longest word wins; regex characters in words are literal."""
    assert re.findall(trie.pattern(words), text) == found


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.text(alphabet="ab.c石榴", min_size=1, max_size=5), min_size=1, max_size=12),
    text=st.text(alphabet="ab.c石榴x", max_size=40),
)
def test_same_matches_as_alternation(words: list[str], text: str) -> None:
    """Any word list and text: the same hits, in the same places, as the alternation."""
    tree = re.compile(trie.pattern(words))
    plain = _alternation(words)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_no_words_refused() -> None:
    """An empty word list (or an empty word) is refused instead of matching everywhere."""
    with pytest.raises(ValueError):
        trie.pattern([])
    with pytest.raises(ValueError):
        trie.pattern(["a", ""])
