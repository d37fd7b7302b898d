"""Ingest benchmark: N distinct reports into a fresh database; prints speed and memory.

    .venv/bin/python bench/ingest.py [-n 2000] [--jobs 2] [--source ../shared/seeds]

Reports are generated from the source folder's files with their figures changed,
their place swapped for another county, 70 % of their sentences swapped for
sentences of the other sources and the words of every clause without a figure
shuffled (lines without a full stop, the headings and metadata, stay; enumerated
sentences keep their marker 一是…), so the structure stays and every text is a
distinct article, far below the reprint threshold (ingest.minhash) to the others: the
run prints how many were grouped as reprints (expect 0). The
ingest runs as the operator runs it (`manage.py ingest --jobs N DIR`) in a child
process against a throwaway database on the same server; peak RSS is the largest
of that process and its workers. The segmentation-only pass runs the segmenter's
search segmentation (ingest.segment) over the same texts in one process: a yardstick
for how busy the shared machine is, printed with the ratio ingest / segmentation;
the CPU seconds of the ingest's processes are a second, less load-dependent figure.
Targets (2-core machine, issue 10): 2,000 reports with --jobs 2 in <= 15 s, peak
RSS <= 400 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

NUMBER = re.compile(r"\d+(?:\.\d+)?")
PROGRESS = re.compile(r"progress: \d+/\d+ files")
DATASET = re.compile(r"dataset rebuilt for /data/: .*\(([\d.]+) s\)")
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
CLAUSE = re.compile(r"[^，、；：,;:。！？!?]+")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# A sentence that opens an enumerated initiative or heading keeps its marker.
ENUMERATED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、])"
)
# Share of sentences swapped for others. Swapping alone left variants of one source
# sharing 17 % of their shingles on average, up to 45 % (pairs of 2,000 then passed the
# reprint threshold, estimated Jaccard >= 0.5, by the estimate's chance); with the
# clauses' words shuffled too, 4.5 % on average and under 10 %.
SWAPPED = 0.7
GROUPED = (
    "from catalogue.models import Report; "
    "print(Report.objects.filter(duplicate_of__isnull=False).count())"
)


def generate(source: Path, target: Path, n: int, seed: int = 7) -> list[Path]:
    """Write `n` variants of the source reports into `target`."""
    from ingest.divisions import load_divisions
    from ingest.parse import parse_report

    rng = random.Random(seed)
    counties = [d for d in load_divisions() if d.level == "county" and len(d.short_name) >= 2]
    originals = []
    for path in sorted(p for p in source.iterdir() if p.suffix in {".txt", ".html", ".htm"}):
        data = path.read_bytes()
        region = parse_report(data).region.code
        name = next((d for d in load_divisions() if d.code == region), None)
        originals.append((path.suffix, data.decode("utf-8", errors="replace"), name))
    sentences = [
        sentence
        for _, text, _ in originals
        for line in text.splitlines()
        if "。" in line
        for sentence in SENTENCE.findall(line)
    ]
    pool = [s for s in sentences if not ENUMERATED.match(s)]
    enumerated = [ENUMERATED.sub("", s) for s in sentences if ENUMERATED.match(s)]
    paths = []
    for i in range(n):
        suffix, text, region = originals[i % len(originals)]
        text = "\n".join(_swap_sentences(line, pool, enumerated, rng) for line in text.splitlines())
        other = rng.choice(counties)
        if region is not None:
            text = text.replace(region.name, other.name).replace(
                region.short_name, other.short_name
            )
        text = NUMBER.sub(lambda m: _vary(m.group(), rng), text)
        path = target / f"report-{i:05d}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _swap_sentences(line: str, pool: list[str], enumerated: list[str], rng) -> str:
    """The line with some sentences replaced by sentences of `pool`, every clause reworded.

    A line without a full stop (title, heading, metadata) stays. An enumerated sentence
    keeps its marker (一是…) and takes the rest of another enumerated sentence, so the
    structure the parser finds stays.
    """
    if "。" not in line:
        return line
    kept = []
    for sentence in SENTENCE.findall(line):
        marker = ENUMERATED.match(sentence)
        if rng.random() >= SWAPPED:
            rest = sentence[marker.end() :] if marker else sentence
        elif marker and enumerated:
            rest = rng.choice(enumerated)
        elif not marker and pool:
            rest = rng.choice(pool)
        else:
            rest = sentence[marker.end() :] if marker else sentence
        kept.append((marker.group() if marker else "") + _reword(rest, rng))
    return "".join(kept)


def _reword(sentence: str, rng: random.Random) -> str:
    """The sentence with the words of each clause that has no figure in a random order.

    The seeds give only a few hundred sentences, so variants built from them alone
    share a sixth of their shingles on average and up to half (and some pairs then
    pass the reprint threshold by chance). Shuffled words make each clause new while
    the vocabulary, the punctuation, a clause's enumeration marker and every clause
    with a figure (its label, so its measure) stay.
    """
    return CLAUSE.sub(lambda m: _shuffled_clause(m.group(), rng), sentence)


def _shuffled_clause(clause: str, rng: random.Random) -> str:
    from ingest.segment import cut

    if NUMBER.search(clause):
        return clause
    marker = ENUMERATED.match(clause)
    start = marker.end() if marker else 0

    def shuffle(run: re.Match) -> str:
        words = cut(run.group())
        rng.shuffle(words)
        return "".join(words)

    return clause[:start] + HAN_RUN.sub(shuffle, clause[start:])


def _vary(number: str, rng: random.Random) -> str:
    if len(number) == 4 and number.startswith("20"):
        return number  # keep years plausible
    if "." in number:
        return f"{float(number) * rng.uniform(0.5, 1.5):.1f}"
    return str(max(1, int(int(number) * rng.uniform(0.5, 1.5))))


def child_env(dbname: str) -> dict[str, str]:
    """Environment pointing manage.py at `dbname` on the configured server."""
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{dbname}"))
    else:
        env["CATALOGUE_DB_NAME"] = dbname
    # ingest rebuilds the /data/ downloads at its end: never over the dev catalogue's
    env["CATALOGUE_DATASET_DIR"] = os.path.join(tempfile.gettempdir(), f"dataset-{dbname}")
    return env


def admin_sql(sql: str) -> None:
    import django
    from django.db import connection

    django.setup()
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)


def run_stamped(command: list[str], env: dict[str, str]):
    """Run `command`, noting when each line of its output came: (result, [(time, line)], end)."""
    stamps = []
    with subprocess.Popen(
        command,
        env=env | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        for line in process.stdout:
            stamps.append((time.perf_counter(), line.rstrip("\n")))
        stderr = process.stderr.read()
    ended = time.perf_counter()
    stdout = "\n".join(line for _, line in stamps)
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return result, stamps, ended


def phases(stamps: list[tuple[float, str]], start: float, ended: float) -> list[tuple[str, float]]:
    """Seconds of the ingest's phases, from when its lines came: start-up (Django, resources,
    workers) until the first file was done, the files, the end (version bump and cache
    warm) until the summary line, the /data/ rebuild, and the exit."""
    files = [t for t, line in stamps if PROGRESS.match(line)]
    summary = next((t for t, line in stamps if line.startswith("files: ")), None)
    dataset = next((t for t, line in stamps if DATASET.search(line)), None)
    if not files or summary is None:
        return []
    marks = [("start-up", start), ("files", files[0]), ("end and warm", files[-1])]
    marks += [("dataset", summary)] + ([("exit", dataset)] if dataset is not None else [])
    ends = [t for _, t in marks[1:]] + [ended]
    return [(name, end - begin) for (name, begin), end in zip(marks, ends, strict=True)]


def segmentation_only(paths: list[Path]) -> float:
    """Seconds for one process to segment every text (after the tokenizer is loaded)."""
    from ingest import segment

    segment.tokenizer()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    start = time.perf_counter()
    for text in texts:
        segment.search_tokens(text)
    return time.perf_counter() - start


def _server_cpu() -> float | None:
    """CPU seconds of the embedded server's finished backends so far (None on another server).

    The postmaster reaps each backend when its connection closes, so the difference
    over the ingest is the server work of its connections (and of migrations or
    autovacuum workers that ended meanwhile): load-independent, unlike wall time.
    """
    if os.environ.get("DATABASE_URL"):
        return None
    from django.conf import settings

    try:
        pid = int((settings.DATA_DIR / "postgres" / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    """User and system seconds of finished child processes (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="how many reports (default 2000)")
    parser.add_argument("--jobs", type=int, default=2, help="ingest --jobs (default 2)")
    parser.add_argument(
        "--source", type=Path, default=REPO.parent / "shared" / "seeds", help="folder of reports"
    )
    args = parser.parse_args()
    if not args.source.is_dir():
        sys.exit(f"no source reports at {args.source} (use --source)")
    dbname = f"bench_ingest_{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(args.source, Path(tmp), args.n)
        print(f"generated {len(paths)} reports from {args.source}")
        admin_sql(f'CREATE DATABASE "{dbname}"')
        try:
            env = child_env(dbname)
            manage = [sys.executable, str(REPO / "manage.py")]
            subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
            start, cpu_start, server_start = time.perf_counter(), _children_cpu(), _server_cpu()
            result, stamps, ended = run_stamped(
                [*manage, "ingest", "--jobs", str(args.jobs), "--progress-every", "1", tmp], env
            )
            elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
            server_end = _server_cpu()
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            grouped = subprocess.run(
                [*manage, "shell", "-c", GROUPED],
                env=env,
                capture_output=True,
                text=True,
            ).stdout.strip()
            grouped = grouped.splitlines()[-1] if grouped else "?"
            shown = [line for line in result.stdout.splitlines() if not PROGRESS.match(line)]
            print("\n".join(shown[-3:]) if shown else result.stderr[-2000:])
            seg = segmentation_only(paths)
        finally:
            admin_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    print(
        f"ingest: {len(paths)} reports in {elapsed:.1f} s = {len(paths) / elapsed:.0f} reports/s (--jobs {args.jobs})"
    )
    rebuilt = DATASET.search(result.stdout)
    if rebuilt:
        print(f"  of which the /data/ dataset rebuild: {float(rebuilt[1]):.1f} s")
    took = phases(stamps, start, ended)
    print("  phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in took))
    print(f"ingest CPU (command and workers, not the server): {cpu:.1f} s")
    if server_start is not None and server_end is not None:
        print(f"server CPU (its backends): {server_end - server_start:.1f} s")
    print(f"peak RSS (largest process): {peak_mb:.0f} MB")
    print(f"grouped as reprints: {grouped} of {len(paths)} (distinct articles: expect 0)")
    print(f"segmentation-only pass: {seg:.1f} s; ingest / segmentation = {elapsed / seg:.1f}x")


if __name__ == "__main__":
    main()
