"""A new report joins the group of its most similar stored report, judged on the server."""

from __future__ import annotations

import pytest

from catalogue.models import Report
from ingest import identity
from ingest.minhash import NUM_PERM, bands

pytestmark = pytest.mark.django_db

BASE = list(range(1_000, 1_000 + NUM_PERM))


def signature(equal: int, offset: int = 0) -> list[int]:
    """A signature sharing its first `equal` positions with BASE, the rest its own."""
    return BASE[:equal] + [5_000_000 + offset + i for i in range(NUM_PERM - equal)]


def stored(n: int, sig: list[int], *, head: Report | None = None) -> Report:
    """A stored report with this signature (and, for a reprint, its group's head); every
    one of them shares band 42, so each is a candidate of every other."""
    return Report.objects.create(
        title=f"r{n}",
        source_file=f"r{n}.txt",
        sha256=f"{n:064x}",
        parser_version="test",
        minhash=sig,
        minhash_bands=[42, *bands(sig[:NUM_PERM])] if len(sig) == NUM_PERM else [42],
        duplicate_of=head,
        hidden=head is not None,
    )


@pytest.mark.parametrize(
    ("equals", "expected"),
    [
        ((100, 90), 0),  # the most similar
        ((90, 100), 1),
        ((96, 96), 0),  # a tie: the lowest id
        ((60, 64), 1),  # exactly SAME_ARTICLE (64 of 128) is the same article
        ((60, 63), None),  # just below it
    ],
)
def test_the_most_similar_report_at_or_above_the_threshold_is_chosen(equals, expected):
    """The candidate with the most equal signature positions wins, the older on a tie."""
    candidates = [stored(n, signature(e, offset=1_000 * n)) for n, e in enumerate(equals)]
    found = identity._nearest(stored(9, BASE))
    assert found == (None if expected is None else candidates[expected].pk)


def test_a_reprint_leads_to_its_public_report():
    """A near duplicate that is itself a reprint points to the head of its group."""
    head = stored(1, signature(10, offset=7_000))
    reprint = stored(2, BASE, head=head)
    new = stored(3, BASE)
    assert identity._nearest(new) == head.pk != reprint.pk


def test_a_signature_of_another_length_is_never_a_near_duplicate():
    """A report signed with another number of permutations is not compared position by position."""
    stored(1, BASE[: NUM_PERM // 2])
    assert identity._nearest(stored(2, BASE)) is None
