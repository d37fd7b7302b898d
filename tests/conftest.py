"""Shared fixtures: the seed corpus location and small report factories."""

import hashlib
import json
import os
from pathlib import Path

import pytest
from pytest_django.plugin import blocking_manager_key

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("CATALOGUE_SEEDS", REPO.parent / "shared" / "seeds"))
GOLD = Path(os.environ.get("CATALOGUE_GOLD", SEEDS.parent / "gold"))


@pytest.fixture
def seeds_dir() -> Path:
    """The real seed reports; skipped with the reason where the folder is absent (never in CI)."""
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed reports at {SEEDS} (set CATALOGUE_SEEDS)")
        pytest.skip(f"seed reports not found at {SEEDS}; set CATALOGUE_SEEDS to run corpus tests")
    return SEEDS


@pytest.fixture
def make_report(db):
    """Create a Report with sensible defaults; keyword arguments override fields."""
    from catalogue.models import Report

    counter = iter(range(1, 10_000_000))

    def make(**fields):
        n = next(counter)
        body = fields.pop("body", f"第{n}篇报告正文。")
        defaults = {
            "title": f"报告{n}",
            "source_file": f"report-{n}.txt",
            "sha256": hashlib.sha256(f"{body}-{n}".encode()).hexdigest(),
            "text": body,
            "body": body,
            "parser_version": "test",
        }
        defaults.update(fields)
        return Report.objects.create(**defaults)

    return make


@pytest.fixture
def division_table(transactional_db):
    """The division table in a transactional test (an earlier one's flush may have emptied it)."""
    import importlib

    from django.apps import apps

    from catalogue.models import Region

    if not Region.objects.exists():
        importlib.import_module("catalogue.migrations.0002_load_divisions").load(apps, None)
        importlib.import_module("catalogue.migrations.0017_region_name_en").fill_name_en(apps, None)


@pytest.fixture(autouse=True)
def dataset_dir_in_tmp(settings, tmp_path, monkeypatch):
    """Every test, and any ingest it starts, writes the /data/ downloads in its own folder."""
    settings.DATASET_DIR = tmp_path / "dataset"
    monkeypatch.setenv("CATALOGUE_DATASET_DIR", str(settings.DATASET_DIR))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Empty the database before a test with serialized_rollback reloads it into one whose
    content types have moved.

    That test reloads the rows kept when the test database was made (content types,
    permissions, the division table ...) into whatever an earlier test left. After a
    transactional test without serialized_rollback, whose flush re-creates content types
    and permissions (post_migrate) under new ids, the reloaded rows collide with those on
    their natural keys ("duplicate key ... django_content_type"). Flushed without
    post_migrate first, the reload restores the state after the migrations. Only once
    the test database exists (Django's own guard: the connection holds the kept rows).
    """
    marker = item.get_closest_marker("django_db")
    serialized = (marker is not None and marker.kwargs.get("serialized_rollback")) or (
        "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
    )
    if not serialized:
        return
    from django.core.management import call_command
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        if not hasattr(connection, "_test_serialized_contents"):
            continue
        with item.config.stash[blocking_manager_key].unblock():
            if _content_types_moved(connection):
                call_command(
                    "flush",
                    database=alias,
                    interactive=False,
                    verbosity=0,
                    reset_sequences=False,
                    inhibit_post_migrate=True,
                )


def _content_types_moved(connection) -> bool:
    """Whether a content type in the database has another id than in the kept rows."""
    kept = {
        (row["fields"]["app_label"], row["fields"]["model"]): row["pk"]
        for row in json.loads(connection._test_serialized_contents)
        if row["model"] == "contenttypes.contenttype"
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_label, model, id FROM django_content_type")
        return any(kept.get((app, model), pk) != pk for app, model, pk in cursor.fetchall())
