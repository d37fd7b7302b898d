"""Load the administrative division table (fixtures/divisions.csv) as `Division` rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from ingest.types import Division

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "divisions.csv"
TOWNSHIPS_PATH = DEFAULT_PATH.with_name("townships.csv")
LEVELS = ("province", "prefecture", "county")


def load_divisions(path: Path | None = None) -> tuple[Division, ...]:
    """Read the division CSV (default: fixtures/divisions.csv in the repository) in code order."""
    with (path or DEFAULT_PATH).open(encoding="utf-8", newline="") as handle:
        return tuple(
            Division(
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                level=row["level"],
                parent=row["parent"] or None,
            )
            for row in csv.DictReader(handle)
        )


class Township(NamedTuple):
    """A township, town or street (GB/T 10114 level 4) and the county it belongs to."""

    code: str
    name: str
    county: str


def load_townships(path: Path | None = None) -> tuple[Township, ...]:
    """Read the township CSV (default: fixtures/townships.csv) in code order."""
    with (path or TOWNSHIPS_PATH).open(encoding="utf-8", newline="") as handle:
        return tuple(Township(r["code"], r["name"], r["county"]) for r in csv.DictReader(handle))
