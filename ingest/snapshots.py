"""Parsing caches on disk: a value built once, pickled under a key of everything it is built from.

The segmenter's dictionaries and the gazetteer are slow to build and read the same
committed tables every time; their snapshots load in a fraction of that.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Bump when the snapshot layout or the way it is built changes.
_SNAPSHOT_FORMAT = "1"


def digest(*parts: str | bytes) -> str:
    """A short hash of `parts` (and the snapshot format): the key of a snapshot built from them."""
    hasher = hashlib.sha256(_SNAPSHOT_FORMAT.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little") + data)
    return hasher.hexdigest()[:16]


def snapshot(directory: Path, name: str, key: str, build: Callable[[], Any]) -> Any:
    """Load `<name>-<key>.pickle` from `directory`, or build, store and return it.

    The directory is the project's own cache, so unpickling it is trusted. Writes
    go through a temporary file and an atomic rename, so concurrent processes
    never read a half-written snapshot; stale snapshots of `name` are removed.
    """
    path = directory / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except Exception:  # missing, truncated or from another Python: rebuild
        pass
    value = build()
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}-")
    try:
        with os.fdopen(fd, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return value
    for stale in directory.glob(f"{name}-*.pickle"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return value
