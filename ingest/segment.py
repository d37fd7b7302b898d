"""Chinese word segmentation for search and keywords: one project jieba tokenizer, no Django.

`search_tokens` feeds a Postgres `to_tsvector('simple', …)` column; `query_runs`
cuts user queries with the same tokenizer, so documents and queries agree. A long
document word also yields its sub-words (inner dictionary words, and every prefix
and suffix of two or more characters), so 示范市 finds 民族团结进步示范市.

Every cut goes through `cut`: rjieba (jieba-rs, compiled, ~40x faster) where it is
installed, else jieba; both load the same dictionaries and cut the seeds alike
(tests/ingest/test_segment.py). CATALOGUE_SEGMENTER=jieba forces the Python one.

Initialisation is lazy and happens once per process. jieba's own cache of its
default dictionary takes ~1 s to unmarshal, so we keep a pickled snapshot of the
finished prefix dictionary (default + project user dictionary + place names),
keyed by the hash of its inputs, in JIEBA_CACHE_DIR (default `<repo>/.data/jieba`).
"""

from __future__ import annotations

import bisect
import csv
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Any

import jieba

from ingest.snapshots import digest, snapshot

REPO = Path(__file__).resolve().parent.parent
USERDICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
DIVISIONS = REPO / "fixtures" / "divisions.csv"
IDF = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"

_PLACE_LEVELS = frozenset({"province", "prefecture"})
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")
# A letter or digit of any script; \w alone would also keep "_".
_HAN_OR_ALNUM = re.compile(r"[^\W_]")
# A run of letters and digits: one query term (punctuation and spaces separate terms).
_RUN = re.compile(r"[^\W_]+")

# Report boilerplate that says nothing about what a report is about.
# fmt: off
STOPWORDS = frozenset({
    "工作", "推进", "开展", "加强", "推动", "进一步", "持续", "积极", "深入", "全面", "不断", "扎实", "切实", "坚持",
    "围绕", "通过", "实现", "促进", "提升", "提高", "落实", "做好", "建设", "发展", "组织", "活动", "举办", "成立",
    "打造", "形成", "取得", "成效", "成果", "创建", "民族", "民族团结", "民族团结进步", "民族团结进步创建", "各族群众",
    "各族", "群众", "我们", "我县", "我市", "我区", "我州", "我省", "全县", "全市", "全区", "全州", "全省", "以来",
    "今年", "目前", "同时", "其中", "方面", "有关", "相关", "重要", "主要", "一是", "二是", "三是", "四是", "五是",
    "六是", "七是", "八是", "九是", "十是", "多次", "共计", "累计", "以上", "万余", "余人", "人次", "场次", "一批",
    "一系列", "有效", "良好", "广泛", "大力", "着力", "紧紧", "努力", "共同", "各项", "各类", "进行", "作为", "按照",
    "根据", "结合", "依托",
})
# fmt: on

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_rust: Any = None  # rjieba.Jieba, built on first use
_idf: tuple[dict[str, float], float] | None = None


def cache_dir() -> Path:
    """The directory for parsing caches (jieba's, the gazetteer's): $JIEBA_CACHE_DIR, else <repo>/.data/jieba; created."""
    path = Path(os.environ.get("JIEBA_CACHE_DIR") or REPO / ".data" / "jieba")
    path.mkdir(parents=True, exist_ok=True)
    return path


def tokenizer() -> jieba.Tokenizer:
    """The project tokenizer, built on first use (thread-safe, once per process)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build_tokenizer()
    return _tokenizer


def segmenter() -> str:
    """The segmenter in use: "rjieba" where installed (unless CATALOGUE_SEGMENTER=jieba), else "jieba"."""
    wanted = os.environ.get("CATALOGUE_SEGMENTER", "").strip().lower()
    if wanted == "jieba":
        return "jieba"
    try:
        import rjieba  # noqa: F401
    except ImportError:
        if wanted == "rjieba":
            raise
        return "jieba"
    return "rjieba"


def prepare() -> None:
    """Load the segmenter now (before forking workers, so they share it)."""
    if segmenter() == "rjieba":
        _rjieba()
    else:
        tokenizer()


def cut(text: str, *, using: str | None = None) -> list[str]:
    """Accurate-mode words of `text` (HMM off), by `using` or the segmenter in use."""
    if (using or segmenter()) == "rjieba":
        return _rjieba().cut(text, hmm=False)
    return list(tokenizer().cut(text, HMM=False))


def _is_word(fragment: str, using: str) -> bool:
    if using == "rjieba":
        return _rjieba().has_word(fragment)
    return bool(tokenizer().FREQ.get(fragment))


def _rjieba() -> Any:
    """The rjieba segmenter with the project's words added as they are added to jieba."""
    global _rust
    if _rust is None:
        with _lock:
            if _rust is None:
                import rjieba

                rust = rjieba.Jieba()
                for word, freq, tag in _userdict_entries(USERDICT.read_text(encoding="utf-8")):
                    rust.add_word(word, freq, tag)
                if DIVISIONS.is_file():
                    for name in _place_names(DIVISIONS.read_text(encoding="utf-8-sig")):
                        if not rust.has_word(name):
                            rust.add_word(name, None, "ns")
                _rust = rust
    return _rust


def search_tokens(text: str, *, using: str | None = None) -> str:
    """Search-mode tokens of `text`, lower-cased, without punctuation, joined by spaces."""
    return " ".join(_search_words(_normalise(text), using))


@dataclass(frozen=True)
class TokenSpans:
    """A text's search tokens in text order, grouped by the word of the text they come from.

    `joined` is every token followed by a space. Only words with tokens are kept: the
    k-th starts at offset `starts[k]` of the text and its tokens at `bounds[k]` of
    `joined`, so the tokens of a run of words are one slice, not a list to join.
    """

    starts: list[int]
    bounds: list[int]  # one more than `starts`: the last is len(joined)
    joined: str


def token_spans(text: str) -> TokenSpans:
    """Search tokens of `text` with the offset where each one's word starts, in text order.

    Segment a report body once and take each extracted item's tokens from its span
    with `tokens_between`, rather than segmenting overlapping texts again.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare case-fold that changes length would shift offsets
        lowered = text
    using = segmenter()
    words = cut(lowered, using=using)
    # ~1,300 words a report: map, accumulate and compress run in C, a loop per word did not
    groups = list(map(_joined_tokens(using).__getitem__, words))
    starts = list(compress(accumulate(map(len, words), initial=0), groups))
    kept = list(filter(None, groups))
    return TokenSpans(starts, list(accumulate(map(len, kept), initial=0)), "".join(kept))


def report_tokens(title: str, summary: str, spans: TokenSpans) -> str:
    """A report's search tokens: its title and summary, then every token of its body's `spans`."""
    head = search_tokens(f"{title} {summary}")
    return " ".join(filter(None, (head, spans.joined[:-1])))


@lru_cache(maxsize=256)  # a search page asks for the same query's runs many times
def query_runs(query: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each run of letters and digits in `query` with its accurate-mode words, in order.

    A run inside another run of the query is dropped (红石榴 beside 红石榴驿站 asks for
    nothing more), and so are repeated runs.
    """
    runs = list(dict.fromkeys(_RUN.findall(_normalise(query))))
    kept = [run for run in runs if not any(run != other and run in other for other in runs)]
    return tuple((run, tuple(cut(run))) for run in kept)


def tokens_between(spans: TokenSpans, start: int, end: int) -> str:
    """The space-joined tokens of the words that start inside text[start:end]."""
    lo = bisect.bisect_left(spans.starts, start)
    hi = bisect.bisect_left(spans.starts, end, lo)
    if lo == hi:  # not sliced: the slice below would count from the end when hi == 0
        return ""
    return spans.joined[spans.bounds[lo] : spans.bounds[hi] - 1]


def keywords(text: str, k: int = 8) -> tuple[str, ...]:
    """The `k` words of `text` with the highest TF-IDF, boilerplate excluded; ties by word."""
    idf, median = _idf_table()
    counts: dict[str, int] = {}
    for word in cut(_normalise(text)):
        if len(word) < 2 or word in STOPWORDS or not _is_keyword_shaped(word):
            continue
        counts[word] = counts.get(word, 0) + 1
    scored = sorted(counts.items(), key=lambda kv: (-kv[1] * idf.get(kv[0], median), kv[0]))
    return tuple(word for word, _ in scored[:k])


def _is_keyword_shaped(word: str) -> bool:
    # 余人次, 余场 are the tail of "150余人次": a count, not a subject.
    return not word.startswith("余") and not word.isdigit() and bool(_HAN_OR_ALNUM.search(word))


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits (２０２３, ＡＢＣ) so they match ASCII queries.
    return unicodedata.normalize("NFKC", text).lower()


def _search_words(text: str, using: str | None = None) -> Iterator[str]:
    """Accurate-mode words, each preceded by its sub-words (see `_sub_words`).

    jieba's cut_for_search only adds inner 2- and 3-grams, so a query for
    中华民族共同体 would miss a document that says 铸牢中华民族共同体意识;
    emitting all inner dictionary words makes a query word match whenever it
    lies inside a document word.
    """
    # HMM off: unknown runs fall apart into single characters the same way in a
    # short query as in a long document, instead of being guessed differently.
    using = using or segmenter()
    for word in cut(text, using=using):
        yield from _word_tokens(word, using)


# A report's ~2,000 words are mostly words seen before: one look-up instead of a regex
# test and a generator per word (a third of the parse time before).
@lru_cache(maxsize=1 << 16)
def _word_tokens(word: str, using: str) -> tuple[str, ...]:
    """The sub-words of `word` (see `_sub_words`), then `word`; nothing for punctuation."""
    if not _HAN_OR_ALNUM.search(word):
        return ()
    if len(word) > 2:
        return (*_sub_words(word, using), word)
    return (word,)


class _JoinedTokens(dict[str, str]):
    """word -> its tokens (`_word_tokens`) each followed by a space, "" for punctuation; filled on use."""

    def __init__(self, using: str) -> None:
        super().__init__()
        self.using = using

    def __missing__(self, word: str) -> str:
        if len(self) >= _JOINED_MAX:  # bounded like the caches below: start afresh
            self.clear()
        tokens = _word_tokens(word, self.using)
        joined = self[word] = "".join(token + " " for token in tokens)
        return joined


_JOINED_MAX = 1 << 16
_joined_caches: dict[str, _JoinedTokens] = {}


def _joined_tokens(using: str) -> _JoinedTokens:
    """The per-word cache of joined tokens for segmenter `using`."""
    cache = _joined_caches.get(using)
    if cache is None:
        cache = _joined_caches.setdefault(using, _JoinedTokens(using))
    return cache


@lru_cache(maxsize=1 << 16)  # words recur across reports; each costs ~n² dictionary look-ups
def _sub_words(word: str, using: str) -> tuple[str, ...]:
    """Every dictionary word strictly inside `word`, then its shorter prefixes and suffixes.

    Prefixes and suffixes of two or more Han characters need not be dictionary words: a
    compound's head (示范市 of 民族团结进步示范市) is what a reader searches for.
    """
    n = len(word)
    found = [
        word[i:j]
        for i in range(n - 1)
        for j in range(i + 2, min(n, i + n - 1) + 1)
        if _is_word(word[i:j], using)
    ]
    if all(_is_han(ch) for ch in word):  # 5000 must not be found by 500, nor abc by ab
        for k in range(2, n):
            found += (word[:k], word[n - k :])
    return tuple(dict.fromkeys(found))


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _build_tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    directory = cache_dir()
    # jieba's own cache of the default dictionary, used only to rebuild the snapshot.
    tok.tmp_dir = str(directory)
    tok.cache_file = "jieba.cache"
    userdict = USERDICT.read_bytes()
    divisions = DIVISIONS.read_bytes() if DIVISIONS.is_file() else b""
    key = digest(jieba.__version__, userdict, divisions)

    def build() -> tuple[dict[str, int], int]:
        tok.initialize()
        for word, freq, tag in _userdict_entries(userdict.decode("utf-8")):
            tok.add_word(word, freq, tag)
        for name in _place_names(divisions.decode("utf-8-sig")):
            if not tok.FREQ.get(name):
                tok.add_word(name, None, "ns")
        return tok.FREQ, tok.total

    tok.FREQ, tok.total = snapshot(directory, "segment", key, build)
    tok.initialized = True
    return tok


def _idf_table() -> tuple[dict[str, float], float]:
    global _idf
    if _idf is None:
        with _lock:
            if _idf is None:
                _idf = snapshot(cache_dir(), "idf", digest(jieba.__version__), _read_idf)
    return _idf


def _read_idf() -> tuple[dict[str, float], float]:
    table: dict[str, float] = {}
    for line in IDF.read_text(encoding="utf-8").splitlines():
        word, _, value = line.strip().partition(" ")
        table[word] = float(value)
    # Words missing from jieba's table (the project's own terms among them) get the
    # median, as jieba.analyse does: neither favoured nor buried.
    return table, sorted(table.values())[len(table) // 2]


def _userdict_entries(text: str) -> Iterator[tuple[str, int | None, str | None]]:
    """(word, freq, tag) from jieba user-dictionary lines: `word [freq] [tag]`."""
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        if match is None:
            continue
        word, freq, tag = match.groups()
        yield word, int(freq) if freq else None, tag.strip() if tag else None


def _place_names(text: str) -> Iterator[str]:
    """Full and short names of provinces and prefectures from divisions.csv text."""
    for row in csv.DictReader(text.splitlines()):
        if row.get("level") in _PLACE_LEVELS:
            for name in (row.get("name"), row.get("short_name")):
                if name and len(name.strip()) >= 2:
                    yield name.strip()
