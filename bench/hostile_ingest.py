"""Hostile-file ingest benchmark: huge and damaged reports must not stall a run.

    .venv/bin/python bench/hostile_ingest.py [--source ../shared/seeds] [--jobs 1] [--keep]

Writes into a temporary folder: the source reports as they are, a 5 MB report on a
single line, a 5 MB report of many lines, and the damaged-encoding cases (a few bad
bytes in UTF-8, a GBK sentence inside UTF-8, a cut last character, UTF-16 without a
BOM, NUL bytes in the text). Texts are built from the source reports at run time with
their figures varied, so nothing of them is stored here. It then runs
`manage.py ingest --dry-run -v 2` on the folder as an operator would and prints one
line per file (its outcome) and the wall time of the whole run.
Target (2-core machine): the whole folder in < 60 s, every file with a clear line.
"""

from __future__ import annotations

import argparse
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


def damaged(text: str) -> dict[str, bytes]:
    """The repaired-decoding cases, built from one report's text."""
    data = text.encode("utf-8")
    middle = data.index("。".encode()) + 3
    gbk = "各族群众共同参加活动。".encode("gbk")
    return {
        "bad-bytes.txt": data[:middle] + b"\xff\xfe\x80" + data[middle:],
        "gbk-inside-utf8.txt": data[:middle] + gbk + data[middle:],
        "cut-last-char.txt": data + "团".encode()[:2],
        "utf16-no-bom.txt": text.encode("utf-16-le"),
        "nul-bytes.txt": data[:middle] + b"\x00" + data[middle:],
    }


def write_folder(source: Path, target: Path) -> list[Path]:
    """The seeds, the two 5 MB reports and the damaged ones, written into `target`."""
    texts = _texts(source)
    for path in sorted(source.iterdir()):
        shutil.copy(path, target / path.name)
    (target / "huge-one-line.txt").write_text(big_text(texts, SIZE, one_line=True), "utf-8")
    (target / "huge-many-lines.txt").write_text(big_text(texts, SIZE, one_line=False), "utf-8")
    for name, data in damaged(texts[0]).items():
        (target / name).write_bytes(data)
    return sorted(target.iterdir())


def main() -> None:
    """Generate the hostile folder, ingest it (dry run) and print per-file lines and time."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        files = write_folder(args.source, folder)
        print(f"{len(files)} files in {folder}:")
        for path in files:
            print(f"  {path.stat().st_size:>10,} bytes  {path.name}")
        command = [sys.executable, "manage.py", "ingest", "--dry-run", "-v", "2"]
        command += ["--jobs", str(args.jobs), str(folder)]
        started = time.perf_counter()
        run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=os.environ)
        elapsed = time.perf_counter() - started
        for line in (run.stdout + run.stderr).splitlines():
            print("  " + line.replace(str(folder) + "/", ""))
        print(f"total: {elapsed:.1f} s for {len(files)} files (exit status {run.returncode})")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
