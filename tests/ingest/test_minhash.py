"""MinHash signatures: the same in every process, close for reprints, far for other articles."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.minhash import SAME_ARTICLE, bands, mod_mersenne, signature, similarity
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

    from ingest.minhash import NUM_PERM, SEED, shingles

    reference = MinHash(num_perm=NUM_PERM, seed=SEED)
    reference.update_batch(list(shingles(text)))
    assert signature(text) == [int(v) for v in reference.hashvalues]


PRIME = (1 << 61) - 1


@pytest.mark.parametrize(
    "value",
    [
        0,
        1,
        7,
        PRIME - 1,
        PRIME,
        PRIME + 1,
        PRIME + 7,
        2 * PRIME,
        2 * PRIME + 1,
        1 << 61,
        (1 << 62) + 5,
        (1 << 64) - 1,
        8 * PRIME - 1,
        8 * PRIME + 7,
        0x0123_4567_89AB_CDEF,
    ],
)
def test_mod_mersenne_is_the_remainder(value):
    """The division-free reduction gives `value % (2**61 - 1)` for every uint64, edges included."""
    values = np.array([value, 12345], dtype=np.uint64)
    assert [int(v) for v in mod_mersenne(values)] == [value % PRIME, 12345]
