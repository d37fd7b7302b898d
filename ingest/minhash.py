"""Near-duplicate bodies: MinHash signatures of character shingles and their LSH bands.

Reprints of one article on different sites differ in page chrome, reprint notices
and punctuation; their bodies share most character shingles. A signature estimates
the Jaccard similarity of two shingle sets; band hashes let the database find the
candidates (any equal band) without comparing every report. Everything is seeded
and hashed with fixed functions, so two processes give the same values.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct

from datasketch import MinHash

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs above ~0.42 Jaccard share a band with high chance
ROWS = NUM_PERM // BANDS
SEED = 20260101
SHINGLE = 5  # characters; measured in bench/reprints.py
MIN_SHINGLES = 20  # shorter bodies say too little to call two reports the same article
# Only the start of a long body is signed: it identifies the article as well, and a
# 5 MB body would otherwise cost seconds of hashing. Batches bound numpy's
# (permutations x shingles) array.
MAX_CHARS = 100_000
BATCH = 8_192
# Estimated Jaccard from which two bodies are the same article, chosen by measurement
# (bench/reprints.py): the same article with other chrome, a reprint notice, other
# punctuation or a cut closing line scored 0.76-0.91; different articles of one
# county, and the five seed reports pairwise, scored 0.00-0.02. 0.5 sits between
# with room for heavier edits; LSH with 32 bands of 4 finds a pair at 0.5 with p 0.87
# and at 0.76 with p > 0.99.
SAME_ARTICLE = 0.5

_NOISE = re.compile(r"[\s\W_]+")


def shingles(body: str) -> set[bytes]:
    """Character shingles of the body with spaces and punctuation removed."""
    plain = _NOISE.sub("", body[:MAX_CHARS])
    return {plain[i : i + SHINGLE].encode() for i in range(len(plain) - SHINGLE + 1)}


def signature(body: str) -> list[int]:
    """The body's MinHash signature; empty when the body is too short to compare."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return []
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations())
    grams_list = list(grams)  # a minimum: any order gives the same signature
    for start in range(0, len(grams_list), BATCH):
        sketch.update_batch(grams_list[start : start + BATCH])
    return [int(v) for v in sketch.hashvalues]


@functools.cache
def _permutations() -> object:
    """The seeded permutations, drawn once per process instead of once per signature."""
    return MinHash(num_perm=NUM_PERM, seed=SEED).permutations


def bands(sig: list[int]) -> list[int]:
    """One signed 64-bit hash per band of the signature (its position included)."""
    out = []
    for band in range(BANDS if sig else 0):
        rows = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f">{ROWS + 1}Q", band, *rows), digest_size=8)
        out.append(int.from_bytes(digest.digest(), "big", signed=True))
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
