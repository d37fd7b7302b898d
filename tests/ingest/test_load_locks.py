"""Parallel loads wait only for loads they could meet: same report, or a near duplicate."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from catalogue import state
from catalogue.models import CatalogueState
from ingest import identity, minhash
from ingest.parse import parse_report

from .samples import CITY_REPORT, COUNTY_OTHER_REPORT, COUNTY_REPORT, reprint

pytestmark = pytest.mark.django_db(transaction=True)


def keys(text: str, path: str) -> list[int]:
    """The lock keys a load of `text` from `path` takes."""
    parsed = parse_report(text.encode())
    bands = minhash.bands(minhash.signature(parsed.body))
    return identity.lock_keys(parsed, source_path=path, bands=bands)


@pytest.fixture
def county_load_in_progress():
    """Another connection holds the locks of a load of COUNTY_REPORT until the test ends."""
    held, done = threading.Event(), threading.Event()

    def load() -> None:
        try:
            with transaction.atomic():
                identity.lock(keys(COUNTY_REPORT, "/a/county.txt"))
                held.set()
                done.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=load)
    thread.start()
    assert held.wait(30)
    yield
    done.set()
    thread.join()


def can_lock(text: str, path: str) -> bool:
    """Whether a load of `text` from `path` gets its locks within a second."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            identity.lock(keys(text, path))
        return True
    except OperationalError:
        return False


@pytest.mark.parametrize(
    ("text", "path", "waits"),
    [
        (CITY_REPORT, "/b/city.txt", False),
        (COUNTY_OTHER_REPORT, "/b/county-other.txt", False),
        (reprint(COUNTY_REPORT, "某某新闻网"), "/b/reprint.txt", True),
        (COUNTY_REPORT, "/b/copy.txt", True),
        (CITY_REPORT, "/a/county.txt", True),
    ],
    ids=["other-article", "same-county-other-article", "reprint", "same-text", "same-path"],
)
def test_a_load_waits_only_for_loads_it_could_meet(county_load_in_progress, text, path, waits):
    """Another article loads at once; a reprint, the same text or the same file waits."""
    assert can_lock(text, path) is not waits


def test_a_load_in_progress_leaves_the_catalogue_version_free(make_report):
    """Saves inside a load bump the version at its end, so other loads can commit meanwhile."""
    saved, done = threading.Event(), threading.Event()

    def load() -> None:
        try:
            with transaction.atomic(), state.one_bump():
                make_report()
                saved.set()
                done.wait(30)
        finally:
            connection.close()

    state.bump()
    thread = threading.Thread(target=load)
    thread.start()
    try:
        assert saved.wait(30)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            cursor.execute("SELECT version FROM catalogue_cataloguestate FOR UPDATE")
    finally:
        done.set()
        thread.join()
    before = CatalogueState.objects.get().version
    make_report()
    assert CatalogueState.objects.get().version == before + 1  # outside a load: at once
