"""Hostile-file ingest benchmark: huge and damaged reports must not stall a run.

    .venv/bin/python bench/hostile_ingest.py [--source ../shared/seeds] [--jobs 1] [--keep]

Writes into a temporary folder: the source reports as they are, a 5 MB report on a
single line, a 5 MB report of many lines, and the damaged-encoding cases (a few bad
bytes in UTF-8, a GBK sentence inside UTF-8, a cut last character, UTF-16 without a
BOM, NUL bytes in the text). Texts are built from the source reports at run time with
their figures varied, so nothing of them is stored here. It then runs
`manage.py ingest -v 2` on the folder as an operator would, into a throwaway database
on the configured server (or `--dry-run`), and prints one line per file (its outcome)
and the wall time of the whole run, the command's start-up included.
Target (2-core machine): the whole folder in < 60 s, every file with a clear line.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d+(?:\.\d+)?")
SIZE = 5_000_000


def _texts(source: Path) -> list[str]:
    """The article text of each source report (page chrome dropped, so it is all prose)."""
    sys.path.insert(0, str(REPO))
    from ingest.clean import clean
    from ingest.read import read_report

    return [
        clean(read_report(p.read_bytes())).body
        for p in sorted(source.iterdir())
        if p.suffix in {".txt", ".html", ".htm"}
    ]


def _varied(text: str, rng: random.Random) -> str:
    return NUMBER.sub(lambda m: str(max(1, int(float(m.group()) * rng.uniform(0.5, 1.5)))), text)


def big_text(texts: list[str], size: int, *, one_line: bool, seed: int = 5) -> str:
    """About `size` UTF-8 bytes of report text, figures varied, on one line or many."""
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        text = _varied(texts[len(parts) % len(texts)], rng)
        if one_line:
            text = text.replace("\n", " ")
        parts.append(text)
        total += len(text.encode("utf-8")) + 1
    joined = (" " if one_line else "\n").join(parts)
    return joined.encode("utf-8")[: size - 8].decode("utf-8", errors="ignore")


def damaged(page: str) -> dict[str, bytes]:
    """The repaired-decoding cases, each a distinct variant of one report page."""
    rng = random.Random(11)
    gbk = "各族群众共同参加活动。".encode("gbk")

    def variant() -> tuple[str, bytes, int]:
        text = _varied(page, rng)
        data = text.encode("utf-8")
        return text, data, data.index("。".encode()) + 3

    cases = {}
    _, data, middle = variant()
    cases["bad-bytes.txt"] = data[:middle] + b"\xff\xfe\x80" + data[middle:]
    _, data, middle = variant()
    cases["gbk-inside-utf8.txt"] = data[:middle] + gbk + data[middle:]
    _, data, middle = variant()
    cases["cut-last-char.txt"] = data + "团".encode()[:2]
    text, _, _ = variant()
    cases["utf16-no-bom.txt"] = text.encode("utf-16-le")
    _, data, middle = variant()
    cases["nul-bytes.txt"] = data[:middle] + b"\x00" + data[middle:]
    return cases


def write_folder(source: Path, target: Path) -> list[Path]:
    """The seeds, the two 5 MB reports and the damaged ones, written into `target`."""
    texts = _texts(source)
    for path in sorted(source.iterdir()):
        shutil.copy(path, target / path.name)
    (target / "huge-one-line.txt").write_text(big_text(texts, SIZE, one_line=True), "utf-8")
    (target / "huge-many-lines.txt").write_text(big_text(texts, SIZE, one_line=False), "utf-8")
    page = sorted(p for p in source.iterdir() if p.suffix in {".txt", ".html", ".htm"})[0]
    for name, data in damaged(page.read_text(encoding="utf-8", errors="replace")).items():
        (target / name).write_bytes(data)
    return sorted(target.iterdir())


def _bench_ingest():
    """bench/ingest.py as a module (its throwaway-database helpers)."""
    spec = importlib.util.spec_from_file_location("bench_ingest", REPO / "bench" / "ingest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_ingest(folder: Path, jobs: int, dry_run: bool, budget: list[str]) -> tuple[float, int, str]:
    """Run `manage.py ingest -v 2` on the folder (into a throwaway database unless a dry run)."""
    helpers = _bench_ingest()
    env = dict(os.environ, PYTHONUNBUFFERED="1")  # per-file lines in the order they happen
    manage = [sys.executable, str(REPO / "manage.py")]
    command = [*manage, "ingest", "-v", "2", "--jobs", str(jobs), *budget, str(folder)]
    dbname = f"bench_hostile_{os.getpid()}"
    if dry_run:
        command.insert(3, "--dry-run")
    else:
        helpers.admin_sql(f'CREATE DATABASE "{dbname}"')
        env = dict(helpers.child_env(dbname), PYTHONUNBUFFERED="1")
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    try:
        started = time.perf_counter()
        run = subprocess.run(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        return time.perf_counter() - started, run.returncode, run.stdout
    finally:
        if not dry_run:
            helpers.admin_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def main() -> None:
    """Generate the hostile folder, ingest it and print per-file lines and the total time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--dry-run", action="store_true", help="parse only, load nothing")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    parser.add_argument(
        "--no-budget", action="store_true", help="parse every file whole (no parse budget)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        files = write_folder(args.source, folder)
        print(f"{len(files)} files in {folder}:")
        for path in files:
            print(f"  {path.stat().st_size:>10,} bytes  {path.name}")
        budget = ["--max-seconds", "0", "--max-indicators", "0"] if args.no_budget else []
        elapsed, status, output = run_ingest(folder, args.jobs, args.dry_run, budget)
        for line in output.splitlines():
            print("  " + line.replace(str(folder) + "/", ""))
        mode = "dry run" if args.dry_run else "ingest into a throwaway database"
        mode += ", no parse budget" if args.no_budget else ", default parse budget"
        print(
            f"total: {elapsed:.1f} s for {len(files)} files, {mode}, --jobs {args.jobs} (exit status {status})"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
