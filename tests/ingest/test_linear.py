"""Parsing time grows in proportion to the text, however hostile its shape.

Each case parses a text and the same text sixteen times longer and compares the CPU
time: linear work takes about 16x, quadratic work about 256x. The bound (40x) leaves
room for noise on a busy machine while catching any step that rescans the text.
"""

import time

import pytest

from ingest.parse import resources
from ingest.quantities import extract_indicators
from ingest.regions import resolve_region
from ingest.structure import parse_structure

GROWTH = 16
MAX_RATIO = 40


def _cpu_seconds(function, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        function(text)
        best = min(best, time.process_time() - started)
    return best


def _region(text: str):
    return resolve_region(title=None, sources=(), body=text, divisions=resources().gazetteer)


def _no_full_stops(n: int) -> str:
    # figures and periods, commas only inside brackets: one sentence, one clause
    return "今年以来" + "".join(f"开展活动{i % 97 + 1}场(其中{i % 7 + 1}项)" for i in range(n))


def _open_quote(n: int) -> str:
    # an opening quote never closed: every verb's head is "inside a quote"
    return "“" + "开展了宣讲活动举办了培训" * n + "共5场。"


def _places_on_one_line(n: int) -> str:
    return "".join(f"呼和浩特市赤峰市各族群众开展活动{i}次地址:某路{i}号" for i in range(n))


def _many_paragraphs(n: int) -> str:
    lines = [f"各族群众参加宣讲活动第{i}期共{i}人。" for i in range(n)]
    return "一、宣传教育\n二、交往交流\n" + "\n".join(lines)


CASES = [
    pytest.param(extract_indicators, _no_full_stops, 300, id="figure-periods-in-one-sentence"),
    pytest.param(extract_indicators, _open_quote, 300, id="label-verbs-after-open-quote"),
    pytest.param(_region, _places_on_one_line, 2000, id="place-names-on-one-line"),
    pytest.param(parse_structure, _many_paragraphs, 4000, id="closing-of-many-paragraphs"),
]


@pytest.mark.parametrize(("function", "make", "size"), CASES)
def test_parsing_time_grows_linearly(function, make, size):
    """A text sixteen times longer takes about 16x (never ~256x) the CPU time to parse."""
    resources()
    function(make(size))  # warm caches and compiled patterns
    small = _cpu_seconds(function, make(size))
    large = _cpu_seconds(function, make(size * GROWTH))
    assert large <= MAX_RATIO * max(small, 0.002), f"{small:.4f}s -> {large:.4f}s"
