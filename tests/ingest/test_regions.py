"""resolve_region: which division a report is about, from invented snippets."""

from __future__ import annotations

import pytest

from ingest.regions import Gazetteer, resolve_region

GAZETTEER = Gazetteer.default()
FOOTER = "\n主办单位:某某网站  地址:北京市东城区某某大街1号  电话:010-12345678"


def resolve(body: str, title: str | None = None, sources: tuple[str, ...] = ()) -> str | None:
    return resolve_region(title=title, sources=sources, body=body, divisions=GAZETTEER).code


@pytest.mark.parametrize(
    ("title", "sources", "body", "code"),
    [
        # a district name shared by several cities, settled by the city named elsewhere
        (
            "新城区举办民族团结进步宣传月",
            (),
            "近日,呼和浩特市新城区举办宣传活动。全区各族群众参加。",
            "150102",
        ),
        (
            "新城区举办民族团结进步宣传月",
            (),
            "近日,西安市新城区举办宣传活动。全区各族群众参加。",
            "610102",
        ),
        (
            None,
            ("新城区融媒体中心", "呼和浩特统一战线"),
            "新城区坚持铸牢主线。全区开展活动。",
            "150102",
        ),
        # county, banner, county-level city, league
        ("鄂托克前旗:石榴籽家园建设见闻", (), "鄂托克前旗在全旗推进互嵌式社区建设。", "150623"),
        ("满洲里市创建全国示范市", (), "满洲里市地处边境,我市各族群众守望相助。", "150781"),
        ("兴安盟召开民族工作会议", (), "兴安盟各旗县市负责同志参加会议。", "152200"),
        # short names
        (None, (), "康巴什地处高原腹地,近年来康巴什坚持以铸牢意识为主线。", "150603"),
        ("广西:促进各民族交往交流交融", (), "广西各地深入开展创建活动。", "450000"),
        # autonomous prefecture by its spoken form, autonomous county whose short name is a word
        ("恩施州推进民族团结进步示范州建设", (), "恩施州各族干部群众参加。", "422800"),
        ("互助县开展民族团结进步创建", (), "互助县坚持各族群众互帮互助,全县形成合力。", "630223"),
        # a county report naming its prefecture goes to the county
        (
            "三江侗族自治县创新工作方法",
            (),
            "柳州市三江侗族自治县立足县情,三江县全县推进。",
            "450226",
        ),
        # a prefecture report naming one of its districts in passing stays with the prefecture
        (
            "赤峰市:民族团结之花处处开",
            (),
            "赤峰市坚持主线。全市推进创建。赤峰市成功获评示范市。红山区某社区获表彰。",
            "150400",
        ),
    ],
)
def test_resolves_the_place_the_report_is_about(
    title: str | None, sources: tuple[str, ...], body: str, code: str
) -> None:
    """The most specific place the title, lead, sources and body are about wins."""
    assert resolve(body, title, sources) == code


def test_footer_address_does_not_win() -> None:
    """A footer's Beijing address names the website's office, not the subject."""
    body = "乌海市推进民族团结进步创建,乌海各族群众同心协力。" + FOOTER * 3
    assert resolve(body, "团结奋进 同心筑梦") == "150300"


def test_ordinary_words_are_not_places() -> None:
    """战略合作 is not 合作市 and 创新民族 is not 新民市."""
    body = "该单位与企业签订战略合作协议,拓展战略合作市场,创新民族工作方式。" * 3
    match = resolve_region(title=None, sources=(), body=body, divisions=GAZETTEER)
    assert match.code is None
    assert match.reason == "no place named"


def test_a_people_is_not_its_autonomous_county() -> None:
    """东乡族 (the people) is not 东乡族自治县."""
    assert resolve("东乡族群众和汉族群众和睦相处。东乡族文化得到传承。") is None


def test_a_spirit_named_after_a_place_is_not_the_place() -> None:
    """延安精神 and 井冈山精神 are ideals, not the region a report is about."""
    assert resolve("大力弘扬延安精神、井冈山精神。传承延安精神,赓续井冈山精神。") is None


def test_partner_city_in_an_exchange_does_not_win() -> None:
    """A city the report's own unit pairs with or visits is not what the report is about."""
    body = (
        "乌海市坚持铸牢主线,乌海各族群众同心协力。我市与广州市天河区结对共建,"
        "同天河区签订合作协议,组织干部赴广州市天河区交流学习。"
    )
    assert resolve(body, "携手共进 团结奋斗") == "150300"


def test_national_bodies_name_no_place() -> None:
    """国家民委 and 中央民族干部学院 are national bodies, not a region."""
    body = "国家民委有关负责同志到中央民族干部学院调研,强调铸牢中华民族共同体意识。"
    assert resolve(body) is None


@pytest.mark.parametrize(
    "body",
    [
        "新城区开展民族团结进步宣传活动。",  # 新城区 exists in several cities and none is named
        "呼和浩特市和西安市分别开展活动。呼和浩特市和西安市都取得成效。",  # two unrelated cities
        "今年以来各地积极开展民族团结进步创建活动,取得明显成效。",  # no place at all
    ],
)
def test_undecidable_pages_get_no_region(body: str) -> None:
    """No place, an ambiguous name or a tie between unrelated places gives None with a reason."""
    match = resolve_region(title=None, sources=(), body=body, divisions=GAZETTEER)
    assert match.code is None
    assert match.reason


def test_a_lone_passing_mention_is_not_enough() -> None:
    """One mention deep in the body is not evidence of what the page is about."""
    body = "各族群众共同团结奋斗。" * 30 + "有代表来自成都市。"
    assert resolve(body) is None


def test_reason_names_the_place_and_where_it_was_found() -> None:
    """The reason says which place won and in which parts of the page it was named."""
    match = resolve_region(
        title="柳北区构筑中华民族共同体",
        sources=(),
        body="柳州市柳北区立足区情,全区推进创建。",
        divisions=GAZETTEER,
    )
    assert match.code == "450205"
    assert "柳北区" in match.reason and "title" in match.reason


def test_menu_of_places_does_not_count() -> None:
    """A portal line listing many cities is navigation, not what the page is about."""
    menu = "地方动态 北京 上海 广州 深圳 成都 西安\n"
    filler = "各族群众共同团结奋斗、共同繁荣发展。" * 12
    story = "鄂托克前旗开展创建活动。鄂托克前旗各族群众积极参与。鄂托克前旗获评示范旗。"
    assert resolve(menu + filler + story) == "150623"


@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        # a street found once in the table locates the story in its county (恩施市)
        (
            "石榴籽紧紧抱在一起",
            "近日,舞阳坝街道某社区开展主题活动,舞阳坝街道各族居民参加。",
            "422801",
        ),
        # a town name shared by six counties, settled by the prefecture the lead names (松山区)
        ("某镇各族群众一家亲", "近年来,赤峰市大庙镇坚持主线。大庙镇各族群众同心协力。", "150404"),
    ],
    ids=["unique-street", "shared-town-with-prefecture"],
)
def test_township_locates_the_story_in_its_county(title: str, body: str, code: str) -> None:
    """A street, town or township named in the page stands for the county it belongs to."""
    match = resolve_region(title=title, sources=(), body=body, divisions=GAZETTEER)
    assert match.code == code
    assert "township" in match.reason


def test_shared_township_without_context_stays_undecided() -> None:
    """A town name several counties share, with nothing else named, decides nothing."""
    assert resolve("近年来,大庙镇坚持主线。大庙镇各族群众同心协力。") is None


def test_a_word_ending_in_a_township_suffix_is_no_township() -> None:
    """团结乡村振兴 and 示范乡镇 are not townships named 团结乡 or 示范乡."""
    assert resolve("各族群众团结乡村振兴,建设示范乡镇。团结乡村振兴成效明显。") is None


def test_source_line_prefecture_beats_its_seat_city() -> None:
    """A 来源 of 某某州民宗委 means the prefecture, not its seat city of the same short name."""
    body = "恩施州坚持主线。恩施市各族群众参加活动。恩施各地广泛宣传。恩施干部群众同心。"
    assert resolve(body, None, ("恩施州民宗委",)) == "422800"


LEAD_IN_FULL = "近年来,内蒙古自治区赤峰市坚持以铸牢中华民族共同体意识为主线,推进创建。"
CHILD = "克什克腾旗某社区开展活动,克什克腾旗各族群众参加。"


def test_parent_named_in_full_in_the_lead_is_the_subject() -> None:
    """ "X省Y市" opening the lead makes Y the subject though a county inside Y is named too."""
    assert resolve(LEAD_IN_FULL + CHILD, "石榴花开别样红") == "150400"


def test_child_in_the_title_still_wins_over_a_parent_in_full() -> None:
    """When the title names the county, the page is about that county."""
    assert resolve(LEAD_IN_FULL + CHILD, "克什克腾旗:石榴花开别样红") == "150425"


def test_close_readings_name_both_places_in_the_reason() -> None:
    """Two unrelated places named alike leave the region undecided and the reason names both."""
    body = "呼和浩特市开展活动。西安市开展活动。呼和浩特市群众参加。西安市群众参加。"
    match = resolve_region(title=None, sources=(), body=body, divisions=GAZETTEER)
    assert match.code is None
    assert "呼和浩特市" in match.reason and "西安市" in match.reason


def test_a_township_name_that_is_a_common_noun_is_no_township() -> None:
    """小城镇 (small towns) is a kind of place, though some county has a town of that name."""
    assert resolve("推进小城镇建设,小城镇面貌焕然一新。小城镇功能不断完善。") is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("新城区开展民族团结进步宣传活动。", "undecided between 呼和浩特市新城区 and 西安市新城区"),
        ("近年来,大庙镇坚持主线。大庙镇各族群众同心协力。", "(大庙镇, +4 more)"),
    ],
    ids=["shared-district", "shared-town"],
)
def test_shared_name_left_undecided_names_two_readings(body: str, reason: str) -> None:
    """A name several places share, with nothing to settle it, names two of them in the reason."""
    match = resolve_region(title=None, sources=(), body=body, divisions=GAZETTEER)
    assert match.code is None
    assert reason in match.reason


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("该社区被评为民族团结进步先进街道。先进街道创建经验得到推广。", None),
        ("先进街道开展民族团结主题活动。先进街道各族居民踊跃参加。", "210213"),
    ],
    ids=["inside-a-phrase", "standing-as-a-name"],
)
def test_township_named_after_a_common_word_counts_only_as_a_name(
    body: str, code: str | None
) -> None:
    """先进街道 inside "民族团结进步先进街道" is a phrase; opening a sentence it is the street."""
    assert resolve(body) == code


def test_gazetteer_snapshot_finds_what_a_fresh_build_finds(tmp_path, monkeypatch):
    """The gazetteer loaded from its start-up snapshot holds and finds exactly what a build does."""
    from ingest.divisions import load_divisions
    from ingest.parse import _gazetteer

    monkeypatch.setenv("JIEBA_CACHE_DIR", str(tmp_path))
    divisions = load_divisions()
    built = _gazetteer(divisions)  # no snapshot yet: built and stored
    assert [p.name.split("-")[0] for p in tmp_path.glob("*.pickle")] == ["gazetteer"]
    loaded = _gazetteer(divisions)
    assert loaded is not built and vars(loaded) == vars(GAZETTEER) == vars(built)
    text = "近日,乌兰察布市凉城县岱海镇开展民族团结进步宣传月活动,与包头市结对共建。"
    assert loaded.scan(text, "body") == GAZETTEER.scan(text, "body") != []
