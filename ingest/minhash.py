"""Near-duplicate bodies: MinHash signatures of character shingles and their LSH bands.

Reprints of one article on different sites differ in page chrome, reprint notices
and punctuation; their bodies share most character shingles. A signature estimates
the Jaccard similarity of two shingle sets; band hashes let the database find the
candidates (any equal band) without comparing every report. Everything is seeded
and hashed with fixed functions, so two processes give the same values.

The values are those of datasketch's `MinHash(num_perm=NUM_PERM, seed=SEED)` fed
the shingles (SHA-1, first 4 bytes little-endian, then its seeded universal
permutations), so signatures stored by earlier versions stay comparable; the same
arithmetic is done here in numpy because importing datasketch pulls in scipy (0.6 s
and ~40 MB in every ingest process) and its per-shingle hash calls cost 2 ms a report.
"""

from __future__ import annotations

import functools
import hashlib
import re
import struct

import numpy as np

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
# datasketch's universal hashing: (a * h + b) mod a Mersenne prime (the product wraps
# at 64 bits first, as numpy's uint64 does), cut to 32 bits.
_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_SHIFT = np.uint64(61)


def shingles(body: str) -> set[bytes]:
    """Character shingles of the body with spaces and punctuation removed."""
    plain = _NOISE.sub("", body[:MAX_CHARS])
    return {plain[i : i + SHINGLE].encode() for i in range(len(plain) - SHINGLE + 1)}


def signature(body: str) -> list[int]:
    """The body's MinHash signature; empty when the body is too short to compare."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return []
    hashes = shingle_hashes(grams)
    a, b = _permutations()
    mins = np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64)
    for start in range(0, len(hashes), BATCH):
        permuted = hashes[start : start + BATCH, np.newaxis] * a  # wraps at 64 bits
        permuted += b
        permuted = mod_mersenne(permuted)
        permuted &= _MAX_HASH
        np.minimum(mins, permuted.min(axis=0), out=mins)
    return mins.tolist()


def mod_mersenne(values: np.ndarray) -> np.ndarray:
    """`values % (2**61 - 1)` for uint64 values, in place, without a division.

    x = hi * 2**61 + lo is congruent to hi + lo (2**61 = 1 mod p); hi <= 7, so
    hi + lo < 2 * p and at most one subtraction is left. Integer division is the
    slowest step of the signature otherwise.
    """
    high = values >> _SHIFT
    values &= _MERSENNE_PRIME
    values += high
    over = values >= _MERSENNE_PRIME
    if over.any():
        values[over] -= _MERSENNE_PRIME
    return values


def shingle_hashes(grams: set[bytes]) -> np.ndarray:
    """Each shingle's 32-bit hash: the first 4 bytes of its SHA-1, little-endian.

    The whole digests are joined into one buffer and numpy takes their first 4 bytes,
    instead of a slice and a struct call per shingle.
    """
    sha1 = hashlib.sha1
    digests = b"".join([sha1(gram).digest() for gram in grams])
    first4 = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)[:, :4]
    return np.ascontiguousarray(first4).view("<u4").ravel().astype(np.uint64)


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The seeded permutations (a, b), drawn as datasketch draws them, once per process."""
    generator = np.random.RandomState(SEED)
    pairs = [
        (
            generator.randint(1, _MERSENNE_PRIME, dtype=np.uint64),
            generator.randint(0, _MERSENNE_PRIME, dtype=np.uint64),
        )
        for _ in range(NUM_PERM)
    ]
    a, b = np.array(pairs, dtype=np.uint64).T
    return a, b


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
