"""Place names -> divisions: the index `ingest.regions` scans report text with.

`Gazetteer` indexes every division's full name, its short name (呼和浩特, 康巴什),
the spoken forms of autonomous units (恩施州, 石柱县) and the full names of
townships and streets (GB/T 10114 level 4), which stand for their county.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.divisions import Township
from ingest.types import Division

# Short names that are ordinary words: only their full name counts (合作市, 和平区, 富民县).
_COMMON_WORDS = (
    "合作 和平 共和 平安 同心 富民 振兴 公安 互助 通道 光明 前进 安定 东方 大同 友好 友谊 "
    "解放 比如 延长 资源 港口 工农 前锋 清水 长子 大方 会同 新华 新城 城中 城北 城东 城西 "
    "城南 城关 东城 西城 南城 中原 平原 南部 中方 南岸 太平 长安 江南 江北 河东 河西 河口 "
    "海港 新建 新兴 复兴 宏伟 富裕 清新 平和 丰满 新市 市中 市北 市南 路南 路北 青山 金山 "
    "白云 朝阳 向阳 红旗 东风 永安 长乐 长寿 安宁 安居 安康 康乐 和顺 博爱 仁和 惠民 爱民 "
    "新民 民乐 民权 民丰 裕民 回民 同仁 方正 元宝 宝塔 龙门 天心 大观 天元 三元 九龙 七星 "
    "文峰 明光 光山 高明 东兴 长治 安国 太和 城区 郊区 矿区 东区 西区 中山 南山 西湖 东湖 "
    "南湖 北湖 石门 大名 万年 高新 开发 新区 老城 古城 山城 江城 海城 上城 下城 "
    "凤凰 武功 黄龙 温泉 白沙 金沙 龙泉 永和 万安 建安 大安 红山 天山 黄山 泰山 长城 "
    "东山 西山 南海 东海 北海 平山 青龙 华容 白河 清河 新河 沙河 大通"
)
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
# Places the page's own people go to, come from or support are not what it is about.
# The cue may stand before a longer place name: 赴广州市天河区, 与某市某县结对.
_ELSEWHERE_BEFORE = re.compile(
    r"(?:赴|前往|远赴|奔赴|来自|援助|支援|援建|对口)[^,,。;;!!??\s]{0,6}$"
)
# "与XX市结对", "同XX县签订…协议": a partner of the report's own unit.
_PARTNER_BEFORE = re.compile(r"(?:(?:与|同|跟|携手|联合)[^,,。;;!!??\s]{0,6}|和)$")
_PARTNER_AFTER = re.compile(
    r"^[^,,。;;!!??\n]{0,20}?(?:结对|交流|协作|共建|帮扶|签订|签署|合作|互访|友好|手拉手)"
)
# "XX市代表团来我区考察": a visitor.
_VISITOR_AFTER = re.compile(r"^[^,,。;;!!??\n]{0,12}?(?:来我|到我|走进我|莅临我)")
# Page furniture: a footer's address or phone line names the site's city, not the subject.
# The look-ahead on first characters lets the engine skip most positions (twice as fast).
_FURNITURE = re.compile(
    r"(?=[地办电邮传版主承协I备技联网C©路街巷道])(?:地\s*址|办公区|电话|邮编|邮政编码|传真|版权|"
    r"主办|承办|协办|ICP|备案|技术支持|联系我们|网站地图|Copyright|©|[路街巷道]\d+号)"
)
# A two-character stem this frequent in jieba's dictionary is a word, not a township's name.
_TOWNSHIP_WORD_FREQ = 1000
_STEM = re.compile(r"(?:街道|镇|乡|苏木)$")
# Where a township's name may begin: after no Chinese character, or right after its
# county, city or another township (某区建设街道), not inside a phrase (先进街道).
_NAME_BOUNDARY = frozenset("市区县旗州盟镇乡道")


@dataclass(frozen=True)
class Hit:
    """One place name found in the page: where, in which part, and which divisions it may mean."""

    start: int
    end: int
    zone: str
    surface: str
    codes: tuple[str, ...]


def dictionary_words() -> Iterator[tuple[str, int]]:
    """(word, frequency) from jieba's dictionary, streamed; no tokenizer is built.

    Streamed, not kept: as Python objects its 349,000 entries take ~70 MB, which every
    ingest process would carry for the few thousand the gazetteer needs.
    """
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, freq, *_ = line.split(" ")
            yield word, int(freq)


def non_place_words(names: set[str]) -> set[str]:
    """Those of `names` jieba's dictionary tags as something other than a place (小城镇)."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    with path.open(encoding="utf-8") as handle:
        rows = (line.split() for line in handle)
        return {r[0] for r in rows if r[0] in names and len(r) > 2 and r[2] != "ns"}


class Gazetteer:
    """Every division's names, indexed for fast scanning of report text."""

    def __init__(
        self,
        divisions: Iterable[Division],
        words: Iterable[tuple[str, int]] | None = None,
        townships: Iterable[Township] = (),
    ) -> None:
        self.divisions = {d.code: d for d in divisions}
        self.ancestors = {code: self._ancestors(code) for code in self.divisions}
        surfaces: dict[str, set[str]] = defaultdict(set)
        self.checked: set[str] = set()  # surfaces that must not cut through a word
        for d in self.divisions.values():
            for surface, checked in self._surfaces(d):
                surfaces[surface].add(d.code)
                if checked:
                    self.checked.add(surface)
        townships = tuple(townships)
        stems = {t.name[:2] for t in townships} | {_STEM.sub("", t.name) for t in townships}
        frequencies = self._index_words(dictionary_words() if words is None else words, stems)
        self.townships = self._add_townships(townships, surfaces, frequencies)
        self.surfaces = {s: tuple(sorted(codes)) for s, codes in surfaces.items()}
        grouped: dict[int, list[str]] = defaultdict(list)
        for surface in sorted(self.surfaces, key=len, reverse=True):
            grouped[_bigram(surface)].append(surface)
        self._by_bigram = {key: tuple(group) for key, group in grouped.items()}
        self._keys = frozenset(self._by_bigram)
        # keys shared by surfaces of different first characters (outside the BMP, if ever)
        self._mixed = frozenset(k for k, g in grouped.items() if len({s[:2] for s in g}) > 1)

    def _add_townships(
        self, townships: Iterable[Township], surfaces: dict[str, set[str]], words: dict[str, int]
    ) -> frozenset[str]:
        """Township names as surfaces of their county; the full name only, word-checked.

        A name of one character plus 镇/乡 is skipped, and so is a two-character word
        plus 镇/乡 (团结乡, 东风乡): in running text those are mostly the word. A longer
        name built on a common word (先进街道, 建设街道) counts only where a name may
        begin (see `_starts_a_name`).
        """
        added = set()
        self.word_townships: set[str] = set()
        division_names = {d.name for d in self.divisions.values()}
        nouns = non_place_words({t.name for t in townships})
        for township in townships:
            name, county = township.name, township.county
            if county not in self.divisions or len(name) < 3 or name in division_names:
                continue
            if len(name) == 3 and words.get(name[:2], 0) >= _TOWNSHIP_WORD_FREQ:
                continue
            if name in nouns:  # 小城镇 is a kind of place, not a town's name
                continue
            surfaces[name].add(county)
            self.checked.add(name)
            added.add(name)
            if words.get(_STEM.sub("", name), 0) >= _TOWNSHIP_WORD_FREQ:
                self.word_townships.add(name)
        return frozenset(added)

    def _index_words(self, words: Iterable[tuple[str, int]], wanted: set[str]) -> dict[str, int]:
        """Common two-character words, and longer words that begin or end with a checked name.

        One pass over the dictionary, which also returns the frequency of each `wanted`
        word it holds. Only two-character checked names can begin or end a word here;
        the township names checked later are all longer, so checking before them is the same.
        """
        pairs = set()
        frequencies: dict[str, int] = {}
        checked = {surface for surface in self.checked if len(surface) == 2}
        self.longer: set[str] = set()
        self.longer_sizes: dict[str, set[int]] = defaultdict(set)
        for word, freq in words:
            if word in wanted:
                frequencies[word] = freq
            if len(word) == 2:
                if freq >= 50:
                    pairs.add(word)
            elif freq >= 5:
                for part in {word[:2], word[-2:]} & checked:
                    self.longer.add(word)
                    self.longer_sizes[part].add(len(word))
        self.pairs = frozenset(pairs)
        return frequencies

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of the committed division and township tables."""
        from ingest.divisions import load_divisions, load_townships

        return cls(load_divisions(), townships=load_townships())

    def _ancestors(self, code: str) -> tuple[str, ...]:
        chain = []
        parent = self.divisions[code].parent
        while parent:
            chain.append(parent)
            parent = self.divisions[parent].parent
        return tuple(chain)

    def _surfaces(self, d: Division) -> Iterable[tuple[str, bool]]:
        """(surface, needs a word-boundary check) for each way a text may name `d`."""
        short = d.short_name
        if len(d.name) > 2 or d.name not in COMMON_WORDS:
            # 合作市 in 战略合作市场: a full name built on an ordinary word is checked too
            yield d.name, len(d.name) == 2 or (len(d.name) == 3 and short in COMMON_WORDS)
        if short == d.name or len(short) < 2:
            return
        for suffix, spoken in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
            if d.name.endswith(suffix):
                yield short + spoken, False
        if short not in COMMON_WORDS:
            yield short, len(short) == 2

    def scan(self, text: str, zone: str, offset: int = 0) -> list[Hit]:
        """Place names in `text`, longest first where they overlap, with furniture lines skipped."""
        if len(text) < 2:
            return []
        found = self._occurrences(text)
        found.sort(key=lambda f: (f[0], -f[1]))
        furniture = _furniture_lines(text)
        hits: list[Hit] = []
        reach = 0
        for start, end, surface in found:
            if start < reach or not self._stands_alone(text, start, end, surface):
                continue
            if _inside(furniture, start):
                continue
            reach = end
            hits.append(Hit(offset + start, offset + end, zone, surface, self.surfaces[surface]))
        return _without_place_lists(text, hits, offset)

    def _occurrences(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) of every place in `text` a surface stands, overlaps included."""
        found: list[tuple[int, int, str]] = []
        for key in _bigrams(text, self._keys):
            surfaces = self._by_bigram[key]
            pair = "" if key in self._mixed else surfaces[0][:2]  # "": the whole text
            # each surface is searched for only from the first to the last place its first
            # two characters stand (for most groups one place: a look at one position)
            first, last = text.find(pair), text.rfind(pair)
            if first == -1:
                continue
            for surface in surfaces:
                stop = last + len(surface)
                i = text.find(surface, first, stop)
                while i != -1:
                    found.append((i, i + len(surface), surface))
                    i = text.find(surface, i + 1, stop)
        return found

    def _stands_alone(self, text: str, start: int, end: int, surface: str) -> bool:
        """False inside a longer word (创新民族), before 族 (a people), or naming a partner or trip."""
        if text[end : end + 1] == "族" or text[end : end + 2] == "精神":  # 东乡族, 延安精神
            return False
        if surface in self.word_townships and not _starts_a_name(text, start):
            return False
        if surface in self.checked and (
            text[start - 1 : start + 1] in self.pairs
            or text[end - 1 : end + 1] in self.pairs
            or any(
                text[start : start + n] in self.longer or text[max(0, end - n) : end] in self.longer
                for n in self.longer_sizes.get(surface, ())
            )
        ):
            return False
        before = text[max(0, start - 10) : start]
        after = text[end : end + 24]
        return not (
            _ELSEWHERE_BEFORE.search(before)
            or _VISITOR_AFTER.search(after)
            or (_PARTNER_BEFORE.search(before) and _PARTNER_AFTER.search(after))
        )


def _starts_a_name(text: str, start: int) -> bool:
    """True where a place name may begin: not after a Chinese character, except a place suffix."""
    before = text[start - 1 : start]
    return not before or not "\u4e00" <= before <= "\u9fff" or before in _NAME_BOUNDARY


def _without_place_lists(text: str, hits: list[Hit], offset: int) -> list[Hit]:
    """Drop lines that are mostly a list of places (a portal's menu of cities), not prose."""
    by_line: dict[int, list[Hit]] = defaultdict(list)
    breaks = _line_breaks(text)
    for hit in hits:
        by_line[_line_start(breaks, hit.start - offset)].append(hit)
    kept = []
    for line_start, line_hits in by_line.items():
        line_end = text.find("\n", line_start)
        line = text[line_start : len(text) if line_end == -1 else line_end]
        covered = sum(h.end - h.start for h in line_hits)
        if len(line_hits) < 3 or covered * 2 < len("".join(line.split())):
            kept.extend(line_hits)
    return kept


def _furniture_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that are page furniture (address, phone, copyright)."""
    spans = []
    breaks = _line_breaks(text)
    for m in _FURNITURE.finditer(text):
        line_start = _line_start(breaks, m.start())
        if spans and spans[-1][0] == line_start:
            continue  # the line is already furniture
        end = text.find("\n", m.end())
        spans.append((line_start, len(text) if end == -1 else end))
    return spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """True when `position` falls in one of the sorted, disjoint `spans`."""
    i = bisect_right(spans, (position, float("inf")))
    return bool(i) and spans[i - 1][0] <= position < spans[i - 1][1]


def _line_breaks(text: str) -> list[int]:
    """Offsets of the newlines in `text`: line lookups by binary search, not rescans."""
    return [m.start() for m in re.finditer("\n", text)]


def _line_start(breaks: list[int], position: int) -> int:
    """Where the line holding `position` starts (what text.rfind("\\n", 0, position) + 1 gives)."""
    i = bisect_left(breaks, position)
    return breaks[i - 1] + 1 if i else 0


def _bigram(s: str) -> int:
    return ord(s[0]) | (ord(s[1]) << 16)


def _bigrams(text: str, keys: frozenset[int]) -> frozenset[int]:
    """The keys among adjacent UTF-16 code-unit pairs of `text`, intersected in C (a filter only)."""
    raw = text.encode("utf-16-le")
    view = memoryview(raw)
    even = keys.intersection(view[: len(raw) // 4 * 4].cast("I"))
    return even | keys.intersection(view[2 : 2 + (len(raw) - 2) // 4 * 4].cast("I"))
