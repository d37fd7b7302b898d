"""Which administrative division a report is about: place names in the page -> one code.

`resolve_region` finds the gazetteer's names (`ingest.gazetteer`) in the title,
lead, source lines and body, weighs them by position, settles names shared by
several places (新城区) from the other places mentioned, then picks the most
specific place the text is about, or none with the reason.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.gazetteer import Gazetteer, Hit
from ingest.types import Division, RegionMatch

__all__ = ["Gazetteer", "Hit", "resolve_region"]

# Where a mention stands says how much it tells about the subject of the page.
WEIGHT = {"title": 8, "lead": 3, "source": 3, "body": 1}
LEAD_CHARS = 200
MIN_SCORE = 3  # with two mentions at least, unless the title names it
DRILL = 0.5  # a child takes over from its parent at this share of the parent's score
RIVAL = 0.8  # an unrelated place this close to the winner makes the page undecidable
_SELF = re.compile(r"(?:我|全|本)(市|区|县|旗|州|盟)")
_SUFFIX_KIND = {"市": "市", "区": "区", "县": "县", "旗": "旗", "州": "州", "盟": "盟"}


def resolve_region(
    *, title: str | None, sources: tuple[str, ...], body: str, divisions: Gazetteer
) -> RegionMatch:
    """The division the page is about, weighing title over lead over source lines over body."""
    hits = _collect(title, sources, body, divisions)
    scores = _score(hits, divisions)
    if not scores:
        return RegionMatch(None, _unsettled(hits, divisions))
    in_full = _named_in_full(hits, divisions)
    for code in in_full:  # "X省Y市" opening the page names its subject as a title would
        scores[code] = scores.get(code, 0) + WEIGHT["title"] - WEIGHT["lead"]
    best = min(scores, key=lambda c: (-scores[c], len(divisions.ancestors[c]), c))
    rival = _rival(best, scores, divisions)
    if rival:
        names = f"{divisions.divisions[best].name} and {divisions.divisions[rival].name}"
        return RegionMatch(None, f"undecided between {names}")
    titled = {c for h in hits if h.zone == "title" for c in h.codes}
    selves = _self_references(title, body)
    sourced = {h.codes[0] for h in hits if h.zone == "source" and len(h.codes) == 1}
    drilled = _drill(best, scores, divisions, selves, sourced | in_full, titled)
    # a part named only in passing gives way to the place above it that the page is about
    for chosen in (drilled, *divisions.ancestors[drilled]):
        named = [h for h in hits if chosen in h.codes]
        if chosen in titled | in_full or (scores.get(chosen, 0) >= MIN_SCORE and len(named) >= 2):
            return RegionMatch(chosen, _reason(chosen, hits, scores, divisions))
        if chosen == best:
            break
    return RegionMatch(None, f"only passing mentions of {divisions.divisions[drilled].name}")


def _unsettled(hits: list[Hit], gazetteer: Gazetteer) -> str:
    """Why no place won: none named, or a shared name (城关镇, 新城区) with two readings."""
    shared = max((h for h in hits if len(h.codes) > 1), key=lambda h: len(h.codes), default=None)
    if shared is None:
        return "no place named"
    first, second = (_full_name(code, gazetteer) for code in shared.codes[:2])
    more = len(shared.codes) - 2
    return f"undecided between {first} and {second} ({shared.surface}" + (
        f", +{more} more)" if more else ")"
    )


def _full_name(code: str, gazetteer: Gazetteer) -> str:
    """A division's name after its parent's, so two places of one name read apart."""
    division = gazetteer.divisions[code]
    parent = gazetteer.divisions.get(division.parent or "")
    return f"{parent.name}{division.name}" if parent else division.name


def _named_in_full(hits: list[Hit], gazetteer: Gazetteer) -> set[str]:
    """Units the lead names in full right after their parent (X省Y市): the page's own unit."""
    found = set()
    for before, hit in zip(hits, hits[1:], strict=False):
        if hit.zone == "lead" and before.end == hit.start and len(before.codes) == 1:
            found.update(c for c in hit.codes if before.codes[0] in gazetteer.ancestors[c])
    return found


def _collect(
    title: str | None, sources: tuple[str, ...], body: str, gazetteer: Gazetteer
) -> list[Hit]:
    """All place-name hits, each labelled with the part of the page it came from."""
    if title is None:  # a short first line without a full stop is the headline
        first = body.lstrip().split("\n", 1)[0].strip()
        if first and len(first) <= 60 and not first.endswith(("。", ".")):
            title = first
    hits = gazetteer.scan(title, "title") if title else []
    for source in sources:
        hits += gazetteer.scan(source, "source")
    for hit in gazetteer.scan(body, "body"):
        zone = "lead" if hit.start < LEAD_CHARS else "body"
        hits.append(Hit(hit.start, hit.end, zone, hit.surface, hit.codes))
    return hits


def _score(hits: list[Hit], gazetteer: Gazetteer) -> dict[str, int]:
    """Weight per division; a name shared by several places goes to the one its context supports."""
    context: dict[str, int] = defaultdict(int)
    below: dict[str, int] = defaultdict(int)
    for hit in hits:
        if len(hit.codes) == 1:
            code = hit.codes[0]
            context[code] += WEIGHT[hit.zone]
            for ancestor in gazetteer.ancestors[code]:
                below[ancestor] += WEIGHT[hit.zone]
    scores: dict[str, int] = defaultdict(int)
    for hit in hits:
        code = (
            hit.codes[0] if len(hit.codes) == 1 else _disambiguate(hit, context, below, gazetteer)
        )
        if code:
            scores[code] += WEIGHT[hit.zone]
    return dict(scores)


def _disambiguate(
    hit: Hit, context: dict[str, int], below: dict[str, int], gazetteer: Gazetteer
) -> str | None:
    """The candidate whose ancestors or descendants are named elsewhere; else the common ancestor."""
    support = {
        code: context[code] + below[code] + sum(context[a] for a in gazetteer.ancestors[code])
        for code in hit.codes
    }
    top = max(support.values())
    leaders = [code for code, s in support.items() if s == top]
    if top and len(leaders) == 1:
        return leaders[0]
    for code in leaders:  # 和田: the prefecture and its own seat share the short name
        if all(code == other or code in gazetteer.ancestors[other] for other in leaders):
            return code
    provinces = [c for c in leaders if gazetteer.divisions[c].level == "province"]
    return provinces[0] if len(provinces) == 1 else None


def _related(a: str, b: str, gazetteer: Gazetteer) -> bool:
    return a == b or a in gazetteer.ancestors[b] or b in gazetteer.ancestors[a]


def _own(code: str, scores: dict[str, int], shared: set[str], gazetteer: Gazetteer) -> int:
    """Score of a place plus that of its ancestors not shared with the place it is compared to."""
    chain = [code, *(a for a in gazetteer.ancestors[code] if a not in shared)]
    return sum(scores.get(c, 0) for c in chain)


def _rival(best: str, scores: dict[str, int], gazetteer: Gazetteer) -> str | None:
    """An unrelated place named about as much as the best one, if any."""
    for code in sorted(scores, key=scores.get, reverse=True):
        if _related(code, best, gazetteer):
            continue
        shared = set(gazetteer.ancestors[best]) & set(gazetteer.ancestors[code])
        mine = _own(best, scores, shared, gazetteer)
        theirs = _own(code, scores, shared, gazetteer)
        if theirs >= RIVAL * mine and not set(gazetteer.ancestors[code]) & {best}:
            return code
    return None


def _kind(division: Division) -> str:
    """The word a page uses for itself at this level: 市, 区, 县, 旗, 州 or 盟."""
    return _SUFFIX_KIND.get(division.name[-1], "")


def _self_references(title: str | None, body: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for m in _SELF.finditer(f"{title or ''}\n{body}"):
        counts[m.group(1)] += 1
    return counts


def _drill(
    best: str,
    scores: dict[str, int],
    gazetteer: Gazetteer,
    selves: dict[str, int],
    anchors: set[str],
    titled: set[str],
) -> str:
    """Move from a place to one of its parts while that part carries enough of the weight.

    Below a unit the page names as its own (anchors), a part must outweigh it
    or be named in the title.
    """
    while True:
        parts = [c for c in scores if best in gazetteer.ancestors[c]]
        if not parts:
            return best
        top = max(parts, key=lambda c: (scores[c], -len(gazetteer.ancestors[c])))
        if any(not _related(c, top, gazetteer) and scores[c] >= RIVAL * scores[top] for c in parts):
            return best  # several of its parts are named alike: the page is about the whole
        mine = selves.get(_kind(gazetteer.divisions[top]), 0)
        theirs = selves.get(_kind(gazetteer.divisions[best]), 0)
        share = DRILL / 2 if mine > theirs else DRILL * 1.6 if theirs > mine else DRILL
        if best in anchors and top not in titled:
            share = max(share, 1.0)
        if scores[top] < share * scores[best]:
            return best
        best = top


def _reason(code: str, hits: list[Hit], scores: dict[str, int], gazetteer: Gazetteer) -> str:
    """E.g. "柳北区 (450205) named in title, 3× lead, 8× body; 柳州市 named too"."""
    zones: dict[str, int] = defaultdict(int)
    shared = False
    for hit in hits:
        if code in hit.codes:
            zones[hit.zone] += 1
            shared = shared or len(hit.codes) > 1
    where = ", ".join(
        f"{n}× {zone}" if n > 1 else zone
        for zone in ("title", "source", "lead", "body")
        if (n := zones[zone])
    )
    named = [gazetteer.divisions[a].name for a in gazetteer.ancestors[code] if scores.get(a)]
    reason = f"{gazetteer.divisions[code].name} ({code}) named in {where}"
    towns = sorted(
        {h.surface for h in hits if code in h.codes and h.surface in gazetteer.townships}
    )
    if towns:
        reason += f" (by its township {'/'.join(towns)})"
    if named and shared:
        return f"{reason}; the shared name is settled by {'/'.join(named)}"
    return f"{reason}; {'/'.join(named)} named too" if named else reason
