"""Measure MinHash similarity of reprints vs different articles, to choose SAME_ARTICLE.

    .venv/bin/python bench/reprints.py

Parses invented examples (tests/ingest/samples.py) with the real parser and prints the
estimated Jaccard of each pair's body: the same article served by other sites (other
chrome, reprint notice, punctuation, a dropped closing line) against different articles
of the same county and of another region; then the same over the seed reports, which
are five different articles, as a check that real different pages stay far apart.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.minhash import SAME_ARTICLE, signature, similarity  # noqa: E402
from ingest.parse import parse_report  # noqa: E402
from tests.ingest.samples import (  # noqa: E402
    CITY_REPORT,
    COUNTY_OTHER_REPORT,
    COUNTY_REPORT,
    reprint,
)


def body(text: str) -> str:
    """The cleaned body the loader would store."""
    return parse_report(text.encode()).body


def main() -> None:
    """Print one line per pair and the gap between the two kinds."""
    trimmed = COUNTY_REPORT.replace("下一步,土默特左旗将继续深化民族团结进步创建工作。\n", "")
    same = {
        "reprint A": reprint(COUNTY_REPORT, "某某新闻网"),
        "reprint B (closing line cut)": reprint(trimmed, "北疆资讯"),
        "reprint C (city)": reprint(CITY_REPORT, "鄂西在线"),
    }
    pairs = [
        ("same", "county vs reprint A", COUNTY_REPORT, same["reprint A"]),
        ("same", "county vs reprint B", COUNTY_REPORT, same["reprint B (closing line cut)"]),
        ("same", "reprint A vs reprint B", same["reprint A"], same["reprint B (closing line cut)"]),
        ("same", "city vs reprint C", CITY_REPORT, same["reprint C (city)"]),
        ("different", "county vs other county article", COUNTY_REPORT, COUNTY_OTHER_REPORT),
        ("different", "reprint A vs other county article", same["reprint A"], COUNTY_OTHER_REPORT),
        ("different", "county vs city", COUNTY_REPORT, CITY_REPORT),
    ]
    scores: dict[str, list[float]] = {"same": [], "different": []}
    for kind, name, a, b in pairs:
        score = similarity(signature(body(a)), signature(body(b)))
        scores[kind].append(score)
        print(f"{kind:9} {score:5.2f}  {name}")
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        sigs = {
            p.name: signature(parse_report(p.read_bytes()).body) for p in sorted(seeds.glob("*"))
        }
        for (x, sx), (y, sy) in itertools.combinations(sigs.items(), 2):
            score = similarity(sx, sy)
            scores["different"].append(score)
            print(f"different {score:5.2f}  seed {x[:3]} vs seed {y[:3]}")
    print(
        f"lowest same-article score {min(scores['same']):.2f}, "
        f"highest different-article score {max(scores['different']):.2f}, "
        f"threshold SAME_ARTICLE = {SAME_ARTICLE}"
    )


if __name__ == "__main__":
    main()
