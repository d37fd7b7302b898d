"""The measure summary equals a from-scratch computation after ingest and after staff writes."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from catalogue.models import Indicator, MeasureSummary, Region, Report
from tests.catalogue.admin_support import make_editor
from tests.catalogue.measure_support import Fig, measured_report

pytestmark = pytest.mark.django_db

XINCHENG, HUIMIN = "150102", "150103"
HEADING = "呼和浩特市新城区{year}年民族团结进步创建工作总结\n发布时间:{date}\n一、{theme}\n"
THEMES = {"2022": "加强宣传教育,营造浓厚氛围", "2023": "深化交往交流交融,建设共有家园"}


def from_scratch() -> set[tuple]:
    """Each region's latest public figure per measure, unit and period kind, ranked in Python.

    Latest: the latest period year, then the latest report date, then the latest report,
    then the largest value, then the first row.
    """
    best: dict[tuple, tuple] = {}
    figures = Indicator.objects.public().filter(measure__isnull=False, report__region__isnull=False)
    for row in figures.select_related("report"):
        key = (row.report.region_id, row.measure_id, row.unit, row.period_kind)
        published = row.report.published
        rank = (
            row.period_year is None,
            -(row.period_year or 0),
            published is None,
            -(published.toordinal() if published else 0),
            -row.report_id,
            -row.value,
            row.pk,
        )
        if key not in best or rank < best[key][0]:
            best[key] = (rank, (*key, row.pk, row.value, row.figure, published))
    return {entry for _rank, entry in best.values()}


def summary() -> set[tuple]:
    """What the maintained summary holds, in from_scratch's shape."""
    return set(
        MeasureSummary.objects.values_list(
            "region_id",
            "measure_id",
            "unit",
            "period_kind",
            "indicator_id",
            "value",
            "figure",
            "published",
        )
    )


def values(code: str = XINCHENG) -> set:
    """The values the summary holds for one region."""
    return set(MeasureSummary.objects.filter(region_id=code).values_list("value", flat=True))


def ingest(folder: Path) -> None:
    """Run the ingest command on `folder`, quietly."""
    call_command("ingest", str(folder), stdout=io.StringIO(), stderr=io.StringIO())


def write(folder: Path, name: str, day: str, events: int) -> None:
    """A short report of Xincheng dated `day` that counts `events` lectures."""
    year = day[:4]
    text = HEADING.format(year=year, date=day, theme=THEMES[year])
    text += f"{year}年新城区开展民族团结宣讲活动{events}场次。\n"
    (folder / name).write_text(text, encoding="utf-8")


def test_ingest_keeps_the_summary_equal_to_a_computation_from_scratch(tmp_path):
    """After ingest, and after re-ingesting an edited file, the summary holds each region's
    latest figure: the newer report's, with its edited value."""
    write(tmp_path, "old.txt", "2022年12月20日", 80)
    write(tmp_path, "new.txt", "2023年12月20日", 120)
    ingest(tmp_path)
    assert summary() == from_scratch() != set()
    assert 120 in values() and 80 not in values()
    write(tmp_path, "new.txt", "2023年12月20日", 150)
    ingest(tmp_path)
    assert summary() == from_scratch()
    assert 150 in values() and 120 not in values()


@pytest.mark.corpus
def test_ingest_of_the_seed_reports_fills_the_summary_as_computed_from_scratch(seeds_dir):
    """On the real seed reports the maintained summary equals the from-scratch ranking."""
    ingest(seeds_dir)
    assert summary() == from_scratch()


@pytest.fixture
def staff(client):
    """A client logged in as an editor."""
    client.force_login(make_editor())
    return client


def two_reports(make_report) -> tuple[Report, Report]:
    """Xincheng's events in 2022 (10) and 2023 (20): the 2023 figure is the latest."""
    old = measured_report(
        make_report,
        code=XINCHENG,
        published=date(2022, 6, 1),
        figures=[Fig("events", "活动", "10场", 10, "场")],
    )
    new = measured_report(
        make_report, code=XINCHENG, published=date(2023, 6, 1), figures=[Fig("events", "活动", "20场", 20, "场")]
    )  # fmt: skip
    assert values() == {20}
    return old, new


def test_a_staff_rejection_brings_back_the_previous_latest_figure(staff, make_report):
    """Rejecting the latest figure in the admin makes the older report's figure the latest."""
    _old, new = two_reports(make_report)
    figure = new.indicators.get()
    response = staff.post(
        "/admin/catalogue/indicator/", {"action": "reject", "_selected_action": [figure.pk]}
    )
    assert response.status_code == 302
    assert values() == {10}
    assert summary() == from_scratch()
    staff.post(
        "/admin/catalogue/indicator/", {"action": "restore", "_selected_action": [figure.pk]}
    )
    assert values() == {20}


def test_hiding_a_report_in_the_admin_takes_its_figures_out_of_the_summary(staff, make_report):
    """Hiding the latest report leaves the older report's figure; hiding both leaves none."""
    old, new = two_reports(make_report)
    staff.post("/admin/catalogue/report/", {"action": "hide", "_selected_action": [new.pk]})
    assert values() == {10}
    assert summary() == from_scratch()
    staff.post("/admin/catalogue/report/", {"action": "hide", "_selected_action": [old.pk]})
    assert values() == set()


def test_a_rejected_programme_takes_the_figures_under_it_out(make_report):
    """A figure under a programme staff rejected is no longer anyone's latest figure."""
    _old, new = two_reports(make_report)
    programme = new.programmes.create(key="p", start=0, end=1, title="宣传")
    new.indicators.update(programme=programme)
    programme.rejected = True
    programme.save()
    assert values() == {10}
    assert summary() == from_scratch()


def test_moving_a_report_to_another_region_moves_its_figures(make_report):
    """A report staff move to another region leaves its old region's summary."""
    _old, new = two_reports(make_report)
    new.region = Region.objects.get(code=HUIMIN)
    new.save()
    assert values(XINCHENG) == {10}
    assert values(HUIMIN) == {20}
    assert summary() == from_scratch()


def test_deleting_a_report_brings_back_the_previous_latest_figure(make_report):
    """A deleted report's figures leave the summary and the older figure takes their place."""
    _old, new = two_reports(make_report)
    new.delete()
    assert values() == {10}
    assert summary() == from_scratch()


def test_rebuild_command_rewrites_the_summary_from_the_indicators(make_report):
    """`rebuild_measure_summary` restores a summary changed behind the writers' backs."""
    two_reports(make_report)
    MeasureSummary.objects.all().delete()
    Indicator.objects.filter(value=20).update(value=25)  # an UPDATE sends no signal
    out = io.StringIO()
    call_command("rebuild_measure_summary", stdout=out)
    assert values() == {25}
    assert summary() == from_scratch()
    assert "measure summary: 1 rows" in out.getvalue()


def test_migration_fills_the_summary_of_data_loaded_before_it(make_report):
    """Migration 0013 writes the same summary for existing data as the from-scratch ranking."""
    import importlib

    from django.apps import apps

    old, _new = two_reports(make_report)
    hidden = measured_report(
        make_report, code=HUIMIN, published=date(2024, 1, 1), figures=[Fig("events", "活动", "9场", 9, "场")]
    )  # fmt: skip
    Report.objects.filter(pk=hidden.pk).update(hidden=True)
    old.indicators.update(rejected=True)
    MeasureSummary.objects.all().delete()
    importlib.import_module("catalogue.migrations.0019_measure_summary").fill(apps, None)
    assert summary() == from_scratch()
    assert values(XINCHENG) == {20} and values(HUIMIN) == set()
