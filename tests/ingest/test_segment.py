"""Segmentation for search and keywords: ingest.segment."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest import segment
from ingest.segment import keywords, query_runs, search_tokens

REPO = Path(__file__).resolve().parents[2]


def tokens(text: str) -> list[str]:
    """search_tokens as a list."""
    return search_tokens(text).split(" ") if text else []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("社区新建红石榴驿站两处", "红石榴驿站"),
        ("深入开展铸牢中华民族共同体意识主题教育", "铸牢中华民族共同体意识"),
        ("在全县推广国家通用语言文字", "国家通用语言文字"),
        ("依托新时代文明实践中心举办讲座", "新时代文明实践中心"),
        ("打造互嵌式社区环境", "互嵌式社区"),
        ("建立流动人口服务台账", "流动人口"),
        ("成功创建民族团结进步示范区", "民族团结进步示范区"),
        ("开展民族团结进步创建进机关活动", "民族团结进步创建"),
        ("促进各民族交往交流交融", "交往交流交融"),
        ("增进五个认同", "五个认同"),
    ],
)
def test_user_dictionary_terms_stay_whole(text: str, term: str) -> None:
    """A project dictionary term is one token even inside a sentence."""
    assert term in tokens(text)


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("社区新建红石榴驿站两处", "石榴"),
        ("社区新建红石榴驿站两处", "驿站"),
        ("社区新建红石榴驿站两处", "红石榴"),
        ("深入开展铸牢中华民族共同体意识主题教育", "中华民族共同体"),
        ("深入开展铸牢中华民族共同体意识主题教育", "共同体"),
    ],
)
def test_search_mode_also_yields_words_inside_a_term(text: str, inner: str) -> None:
    """Search mode adds the dictionary words nested in a longer word."""
    assert inner in tokens(text)


@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("本市获评民族团结进步示范市。", "示范市"),
        ("本市获评民族团结进步示范市。", "进步示范市"),
        ("社区新建红石榴驿站两处", "红石榴"),
        ("社区新建红石榴驿站两处", "驿站"),
        ("社区新建红石榴驿站两处", "石榴驿站"),
        ("深入开展铸牢中华民族共同体意识主题教育", "共同体意识"),
    ],
)
def test_a_long_word_yields_its_head_and_modifier_as_tokens(document: str, query: str) -> None:
    """A prefix or suffix of a long word is a token, so a query for it finds the word."""
    assert query in tokens(document)


@pytest.mark.parametrize(
    ("document", "not_token"),
    [
        ("建成驿站5000个", "500"),
        ("开设ABCDE课堂", "abc"),
        ("本市获评民族团结进步示范市。", "结进"),  # inside, not a word, not an end
    ],
)
def test_only_han_words_yield_affixes(document: str, not_token: str) -> None:
    """Numbers and Latin words are not cut into prefixes (500 must not find 5000)."""
    assert not_token not in tokens(document)


@pytest.mark.parametrize(
    ("query", "runs"),
    [
        ("红石榴 驿站", [("红石榴", ("红石榴",)), ("驿站", ("驿站",))]),
        ("红石榴驿站 红石榴", [("红石榴驿站", ("红石榴驿站",))]),
        ("示范市", [("示范市", ("示范", "市"))]),
        ("“示范市”，示范市", [("示范市", ("示范", "市"))]),
        ("ＡＢＣ 驿站", [("abc", ("abc",)), ("驿站", ("驿站",))]),
        ("，。", []),
    ],
)
def test_query_runs_drop_runs_inside_other_runs(query: str, runs: list) -> None:
    """A query is its runs of letters and digits with their words; a run inside another is dropped."""
    assert list(query_runs(query)) == runs


def test_punctuation_and_whitespace_are_dropped() -> None:
    """Only word tokens remain, separated by exactly one space."""
    out = search_tokens("  “石榴籽”课堂，（宣讲）！\n\t《团结》、;:…—— _ -- ")
    assert out == out.strip()
    assert "  " not in out
    assert all(any(ch.isalnum() for ch in token) for token in out.split(" "))
    assert "石榴籽" in out.split(" ")


def test_tokens_are_lower_cased_and_width_folded() -> None:
    """Latin letters come out lower-case and full-width forms fold to ASCII."""
    assert tokens("ＡＢＣ项目") == tokens("abc项目")
    assert "abc" in tokens("ABC项目")


def test_text_without_words_gives_an_empty_string() -> None:
    """Punctuation only, or nothing, yields no tokens."""
    assert search_tokens("") == ""
    assert search_tokens("，。！ \n") == ""


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("红石榴驿站", "在城区新建红石榴驿站，为来城务工人员提供服务。"),
        ("石榴", "在城区新建红石榴驿站，为来城务工人员提供服务。"),
        ("中华民族共同体", "以铸牢中华民族共同体意识为主线开展宣讲。"),
        ("民族团结进步示范", "该县成功创建全国民族团结进步示范县。"),
        ("流动人口服务", "建成少数民族流动人口服务中心三个。"),
        ("国家通用语言", "加强国家通用语言文字教育，开设夜校。"),
        ("矛盾纠纷调解", "健全多元化矛盾纠纷调解机制。"),
    ],
)
def test_query_tokens_are_a_subset_of_a_document_containing_the_phrase(
    query: str, document: str
) -> None:
    """Every run of a query is a token of a document containing it, or all its words are."""
    assert query in document
    found = set(tokens(document))
    for run, words in query_runs(query):
        assert run in found or set(words) <= found


def test_keywords_prefer_subjects_over_boilerplate() -> None:
    """Report boilerplate (工作, 推进, 开展) and counts (余人次) never become keywords."""
    text = (
        "我县扎实推进民族团结进步创建工作，开展工作调研。"
        "新建红石榴驿站3个，红石榴驿站为流动人口提供就业培训，服务2000余人次。"
    )
    found = keywords(text, k=5)
    assert found[0] == "红石榴驿站"
    assert "流动人口" in found
    assert not {"工作", "推进", "开展", "余人次"} & set(found)
    assert len(found) <= 5


def test_keywords_are_deterministic() -> None:
    """The same text gives the same keywords in the same order."""
    text = "石榴籽课堂进校园，学生讲述团结故事；课堂上教师讲解非遗剪纸。"
    assert keywords(text) == keywords(text)


def test_tokenizer_is_built_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Concurrent first calls build the tokenizer once and all get the same one."""
    builds: list[object] = []

    def slow_build() -> object:
        time.sleep(0.05)
        builds.append(object())
        return builds[-1]

    monkeypatch.setattr(segment, "_tokenizer", None)
    monkeypatch.setattr(segment, "_build_tokenizer", slow_build)
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(segment.tokenizer())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert all(result is builds[0] for result in results)


def run_fresh(cache: Path, script: str) -> object:
    """Run `script` in a new interpreter with JIEBA_CACHE_DIR=cache; return its printed JSON."""
    env = {**os.environ, "JIEBA_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def fresh_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory shared by this module's subprocess tests, empty at the start."""
    return tmp_path_factory.mktemp("jieba-cache")


EXPECTED_红石榴驿站 = "红石榴 石榴 驿站 红石 榴驿站 红石榴驿 石榴驿站 红石榴驿站"


def test_caches_land_in_the_configured_directory(fresh_cache: Path) -> None:
    """JIEBA_CACHE_DIR receives jieba's cache and the project snapshot, and is reused."""
    script = "import json; from ingest import segment; print(json.dumps(segment.search_tokens('红石榴驿站', using='jieba')))"
    assert run_fresh(fresh_cache, script) == EXPECTED_红石榴驿站
    names = sorted(path.name for path in fresh_cache.iterdir())
    snapshots = [name for name in names if name.startswith("segment-")]
    assert "jieba.cache" in names
    assert len(snapshots) == 1
    before = (fresh_cache / snapshots[0]).stat().st_mtime_ns
    assert run_fresh(fresh_cache, script) == EXPECTED_红石榴驿站
    assert (fresh_cache / snapshots[0]).stat().st_mtime_ns == before


def test_place_names_from_divisions_are_words(fresh_cache: Path, tmp_path: Path) -> None:
    """Province and prefecture names in divisions.csv are kept whole; county names are not added."""
    csv = tmp_path / "divisions.csv"
    csv.write_text(
        "code,name,short_name,level,parent\n"
        "990000,青禾省,青禾,province,\n"
        "990100,云枫市,云枫,prefecture,990000\n"
        "990101,栗坪县,栗坪,county,990100\n",
        encoding="utf-8",
    )
    script = (
        "import json, pathlib; from ingest import segment; "
        f"segment.DIVISIONS = pathlib.Path({str(csv)!r}); "
        "print(json.dumps(segment.search_tokens('青禾省云枫市栗坪县')))"
    )
    found = str(run_fresh(fresh_cache, script)).split(" ")
    assert {"青禾省", "云枫市", "青禾", "云枫"} <= set(found)
    assert "栗坪县" not in found


@pytest.mark.corpus
def test_rjieba_gives_the_same_tokens_as_jieba_on_the_seeds(seeds_dir: Path) -> None:
    """The compiled segmenter yields exactly jieba's search tokens on every seed report."""
    pytest.importorskip("rjieba")
    for path in sorted(seeds_dir.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert search_tokens(text, using="rjieba") == search_tokens(text, using="jieba"), path.name


@pytest.mark.parametrize("using", ["jieba", "rjieba"])
def test_both_segmenters_keep_project_words_and_place_names(using: str) -> None:
    """The project dictionary and prefecture names are words for either segmenter."""
    if using == "rjieba":
        pytest.importorskip("rjieba")
    assert "红石榴驿站" in segment.cut("新建红石榴驿站", using=using)
    assert "呼和浩特市" in segment.cut("呼和浩特市新城区", using=using)


def test_the_segmenter_can_be_forced_to_jieba(monkeypatch: pytest.MonkeyPatch) -> None:
    """CATALOGUE_SEGMENTER=jieba selects the Python segmenter."""
    monkeypatch.setenv("CATALOGUE_SEGMENTER", "jieba")
    assert segment.segmenter() == "jieba"


ITEMS = "一是铸牢中华民族共同体意识。二是开展宣传活动130场,ABC。"


@pytest.mark.parametrize(
    ("start", "end", "present", "absent"),
    [
        (0, 14, ["中华民族", "铸牢中华民族共同体意识", "一"], ["开展"]),
        (14, len(ITEMS), ["开展", "宣传", "130", "abc"], ["中华民族", "。"]),
        # a word that starts before the span belongs to the item before it
        (3, 16, ["二", "是"], ["中华民族", "铸牢中华民族共同体意识", "开展"]),
        (13, 14, [], ["。"]),
    ],
)
def test_item_takes_the_tokens_of_words_starting_in_its_span(start, end, present, absent):
    """An item's tokens are those of the body's words that start inside it, sub-words included."""
    found = segment.tokens_between(segment.token_spans(ITEMS), start, end).split()
    assert all(token in found for token in present)
    assert not any(token in found for token in absent)


@pytest.mark.parametrize(
    "text",
    [ITEMS, "社区新建红石榴驿站两处,培训1200余人次。红石榴驿站再建3处"],
)
def test_body_cut_once_gives_the_tokens_of_a_fresh_cut(text):
    """Tokens taken from the body's one segmentation equal segmenting it afresh, twice over."""
    spans = segment.token_spans(text)
    again = segment.token_spans(text)  # words now come from the per-word cache
    assert segment.tokens_between(spans, 0, len(text)) == search_tokens(text)
    assert again == spans
