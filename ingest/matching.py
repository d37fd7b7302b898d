"""Match rows of a new parse to rows staff own, by their source text rather than their key.

A row's key is a hash of its text, so any change in how the parser cuts a report
gives new keys. Staff-owned and rejected rows must still be found again: a new
machine row takes over the staff row whose source it shares (same figure for an
indicator, overlapping quote or span text), and a new row lying inside a staff or
rejected row is covered by it rather than shown beside it. Offsets alone are not
enough because the body itself may change between parser versions; offsets count
only when the body is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOISE = re.compile(r"[\s\W_]+")
_DIGITS = re.compile(r"[0-9.]+")

# A new parse may cut a source shorter or longer, so sources are compared by the share
# of the shorter one's character bigrams found in the other, with a floor on how many
# are shared so that a few common words do not make two short rows the same.
MATCH = 0.6  # share from which two sources are the same row
COVER = 0.8  # share of a new row's bigrams inside a staff row for it to be covered
MIN_SHARED = 4


@dataclass(frozen=True)
class Source:
    """What a row was cut from: its span in its body, that span's text, and its figure."""

    key: str
    start: int
    end: int
    text: str
    figure: str = ""  # indicators only: the number as written, which must agree


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the text without spaces and punctuation."""
    plain = _NOISE.sub("", text)
    if len(plain) < 2:
        return frozenset({plain}) if plain else frozenset()
    return frozenset(plain[i : i + 2] for i in range(len(plain) - 1))


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller bigram set found in the other; 0 when too little is shared."""
    shared = len(a & b)
    if shared < min(MIN_SHARED, len(a), len(b)) or not shared:
        return 0.0
    return shared / min(len(a), len(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _cover(inner: frozenset[str], outer: frozenset[str]) -> float:
    shared = len(inner & outer)
    return shared / len(inner) if shared >= min(MIN_SHARED, len(inner)) and shared else 0.0


def _overlap(a: Source, b: Source) -> float:
    """Overlap of two spans as a share of the shorter one."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return max(shared, 0) / max(min(a.end - a.start, b.end - b.start), 1)


def _digits(figure: str) -> str:
    return "".join(_DIGITS.findall(figure))


def _figures_agree(new: Source, old: Source) -> bool:
    """Same figure as written, or the same digits where staff rewrote the rest (10万余 -> 10万余人).

    Not "the new figure occurs in the old quote": a quote often holds several figures.
    """
    if new.figure == old.figure:
        return True
    digits = _digits(new.figure)
    return bool(digits) and digits == _digits(old.figure)


def match(
    new: list[Source], old: list[Source], *, same_body: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """Pair new rows with old (staff-owned or rejected) rows; returns (matched, covered).

    `matched` maps a new key to the old key it takes over, one to one, best pairs
    first; `covered` maps a new key left over to the old key whose source contains it.
    Both are deterministic for the same input.
    """
    grams = {id(s): bigrams(s.text) for s in (*new, *old)}
    pairs = []
    for n in new:
        for o in old:
            if not _figures_agree(n, o):
                continue
            a, b = grams[id(n)], grams[id(o)]
            score = _containment(a, b)
            if same_body:
                score = max(score, _overlap(n, o) * (1.0 if n.figure == o.figure else 0.0))
            if score >= MATCH:
                exact = n.figure == o.figure
                pairs.append(
                    (not exact, -score, -_jaccard(a, b), abs(n.start - o.start), n.key, o.key)
                )
    matched: dict[str, str] = {}
    taken: set[str] = set()
    for *_, new_key, old_key in sorted(pairs):
        if new_key not in matched and old_key not in taken:
            matched[new_key] = old_key
            taken.add(old_key)
    covered: dict[str, str] = {}
    for n in new:
        if n.key in matched or n.figure:
            continue  # a figure is its own row: never folded into another
        best = max(
            ((_cover(grams[id(n)], grams[id(o)]), o.key) for o in old),
            default=(0.0, ""),
        )
        if best[0] >= COVER:
            covered[n.key] = best[1]
    return matched, covered
