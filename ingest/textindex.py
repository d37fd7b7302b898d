"""Look-ups into one long text by binary search, so per-item questions do not rescan it.

A parser that asks "which period phrase stands last before this figure in its
sentence?" for every figure rescans the sentence each time: quadratic in a page
without full stops. These indexes are built once per text in linear time.
`Translation` skips a whole-text `str.translate` when a scan finds nothing to change.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator


class MatchIndex:
    """Every match of a pattern in a text, found once."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern = pattern
        self.text = text
        spans = [m.span() for m in pattern.finditer(text)]
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def last_first(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The spans `pattern.finditer(text, start, end)` finds, last first.

        Valid when no match crosses `start` (it follows a character no match contains).
        A match running past `end` is found again within the window, where it may read
        shorter, exactly as the windowed scan would.
        """
        first = bisect_left(self.starts, start)
        inside = bisect_right(self.ends, end)
        if inside < len(self.starts) and self.starts[inside] < end:
            window = self.pattern.finditer(self.text, max(start, self.starts[inside]), end)
            yield from reversed([m.span() for m in window])
        for i in range(inside - 1, first - 1, -1):
            yield self.starts[i], self.ends[i]


class CharCounts:
    """How often each of some characters occurs in any stretch of a text."""

    def __init__(self, text: str, chars: str) -> None:
        self.positions = {ch: [m.start() for m in re.finditer(re.escape(ch), text)] for ch in chars}

    def count(self, char: str, start: int, end: int) -> int:
        """Occurrences of `char` in text[start:end] (what text.count(char, start, end) gives)."""
        positions = self.positions[char]
        return bisect_left(positions, end) - bisect_left(positions, start)

    def closes_at_most_opens(self, pair: str, start: int, end: int) -> bool:
        """True when text[start:end] closes the bracket pair (e.g. "《》") no more than it opens it."""
        opener, closer = pair
        return self.count(closer, start, end) <= self.count(opener, start, end)


class Translation:
    """`str.translate` with a table of characters, skipped when none of them occurs.

    translate looks every character of a non-ASCII text up in the table (~120 µs for a
    report); most reports hold none of the characters, which one regex scan tells in a
    tenth of that.
    """

    def __init__(self, table: dict[int, int | str | None]) -> None:
        self.table = table
        self.any = re.compile("[" + "".join(re.escape(chr(code)) for code in table) + "]")

    def __call__(self, text: str) -> str:
        """`text.translate(table)`."""
        return text.translate(self.table) if self.any.search(text) else text
