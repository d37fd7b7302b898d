"""Figures are written as people read them, the same on every page and chart."""

from decimal import Decimal

import pytest

from catalogue.numbers import readable_figure

D = Decimal


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (D("36310000000"), "元", "exact", "363.1亿元"),
        (D("153000"), "人", "exact", "15.3万人"),
        (D("100000"), "人", "more_than", "10万余人"),
        (D("1800"), "个", "exact", "1,800个"),
        (D("44.3"), "%", "exact", "44.3%"),
        (D("130"), "场", "more_than", "130余场"),
        (D("5000"), "人次", "approx", "约5,000人次"),
        (D("20"), "场", "at_least", "不少于20场"),
        (D("3"), "个", "less_than", "不到3个"),
        (D("95"), "%", "more_than", "超过95%"),
        (D("10000"), "人", "exact", "1万人"),
        (D("9999"), "人", "exact", "9,999人"),
        (D("123456"), "人", "exact", "12.35万人"),  # two decimals at most, rounded half up
        (D("100000000"), "元", "exact", "1亿元"),
        (D("1.500000"), "个", "exact", "1.5个"),  # stored decimals lose their trailing zeros
        (D("120.000000"), "场次", "exact", "120场次"),
        (D("12000"), "万元", "exact", "12000万元"),  # a unit with its own scale is not rescaled
        (D("17200"), "平方公里", "exact", "1.72万平方公里"),
        (D("0"), "个", "exact", "0个"),
    ],
)
def test_readable_figure(value, unit, qualifier, expected):
    """Large numbers in 万/亿, small ones with separators, qualifiers kept in Chinese order."""
    assert readable_figure(value, unit, qualifier) == expected
