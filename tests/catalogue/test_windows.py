"""A walked window's plan settings hold for its own queries only."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from catalogue import windows
from catalogue.facets import limited

pytestmark = pytest.mark.django_db

WALKED = windows.Window(10, top=1_000, bottom=1, walk=True)  # not whole: walked


def setting(name: str) -> str:
    """The current value of a server setting."""
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_a_walked_window_reads_without_bitmaps_and_leaves_no_setting_behind():
    """Inside a walked window queries read no bitmaps; after it, in the same transaction, they do."""
    with transaction.atomic():
        assert WALKED.run(lambda: setting("enable_bitmapscan")) == "off"
        assert setting("enable_bitmapscan") == "on"


def test_a_walked_query_cancelled_by_the_facet_limit_leaves_no_setting_behind():
    """A walked facet query past its time limit gives None; the next query is neither
    limited nor walked."""
    with transaction.atomic():
        sleep = "SELECT pg_sleep(0.3)"
        assert (
            limited(lambda: WALKED.run(lambda: setting("enable_bitmapscan") and run(sleep)), ms=50)
            is None
        )
        assert setting("enable_bitmapscan") == "on"
        assert run(sleep) == [("",)]


def test_a_window_reaching_the_oldest_id_is_left_to_the_planner():
    """A table no bigger than its first window is read as the planner likes (not walked)."""
    whole = windows.Window(10_000, top=1_000, bottom=1, walk=True)
    assert whole.whole and whole.run(lambda: setting("enable_bitmapscan")) == "on"


def run(sql: str) -> list:
    """Rows of one SQL statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
