"""Golden cases: invented pages (NAME.txt) beside what a reader extracts from them (NAME.json).

Each case is one pattern real pages use: a headline without a label, a date run into
来源, a story located only by its street, paired figures, a prefecture's source line, a
parent named in full, measure words the unit list lacks. Title, date and region must be
exact, programme headings exact, and indicators must match one to one on value and
unit with the expected word in the label.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.parse import parse_report

GOLDEN = Path(__file__).with_name("golden")
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def _indicator_f1(expected: list[dict], got: list) -> float:
    """F1 of (value, unit) matches whose label contains the expected word."""
    left = list(got)
    hits = 0
    for want in expected:
        for n in left:
            if n.value == Decimal(str(want["value"])) and n.unit == want["unit"]:
                if want["label"] in n.label:
                    hits += 1
                left.remove(n)
                break
    if not expected and not got:
        return 1.0
    precision = hits / len(got) if got else 0.0
    recall = hits / len(expected) if expected else 0.0
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def test_there_are_ten_golden_cases():
    """The suite holds at least ten cases, each with its expected JSON."""
    assert len(CASES) >= 10
    assert all((GOLDEN / f"{name}.json").exists() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_golden_case(name: str) -> None:
    """Title, date, region and headings are exact; indicators match with F1 1.0."""
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    parsed = parse_report((GOLDEN / f"{name}.txt").read_bytes())
    assert parsed.title_derived is expected["title_derived"], parsed.title
    if expected["title"] is not None:
        assert parsed.title == expected["title"]
    published = parsed.published.isoformat() if parsed.published else None
    assert published == expected["published"]
    assert parsed.region.code == expected["region"], parsed.region.reason
    titles = [re.sub(r"\s", "", p.title) for p in parsed.programmes]
    assert titles == expected["programmes"]
    found = [(str(n.value), n.unit, n.label) for n in parsed.indicators]
    assert _indicator_f1(expected["indicators"], list(parsed.indicators)) == 1.0, found
