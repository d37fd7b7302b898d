"""The kept pages' store: bounded by its size on disk, shared by every worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from catalogue import page_cache

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent.parent
PAGE = 40_000  # bytes of one kept page: above diskcache's 32 KB, so kept as its own file
WRITER = """
import os, sys
import django
django.setup()
from django.core.cache import caches
store, name = caches["pages"], sys.argv[1]
for n in range(100):
    store.set(f"{name}-{n}", (name * 5000).encode(), 600)
"""


def store_in(settings, directory: Path, megabytes: int) -> None:
    """Point the `pages` cache, as configured without Redis, at `directory` with `megabytes`."""
    assert django_settings.CACHES["pages"]["BACKEND"] == "diskcache.DjangoCache"
    pages = {**django_settings.CACHES["pages"], "LOCATION": str(directory)}
    pages["OPTIONS"] = {**pages.get("OPTIONS", {}), "size_limit": megabytes << 20}
    settings.CACHES = {**django_settings.CACHES, "pages": pages}


def disk_bytes(directory: Path) -> int:
    """Bytes of every file under `directory`."""
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def test_the_store_drops_the_oldest_pages_past_its_size(settings, tmp_path):
    """Past its size the store drops the pages stored first and keeps the newest ones."""
    store_in(settings, tmp_path / "pages", megabytes=2)
    built = []

    def build(pk: int):
        built.append(pk)
        return {"html": os.urandom(PAGE)}

    for pk in range(200):  # 8 MB of pages into a 2 MB store
        page_cache.rendered("report", pk, lambda pk=pk: build(pk))
    built.clear()
    page_cache.rendered("report", 199, lambda: build(199))
    page_cache.rendered("report", 0, lambda: build(0))
    assert built == [0]  # the newest page was kept, the first was dropped
    caches["pages"].close()
    # the pages' files stay within the size; SQLite's own files (index, log) come on top
    pages = sum(p.stat().st_size for p in (tmp_path / "pages").rglob("*.val"))
    assert pages <= 2 << 20
    assert disk_bytes(tmp_path / "pages") < 8 << 20


def test_two_processes_share_one_store(settings, tmp_path):
    """Pages two worker processes keep at the same time are all found by a third."""
    store_in(settings, tmp_path / "page-store", megabytes=64)
    env = {**os.environ, "CATALOGUE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name], env=env, cwd=REPO)
        for name in ("a", "b")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    store = caches["pages"]
    for name in ("a", "b"):
        assert [store.get(f"{name}-{n}") for n in range(100)] == [(name * 5000).encode()] * 100
