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
import threading
from collections.abc import Sequence

import numpy as np

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs above ~0.42 Jaccard share a band with high chance
ROWS = NUM_PERM // BANDS
SEED = 20260101
SHINGLE = 5  # characters; measured in bench/reprints.py
MIN_SHINGLES = 20  # shorter bodies say too little to call two reports the same article
# Only the start of a long body is signed: it identifies the article as well, and a
# 5 MB body would otherwise cost seconds of hashing.
MAX_CHARS = 100_000
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
_ONE = np.uint64(1)
# A permutation whose offset minimum is below this may hold a cell that needed the rare
# correction (Permutations.minimums): it is recomputed with numpy's exact remainder.
_SUSPECT = 8
# Shingles per numpy block: the four (permutations x block) uint64 arrays, 256 KB
# each, fit the core's 1 MB L2 cache together across the passes over them (measured
# 128-1024: 256 best).
BLOCK = 256


def shingles(body: str) -> set[bytes]:
    """Character shingles of the body with spaces and punctuation removed."""
    plain = _NOISE.sub("", body[:MAX_CHARS])
    if len(plain) < SHINGLE:
        return set()
    data = plain.encode()  # once, then sliced at character boundaries
    starts = _char_starts(data, len(plain))
    # shingle i spans characters i to i + SHINGLE; the last SHINGLE - 1 characters begin none
    return {data[start:end] for start, end in zip(starts, starts[SHINGLE:], strict=False)}


def _char_starts(data: bytes, chars: int) -> Sequence[int]:
    """The byte offset at which each character of UTF-8 `data` starts, then its length."""
    if len(data) == chars:  # ASCII
        return range(chars + 1)
    continuation = (np.frombuffer(data, dtype=np.uint8) & 0xC0) == 0x80
    return [*np.flatnonzero(~continuation).tolist(), len(data)]


def signature(body: str) -> list[int]:
    """The body's MinHash signature; empty when the body is too short to compare."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return []
    return _permutations().minimums(shingle_hashes(grams)).tolist()


def shingle_hashes(grams: set[bytes]) -> np.ndarray:
    """Each shingle's 32-bit hash: the first 4 bytes of its SHA-1, little-endian.

    The whole digests are joined into one buffer and numpy reads every fifth 4-byte
    word of it, instead of a slice and a struct call per shingle. hashlib's OpenSSL
    SHA-1 was the cheapest per call of the variants measured (CPython's own _sha1,
    hashlib.new, map over methodcaller).
    """
    sha1 = hashlib.sha1
    digests = b"".join([sha1(gram).digest() for gram in grams])
    return np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint64)


class Permutations:
    """Seeded universal permutations (a, b) and the minimum of each over shingle hashes."""

    def __init__(self, a: np.ndarray, b: np.ndarray, block: int = BLOCK) -> None:
        self.a = np.asarray(a, dtype=np.uint64)
        self.b = np.asarray(b, dtype=np.uint64)
        # Tiled to (permutations x block) so that every pass reads two contiguous
        # arrays: numpy's broadcast outer product ran at half the speed.
        self._a = np.ascontiguousarray(np.tile(self.a[:, np.newaxis], (1, block)))
        self._b1 = np.ascontiguousarray(np.tile((self.b + _ONE)[:, np.newaxis], (1, block)))
        self._block = block
        self._local = threading.local()  # a thread's own reused work arrays

    def minimums(self, hashes: np.ndarray) -> np.ndarray:
        """min over h of ((a * h + b) mod 2**64 mod (2**61 - 1)) & 0xFFFFFFFF, per (a, b).

        Exactly datasketch's values, in fewer passes than a full remainder. Write
        x = (a * h + b) mod 2**64 = hi * 2**61 + lo (hi = x >> 61 <= 7, lo = x & p with
        p = 2**61 - 1) and s = lo + hi. As 2**61 = 1 (mod p), x = s (mod p), and
        s <= p + 7 < 2p, so x mod p is s, or s - p when s >= p. As 2**32 divides 2**61,
        s - p = s + 1 - 2**61 = s + 1 (mod 2**32): the wanted value is
        v = (s + [s >= p]) mod 2**32.

        Computed instead, with b + 1 (mod 2**64) added: x' = x + 1 (mod 2**64) and
        u = (x' + (x' >> 61)) mod 2**32, no comparison. If lo < p, then lo + 1 <= p
        carries nothing into the top bits, x' >> 61 = hi and u = (s + 1) mod 2**32:
        where s < p that is v + 1; where s >= p, s + 1 is in [2**61, 2**61 + 6] and
        u = v <= 6. If lo = p, x' = (hi + 1) * 2**61 (mod 2**64), so u = (hi + 1) mod 8
        <= 7, while v = (p + hi + 1) mod 2**32 = hi. So every cell needing the
        correction, or whose v + 1 wraps to 0, has u < 8, and every cell with u >= 8
        has v = u - 1. A permutation whose minimum u is >= 8 thus has minimum v equal
        to it minus 1; the others (per permutation, a chance of 8 in 2**32 per
        shingle) are recomputed with numpy's exact remainder.
        """
        if not len(hashes):
            return np.full(len(self.a), _MAX_HASH, dtype=np.uint64)
        cells, high = self._arrays()
        mins = np.full(len(self.a), _MAX_HASH, dtype=np.uint64)
        for start in range(0, len(hashes), self._block):
            part = hashes[start : start + self._block]
            width = len(part)
            x, top = cells[:, :width], high[:, :width]
            np.multiply(self._a[:, :width], part, out=x)  # wraps at 64 bits, as datasketch
            np.add(x, self._b1[:, :width], out=x)
            np.right_shift(x, _SHIFT, out=top)
            np.add(x, top, out=x)
            np.bitwise_and(x, _MAX_HASH, out=x)
            np.minimum(mins, x.min(axis=1), out=mins)
        suspect = np.flatnonzero(mins < _SUSPECT)
        mins -= _ONE
        for row in suspect.tolist():
            mins[row] = self._exact_minimum(hashes, row)
        return mins

    def _exact_minimum(self, hashes: np.ndarray, row: int) -> np.uint64:
        """One permutation's minimum, with numpy's (slow, exact) remainder."""
        permuted = hashes * self.a[row] + self.b[row]  # wraps at 64 bits
        return ((permuted % _MERSENNE_PRIME) & _MAX_HASH).min()

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """This thread's two (permutations x block) work arrays, allocated once."""
        arrays = getattr(self._local, "arrays", None)
        if arrays is None:
            shape = self._a.shape
            arrays = self._local.arrays = (np.empty(shape, np.uint64), np.empty(shape, np.uint64))
        return arrays


@functools.cache
def _permutations() -> Permutations:
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
    return Permutations(a, b)


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
