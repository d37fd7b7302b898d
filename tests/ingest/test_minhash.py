"""MinHash signatures: the same in every process, close for reprints, far for other articles."""

import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.minhash import (
    MAX_CHARS,
    MIN_SHINGLES,
    NUM_PERM,
    SAME_ARTICLE,
    SEED,
    SHINGLE,
    Permutations,
    bands,
    shingles,
    signature,
    similarity,
)
from ingest.parse import parse_report

from .samples import CITY_REPORT, COUNTY_OTHER_REPORT, COUNTY_REPORT, reprint

REPO = Path(__file__).resolve().parents[2]


def body(text: str) -> str:
    return parse_report(text.encode()).body


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (COUNTY_REPORT, reprint(COUNTY_REPORT, "某某新闻网"), True),
        (reprint(COUNTY_REPORT, "某某新闻网"), reprint(COUNTY_REPORT, "北疆资讯"), True),
        (CITY_REPORT, reprint(CITY_REPORT, "鄂西在线"), True),
        (COUNTY_REPORT, COUNTY_OTHER_REPORT, False),
        (COUNTY_REPORT, CITY_REPORT, False),
    ],
)
def test_similarity_separates_reprints_from_other_articles(a, b, same):
    """Reprints score at or above SAME_ARTICLE and share a band; different articles do not."""
    sa, sb = signature(body(a)), signature(body(b))
    assert (similarity(sa, sb) >= SAME_ARTICLE) is same
    assert bool(set(bands(sa)) & set(bands(sb))) is same


def test_short_body_has_no_signature():
    """A body too short to tell articles apart is never grouped with anything."""
    assert signature("民族团结。") == [] and bands([]) == []
    assert similarity([], []) == 0.0


def test_signature_is_the_same_in_another_process():
    """Workers run in parallel processes: a signature does not depend on the process."""
    code = (
        "from ingest.minhash import signature, bands; "
        "from tests.ingest.samples import COUNTY_REPORT as t; "
        "s = signature(t); print(s[:8], bands(s)[:4])"
    )
    here = signature(COUNTY_REPORT)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == f"{here[:8]} {bands(here)[:4]}"


@pytest.mark.parametrize(
    "text",
    [
        COUNTY_REPORT,
        reprint(CITY_REPORT, "鄂西在线"),
        "ASCII words and 中文 mixed, 2023年 figures 130余场, full-width ＡＢＣ１２３ too.",
        "𠀀𠀁𠀂 characters beyond the BMP take four UTF-8 bytes: 𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎",
    ],
)
def test_signature_matches_datasketch(text):
    """Signatures equal datasketch's MinHash values, so ones stored before stay comparable."""
    from datasketch import MinHash

    reference = MinHash(num_perm=NUM_PERM, seed=SEED)
    reference.update_batch(list(shingles(text)))
    assert signature(text) == [int(v) for v in reference.hashvalues]


PRIME = (1 << 61) - 1
MASK64 = (1 << 64) - 1
NOISE = re.compile(r"[\s\W_]+")


def reference_shingles(text: str) -> set[bytes]:
    """The shingles as first defined: a str slice per position, each encoded."""
    plain = NOISE.sub("", text[:MAX_CHARS])
    return {plain[i : i + SHINGLE].encode() for i in range(len(plain) - SHINGLE + 1)}


def datasketch_signature(text: str) -> list[int]:
    """datasketch's MinHash of the reference shingles, [] below MIN_SHINGLES."""
    from datasketch import MinHash

    grams = reference_shingles(text)
    if len(grams) < MIN_SHINGLES:
        return []
    reference = MinHash(num_perm=NUM_PERM, seed=SEED)
    reference.update_batch(list(grams))
    return [int(v) for v in reference.hashvalues]


def reference_minimums(hashes: list[int], a: list[int], b: list[int]) -> list[int]:
    """datasketch's permutation arithmetic on Python integers."""
    return [
        min((((ai * h + bi) & MASK64) % PRIME) & 0xFFFFFFFF for h in hashes)
        for ai, bi in zip(a, b, strict=True)
    ]


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ASCII = st.characters(min_codepoint=0, max_codepoint=0x7F)
ANY = st.characters(codec="utf-8")  # every plane, emoji included, no lone surrogates
FEW = st.sampled_from(
    list("民族团结进步创建ab1２ ，。！\n\t😀𠀀é")
)  # repeats: few distinct shingles
BLANK = st.sampled_from(list(" \t\n\u3000，。、！？…—,.;:!?()（）《》_-"))
TEXTS = st.one_of(
    st.text(CJK, max_size=400),
    st.text(ASCII, max_size=400),
    st.text(ANY, max_size=400),
    st.text(FEW, max_size=200),
    st.text(BLANK, max_size=100),
    st.lists(st.one_of(st.text(CJK, max_size=30), st.text(ANY, max_size=5)), max_size=20).map(
        "".join
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_signature_matches_datasketch_for_any_text(text):
    """Any text (CJK, ASCII, mixed, emoji, short, punctuation only) signs as datasketch does."""
    assert shingles(text) == reference_shingles(text)
    assert signature(text) == datasketch_signature(text)


@settings(max_examples=2, deadline=None)
@given(
    st.integers(0, 2**32),
    st.sampled_from(["民族团结进步创建", "ab12é😀𠀀"]),
    st.text(ANY, max_size=50),
)
def test_long_body_signs_its_start_as_datasketch_does(seed, extra, head):
    """A body past MAX_CHARS is signed on its first MAX_CHARS characters, as datasketch does."""
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)] + list(extra) + [" ", "，"]
    text = head + "".join(random.Random(seed).choices(alphabet, k=MAX_CHARS + 20_000))
    assert signature(text) == datasketch_signature(text) == signature(text[:MAX_CHARS])


EDGES = [
    0,
    1,
    7,
    8,
    0xFFFF_FFFE,
    0xFFFF_FFFF,
    1 << 32,
    PRIME - 8,
    PRIME - 1,
    PRIME,
    PRIME + 1,
    PRIME + 7,
    PRIME + 0xFFFF_FFFF,
    2 * PRIME,
    2 * PRIME + 1,
    (1 << 62) + 5,
    6 * (1 << 61) + PRIME,
    5 * (1 << 61) + PRIME - 3,
    8 * PRIME - 1,
    MASK64 - 1,
    MASK64,
    0x0123_4567_89AB_CDEF,
]


@pytest.mark.parametrize("x", EDGES)
def test_minimums_are_exact_at_the_edges(x):
    """Products on or next to multiples of 2**61 - 1 and 2**32 still give datasketch's values."""
    a = [1, 1, 3, 1]
    b = [x, (x - 1) & MASK64, x, (x + 2) & MASK64]
    for hashes in ([0], [0, 1, 5], [0xFFFF_FFFF, 0]):
        permutations = Permutations(np.array(a, np.uint64), np.array(b, np.uint64), block=2)
        found = permutations.minimums(np.array(hashes, np.uint64))
        assert found.tolist() == reference_minimums(hashes, a, b)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 0xFFFF_FFFF), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, MASK64), st.integers(0, MASK64)), min_size=1, max_size=8),
    st.integers(1, 16),
)
def test_minimums_match_datasketch_arithmetic(hashes, pairs, block):
    """Any hashes, permutations and block size give datasketch's per-permutation minimum."""
    a, b = ([pair[i] for pair in pairs] for i in (0, 1))
    permutations = Permutations(np.array(a, np.uint64), np.array(b, np.uint64), block=block)
    found = permutations.minimums(np.array(hashes, np.uint64))
    assert found.tolist() == reference_minimums(hashes, a, b)


def test_no_hashes_leave_the_maximum():
    """With no shingle every permutation keeps datasketch's starting value, 2**32 - 1."""
    permutations = Permutations(np.array([1, 5], np.uint64), np.array([0, 9], np.uint64))
    assert permutations.minimums(np.array([], np.uint64)).tolist() == [0xFFFF_FFFF] * 2


def test_threads_signing_at_once_get_the_same_signatures():
    """Threads sharing the process (a threaded server) never mix each other's work arrays."""
    texts = [reprint(COUNTY_REPORT, f"站点{i}") * (1 + i % 3) for i in range(8)] + [CITY_REPORT]
    expected = [signature(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(5):
            assert list(pool.map(signature, texts)) == expected
