"""On the real seed reports, the figures issue 9 names get the right measure and period."""

from decimal import Decimal

import pytest

from ingest.parse import parse_report
from ingest.types import ParsedIndicator, PeriodKind

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def seed_indicators() -> list[ParsedIndicator]:
    """Every indicator parsed from the seed folder."""
    from tests.conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}; set CATALOGUE_SEEDS to run corpus tests")
    return [
        n
        for path in sorted(SEEDS.glob("*.txt"))
        for n in parse_report(path.read_bytes()).indicators
    ]


def _only(indicators: list[ParsedIndicator], value: str, unit: str) -> ParsedIndicator:
    found = [n for n in indicators if n.value == Decimal(value) and n.unit == unit]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("value", "unit", "measure"),
    [
        ("153000", "人", "population"),  # 15.3万人
        ("12000", "人", "minority-population"),  # 1.2万人
        ("44.3", "%", "forest-coverage"),
        ("36310000000", "元", "gdp"),  # 363.1亿元
        ("6.7", "%", "gdp-growth"),
        ("130", "场", "events"),
        ("100000", "人", "participants"),  # 10万余人
    ],
)
def test_seed_figures_get_their_measure(seeds_dir, seed_indicators, value, unit, measure):
    """The seven figures the issue names are classified as it says."""
    assert _only(seed_indicators, value, unit).measure == measure


def test_seed_gdp_is_a_half_year_figure_of_2023(seeds_dir, seed_indicators):
    """地区生产总值 of 2023年上半年 is a half-year figure of 2023, its period kept as written."""
    gdp = _only(seed_indicators, "36310000000", "元")
    assert (gdp.period_kind, gdp.period_year) == (PeriodKind.HALF_YEAR, 2023)
    assert gdp.period == "2023年上半年"


def test_seed_percentages_are_not_all_forest_coverage(seeds_dir, seed_indicators):
    """Of the seeds' percentages only one is forest coverage; the rest are other measures or null."""
    percentages = [n for n in seed_indicators if n.unit == "%"]
    assert len(percentages) > 3
    assert [n.measure for n in percentages].count("forest-coverage") == 1
