"""The committed division table: required codes, size and a consistent hierarchy."""

from __future__ import annotations

import pytest

from ingest.divisions import LEVELS, load_divisions, load_townships

DIVISIONS = load_divisions()
BY_CODE = {d.code: d for d in DIVISIONS}
PARENT_LEVEL = {"province": None, "prefecture": "province"}


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("150102", "新城区", "150100"),
        ("150100", "呼和浩特市", "150000"),
        ("150603", "康巴什区", "150600"),
        ("450205", "柳北区", "450200"),
        ("150300", "乌海市", "150000"),
        ("654203", "沙湾市", "654200"),
        ("220184", "公主岭市", "220100"),
        ("110101", "东城区", "110000"),
        ("429004", "仙桃市", "420000"),
        ("659001", "石河子市", "650000"),
    ],
)
def test_required_division_present(code: str, name: str, parent: str) -> None:
    """Current divisions are in the table with the expected parent."""
    assert BY_CODE[code].name == name
    assert BY_CODE[code].parent == parent


@pytest.mark.parametrize("code", ["371200", "110100", "419000", "469000", "659000"])
def test_abolished_or_synthetic_code_absent(code: str) -> None:
    """Abolished divisions (莱芜市) and synthetic groupings (市辖区, 省直辖) have no row."""
    assert code not in BY_CODE


def test_table_size_is_about_3200() -> None:
    """The table holds the whole country down to county level, and codes are unique."""
    assert 3150 <= len(DIVISIONS) <= 3300
    assert len(BY_CODE) == len(DIVISIONS)


def test_every_parent_exists_and_levels_nest() -> None:
    """Provinces have no parent; prefectures sit under provinces; counties under either."""
    for division in DIVISIONS:
        assert division.level in LEVELS
        if division.level == "province":
            assert division.parent is None
            continue
        parent = BY_CODE[division.parent]
        if division.level == "prefecture":
            assert parent.level == "province"
        else:
            assert parent.level in ("province", "prefecture")
        assert division.code[:2] == division.parent[:2]


def test_municipality_districts_hang_from_the_municipality() -> None:
    """Districts of 北京/天津/上海/重庆 have the municipality itself as parent."""
    for municipality in ("110000", "120000", "310000", "500000"):
        children = [d for d in DIVISIONS if d.parent == municipality]
        assert children and all(d.level == "county" for d in children)


@pytest.mark.parametrize(
    ("name", "short_name"),
    [
        ("新城区", "新城"),
        ("呼和浩特市", "呼和浩特"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("恩施土家族苗族自治州", "恩施"),
        ("鄂托克前旗", "鄂托克前"),
        ("北川羌族自治县", "北川"),
        ("城区", "城区"),
        ("和县", "和县"),
    ],
)
def test_short_name_strips_suffix_but_never_to_one_character(name: str, short_name: str) -> None:
    """short_name drops the administrative suffix and ethnic names, keeping at least two characters."""
    assert {d.short_name for d in DIVISIONS if d.name == name} == {short_name}


def test_township_table_hangs_every_township_from_a_county() -> None:
    """Each of the ~38,500 streets and townships belongs to a county of the division table."""
    townships = load_townships()
    counties = {d.code for d in load_divisions() if d.level == "county"}
    assert 38_000 < len(townships) < 40_000
    assert all(t.county in counties and t.code.startswith(t.county) for t in townships)
    assert not [t for t in townships if "撤销" in t.name]
