"""Migrations 0014/0015 keep existing reports' text and start every row's public flag right."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalogue", "0012_catalogue_state")]


def migrate(targets):
    """Migrate the test database to `targets`; the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_text_moves_and_flags_follow_hidden_and_rejected():
    """A report's text and body survive the move; rows of a hidden report or under a rejected
    programme start non-public, the others public."""
    apps = migrate(BEFORE)
    Report = apps.get_model("catalogue", "Report")
    Programme = apps.get_model("catalogue", "Programme")
    Initiative = apps.get_model("catalogue", "Initiative")
    common = {"source_file": "a.txt", "parser_version": "old"}
    shown = Report.objects.create(
        title="甲", sha256="a" * 64, text="原文甲", body="正文甲", **common
    )
    hidden = Report.objects.create(
        title="乙", sha256="b" * 64, text="原文乙", body="正文乙", hidden=True, **common
    )
    kept = Programme.objects.create(report=shown, key="p1", start=0, end=1, title="保留")
    dropped = Programme.objects.create(
        report=shown, key="p2", start=0, end=1, title="驳回", rejected=True
    )
    Initiative.objects.create(report=shown, key="i1", start=0, end=1, programme=kept, title="甲一")
    Initiative.objects.create(
        report=shown, key="i2", start=0, end=1, programme=dropped, title="甲二"
    )
    Programme.objects.create(report=hidden, key="p1", start=0, end=1, title="隐藏")

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(leaves)
    with connection.cursor() as cursor:
        cursor.execute("SELECT report_id, text, body FROM catalogue_reporttext ORDER BY report_id")
        assert cursor.fetchall() == [
            (shown.pk, "原文甲", "正文甲"),
            (hidden.pk, "原文乙", "正文乙"),
        ]
        cursor.execute(
            "SELECT title, public FROM catalogue_programme UNION ALL "
            "SELECT title, public FROM catalogue_initiative ORDER BY title"
        )
        flags = dict(cursor.fetchall())
    assert flags == {"保留": True, "驳回": False, "隐藏": False, "甲一": True, "甲二": False}
