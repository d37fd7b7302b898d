"""The administrative division table as loaded by migrate, and the tree helpers."""

import pytest

from catalogue.models import Region

pytestmark = pytest.mark.django_db


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
    ],
)
def test_current_divisions_are_loaded_with_their_parent(code, name, parent):
    """A fresh database has the current division table, each row under its parent."""
    region = Region.objects.get(code=code)
    assert region.name == name
    assert region.parent_id == parent


def test_abolished_divisions_are_absent():
    """莱芜市 was merged into 济南 in 2019 and is not in the current table."""
    assert not Region.objects.filter(code="371200").exists()


def test_table_is_complete_and_levels_consistent():
    """About 3,200 divisions; provinces have no parent, others have one a level up."""
    assert 3000 < Region.objects.count() < 3600
    assert Region.objects.filter(level="province").count() == 34
    assert not Region.objects.filter(level="province", parent__isnull=False).exists()
    assert not Region.objects.exclude(level="province").filter(parent__isnull=True).exists()
    assert not Region.objects.filter(level="prefecture").exclude(parent__level="province").exists()


@pytest.mark.parametrize("municipality", ["110000", "310000", "120000", "500000"])
def test_municipality_districts_sit_under_the_municipality(municipality):
    """Districts of 北京, 上海, 天津, 重庆 are found below the municipality."""
    city = Region.objects.get(code=municipality)
    counties = Region.objects.descendants_of(city).filter(level="county")
    assert counties.count() >= 10


def test_ancestors_run_from_province_down():
    """A county's ancestors are its province then its prefecture."""
    xincheng = Region.objects.select_related("parent__parent").get(code="150102")
    assert [r.code for r in xincheng.ancestors()] == ["150000", "150100"]
    assert xincheng.path == ["内蒙古自治区", "呼和浩特市", "新城区"]
    assert list(Region.objects.ancestors_of(xincheng).values_list("code", flat=True)) == [
        "150000",
        "150100",
    ]


def test_descendants_include_prefectures_and_counties():
    """A province's descendants are all prefectures and counties below it, and nothing else."""
    nmg = Region.objects.get(code="150000")
    below = Region.objects.descendants_of(nmg)
    codes = set(below.values_list("code", flat=True))
    assert {"150100", "150102", "150603"} <= codes
    assert "150000" not in codes
    assert all(code.startswith("15") for code in codes)
    assert "150000" in set(
        Region.objects.descendants_of(nmg, include_self=True).values_list("code", flat=True)
    )
