"""Theme taxonomy and keyword assignment: ingest.themes."""

import json
from pathlib import Path

import pytest

from ingest.themes import Theme, assign_themes, load_themes, theme_hits

THEMES = load_themes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("组建青年宣讲团，到村组开展宣讲三十场。", ("propaganda-education",)),
        ("举办民族团结宣传月，开展知识竞赛。", ("propaganda-education",)),
        ("机关干部与农牧民结对认亲，逢年过节走亲戚。", ("exchange",)),
        ("建设互嵌式社区，举办邻里节。", ("exchange",)),
        ("发展特色种植和养殖，带动群众增收。", ("economy-livelihood",)),
        ("用好对口支援资金，实施乡村振兴项目。", ("economy-livelihood",)),
        ("推行网格化管理，及时排查化解矛盾纠纷。", ("governance-law",)),
        ("设立人民调解室，配备专职调解员。", ("governance-law",)),
        ("成立创建工作领导小组，落实工作责任制。", ("leadership-mechanisms",)),
        ("县委常委会专题研究部署，建立联席会议制度。", ("leadership-mechanisms",)),
        ("挖掘非遗资源，打造民族风情景区。", ("culture-tourism",)),
        ("举办三月三歌舞展演，吸引游客。", ("culture-tourism",)),
        ("在中小学开设团结课堂，组织学生研学。", ("youth-schools",)),
        ("幼儿园开展双语教育。", ("youth-schools",)),
        ("在火车站设立红石榴驿站，服务进城务工人员。", ("migrant-services",)),
        ("为少数民族流动人口办理居住证。", ("migrant-services",)),
        (
            "在社区设立红石榴驿站，开展普法讲座，调解矛盾纠纷。",
            ("governance-law", "migrant-services"),
        ),
    ],
)
def test_initiatives_get_their_themes(text: str, expected: tuple[str, ...]) -> None:
    """A short initiative sentence is assigned the themes its keywords point to, best first."""
    assert assign_themes(text, THEMES) == expected


@pytest.mark.parametrize("text", ["今年天气晴朗，气温适宜。", "", "全县召开会议，听取汇报。"])
def test_text_without_theme_keywords_gets_no_theme(text: str) -> None:
    """No keyword hit, no theme."""
    assert assign_themes(text, THEMES) == ()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("加强宣传。", "propaganda-education"),
        ("完善机制。", "leadership-mechanisms"),
        ("组织舞蹈比赛。", "culture-tourism"),
    ],
)
def test_one_ordinary_keyword_is_not_enough(text: str, slug: str) -> None:
    """A single non-strong keyword (宣传, 机制, 舞蹈) stays below the threshold."""
    assert slug in theme_hits(text, THEMES)
    assert slug not in assign_themes(text, THEMES)


def test_a_keyword_counts_once_however_often_it_appears() -> None:
    """Repeating one ordinary keyword does not reach the threshold."""
    assert assign_themes("宣传，宣传，再宣传。", THEMES) == ()


def test_longest_keyword_wins_where_keywords_overlap() -> None:
    """红石榴驿站 is one hit, not also 驿站 inside it."""
    assert theme_hits("新建红石榴驿站", THEMES) == {"migrant-services": ("红石榴驿站",)}


def test_themes_are_ordered_by_score_then_taxonomy() -> None:
    """More points first; ties keep the order of the taxonomy file."""
    themes = (
        Theme("a", "甲", "A", ("宣讲", "讲座"), frozenset({"宣讲"})),
        Theme("b", "乙", "B", ("结对", "联谊"), frozenset({"结对", "联谊"})),
        Theme("c", "丙", "C", ("调解",), frozenset({"调解"})),
    )
    assert assign_themes("组织宣讲和讲座，结对联谊，调解纠纷", themes) == ("b", "a", "c")
    assert assign_themes("调解纠纷后组织宣讲", themes) == ("a", "c")


def test_fixture_has_the_curated_taxonomy() -> None:
    """fixtures/themes.json holds the eight themes, each with 15–40 keywords."""
    assert [theme.slug for theme in THEMES] == [
        "propaganda-education",
        "exchange",
        "economy-livelihood",
        "governance-law",
        "leadership-mechanisms",
        "culture-tourism",
        "youth-schools",
        "migrant-services",
    ]
    assert all(15 <= len(theme.keywords) <= 40 for theme in THEMES)
    assert all(theme.name and theme.name_en and theme.strong for theme in THEMES)


def write_themes(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    """A themes JSON file in tmp_path."""
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def theme_row(**overrides: object) -> dict[str, object]:
    """A valid theme row with fields replaced by `overrides`."""
    row: dict[str, object] = {
        "slug": "t",
        "name": "主题",
        "name_en": "Theme",
        "keywords": ["宣讲", "讲座"],
        "strong": ["宣讲"],
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([theme_row(), theme_row()], "duplicate theme slugs"),
        ([theme_row(keywords=[], strong=[])], "no keywords"),
        ([theme_row(keywords=["宣讲", "宣讲"])], "repeats a keyword"),
        ([theme_row(keywords=["宣", "讲座"], strong=[])], "one-character"),
        ([theme_row(strong=["联谊"])], "not in keywords"),
    ],
)
def test_invalid_taxonomy_is_refused(tmp_path: Path, rows: list, message: str) -> None:
    """load_themes rejects a file that would make assignment ambiguous or silent."""
    with pytest.raises(ValueError, match=message):
        load_themes(write_themes(tmp_path, rows))


def test_strong_is_optional_in_the_file(tmp_path: Path) -> None:
    """A theme without "strong" needs two distinct keyword hits."""
    row = {key: value for key, value in theme_row().items() if key != "strong"}
    themes = load_themes(write_themes(tmp_path, [row]))
    assert assign_themes("组织宣讲", themes) == ()
    assert assign_themes("组织宣讲和讲座", themes) == ("t",)
