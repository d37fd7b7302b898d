"""Parse benchmark: CPU per report of each parsing step, MinHash, and parser start-up.

    .venv/bin/python bench/parse.py [-n 300] [--rounds 3] [--source ../shared/seeds] [--profile 25]

Generates N reports as bench/ingest.py does, parses each once to warm the caches,
then times every step of ingest.parse.parse_report on its own (process CPU seconds,
best of --rounds, so the figures do not depend much on how busy the machine is):
reading, cleaning, metadata, region, structure, figures, search tokens, then the
whole parse_report (which also annotates themes, brands, measures and periods) and
the MinHash signature the loader computes. Start-up is measured in a fresh process:
importing the parser, building its resources (division table, gazetteer, themes,
measures) and the segmenter, with the RSS it reaches. No database is touched.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

STARTUP = """
import json, resource, time
start = time.process_time()
from ingest import segment
from ingest.parse import resources
imported = time.process_time()
resources()
built = time.process_time()
segment.prepare()
ready = time.process_time()
print(json.dumps({
    "import": imported - start, "resources": built - imported, "segmenter": ready - built,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def generate(source: Path, target: Path, n: int) -> list[Path]:
    """The reports bench/ingest.py would ingest."""
    spec = importlib.util.spec_from_file_location("bench_ingest", REPO / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(source, target, n)


def best_cpu(step: Callable[[bytes], object], datas: list[bytes], rounds: int) -> float:
    """Fewest CPU seconds one round of `step` over every report took."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for data in datas:
            step(data)
        best = min(best, time.process_time() - start)
    return best


def steps() -> dict[str, Callable[[bytes], object]]:
    """Each parsing step, fed the bytes of one report (earlier steps' results are cached)."""
    from ingest import clean, meta, minhash, quantities, read, regions, segment, structure
    from ingest.parse import parse_report, resources

    gazetteer = resources().gazetteer
    texts: dict[bytes, str] = {}
    bodies: dict[bytes, str] = {}

    def text(data: bytes) -> str:
        if data not in texts:
            texts[data] = read.read_text(data).text
        return texts[data]

    def body(data: bytes) -> str:
        if data not in bodies:
            bodies[data] = clean.clean(text(data)).body
        return bodies[data]

    def region(data: bytes) -> object:
        found = meta.extract_meta(text(data))
        return regions.resolve_region(
            title=found.title, sources=found.sources, body=body(data), divisions=gazetteer
        )

    return {
        "read (bytes -> text)": read.read_text,
        "clean (chrome out)": lambda d: clean.clean(text(d)),
        "meta (title, date, source)": lambda d: meta.extract_meta(text(d)),
        "meta + region": region,
        "structure": lambda d: structure.parse_structure(body(d)),
        "figures": lambda d: quantities.extract_indicators(body(d)),
        "search tokens (body)": lambda d: segment.token_spans(body(d)),
        "parse_report (all of it)": parse_report,
        "minhash signature": lambda d: minhash.signature(body(d)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="how many reports (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds, best kept")
    parser.add_argument(
        "--source", type=Path, default=REPO.parent / "shared" / "seeds", help="folder of reports"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print the N functions parse_report spends most time in (cProfile, own time)",
    )
    args = parser.parse_args()
    if not args.source.is_dir():
        sys.exit(f"no source reports at {args.source} (use --source)")
    startup = json.loads(
        subprocess.run(
            [sys.executable, "-c", STARTUP], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
    )
    print(
        f"start-up CPU: import {startup['import']:.2f} s, resources {startup['resources']:.2f} s,"
        f" segmenter {startup['segmenter']:.2f} s; RSS {startup['rss_mb']:.0f} MB"
    )
    with tempfile.TemporaryDirectory() as tmp:
        datas = [p.read_bytes() for p in generate(args.source, Path(tmp), args.n)]
    timed = steps()
    for data in datas:  # warm: caches filled, lazily built tables loaded
        for step in timed.values():
            step(data)
    print(f"{len(datas)} generated reports, CPU ms per report (best of {args.rounds}):")
    for name, step in timed.items():
        ms = 1000 * best_cpu(step, datas, args.rounds) / len(datas)
        print(f"  {name:28} {ms:6.2f}")
    if args.profile:
        profile(timed["parse_report (all of it)"], datas, args.profile)


def profile(step: Callable[[bytes], object], datas: list[bytes], top: int) -> None:
    """Print the `top` functions by own time over one profiled round of `step` (slower than unprofiled)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(lambda: [step(data) for data in datas])
    print(f"cProfile of parse_report over {len(datas)} reports, by own time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
