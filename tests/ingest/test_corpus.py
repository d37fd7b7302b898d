"""Golden test: the real seed reports against ../shared/gold, scored by the shared tool."""

import contextlib
import importlib.util
import io
import json

import pytest
from django.core.management import call_command

from tests.conftest import GOLD, SEEDS

pytestmark = pytest.mark.corpus


def _scorer():
    path = SEEDS.parent / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extraction(tmp_path_factory) -> tuple[list[dict], list[str]]:
    """The dry-run JSON Lines of the seed folder, and the scorer's output lines."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS}; set CATALOGUE_SEEDS to run corpus tests")
    out = io.StringIO()
    call_command("ingest", "--dry-run", "--json", str(SEEDS), stdout=out, stderr=io.StringIO())
    path = tmp_path_factory.mktemp("corpus") / "out.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        _scorer().score(path, GOLD)
    return [
        json.loads(line) for line in out.getvalue().splitlines()
    ], printed.getvalue().splitlines()


def _summary(lines: list[str], prefix: str) -> str:
    return next(line for line in lines if line.startswith(prefix))


def test_every_seed_is_extracted(extraction):
    """Each seed report yields one record; none fails."""
    records, _ = extraction
    assert sorted(r["file"] for r in records) == sorted(
        p.name for p in SEEDS.iterdir() if p.suffix == ".txt"
    )


def test_metadata_matches_gold(extraction):
    """Region, date, title and URL are right for every seed."""
    _, lines = extraction
    line = _summary(lines, "reports ")
    n = len(list(GOLD.glob("*.json")))
    assert f"region {n}/{n}" in line and f"date {n}/{n}" in line, line
    titles = line.split("title ")[1].split(" ")[0].split("/")
    urls = line.split("url ")[1].split(" ")[0].split("/")
    assert titles[0] == titles[1] and urls[0] == urls[1], line


def test_programmes_and_initiatives_match_gold(extraction):
    """Programme precision and recall ≥ 0.95; initiative counts right for ≥ 90 % of programmes."""
    _, lines = extraction
    line = _summary(lines, "programmes ")
    precision = float(line.split("P=")[1].split()[0])
    recall = float(line.split("R=")[1].split()[0])
    right, total = map(int, line.split("counts right ")[1].split("/"))
    assert precision >= 0.95 and recall >= 0.95, line
    assert right >= 0.9 * total, line


def test_indicators_match_gold(extraction):
    """Indicator F1 ≥ 0.98; qualifier ≥ 98 % and label ≥ 90 % of matched indicators."""
    _, lines = extraction
    f1 = float(_summary(lines, "indicator F1").split()[-1])
    line = _summary(lines, "indicators ")
    q_ok, matched = map(int, line.split("qualifier ")[1].split(" ")[0].split("/"))
    l_ok, _ = map(int, line.split("label ")[1].split(" ")[0].split("/"))
    assert f1 >= 0.98, lines
    assert q_ok >= 0.98 * matched and l_ok >= 0.9 * matched, line


def test_every_quote_is_the_span_it_points_to(extraction):
    """Each indicator's quote is exactly body[start:end], so a reader can follow it back."""
    records, _ = extraction
    for record in records:
        for indicator in record["indicators"]:
            assert indicator["figure"] in indicator["quote"]
            assert indicator["end"] - indicator["start"] == len(indicator["quote"])
