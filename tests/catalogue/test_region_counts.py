"""The maintained region counts and measure series equal a count from scratch after every write."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from catalogue import measure_summary
from catalogue.models import Indicator, Measure, Region, RegionCount, RegionSeries, Report
from catalogue.region_counts import SERIES_LATEST
from catalogue.selectors.regions import own_report_counts
from catalogue.selectors.timelines import region_timeline_table
from tests.catalogue.admin_support import make_editor
from tests.catalogue.measure_support import Fig, hide, measured_report

pytestmark = pytest.mark.django_db

XINCHENG, HUIMIN = "150102", "150103"
REPORT = "呼和浩特市{place}{year}年民族团结进步创建工作总结\n发布时间:{day}\n一、加强宣传教育,营造浓厚氛围\n"


def counts_from_scratch() -> dict[str, int]:
    """Each region's public reports of its own, counted over every report."""
    return dict(
        Counter(Report.objects.published().exclude(region=None).values_list("region_id", flat=True))
    )


def series_from_scratch() -> set[tuple]:
    """Per region, measure and unit: figures, reports and the latest ids, from every public figure.

    Latest: newest report date first (an undated report counts as newest), then the
    larger report id, then the larger figure id.
    """
    rows = defaultdict(list)
    figures = Indicator.objects.public().filter(measure__isnull=False, report__region__isnull=False)
    for row in figures.select_related("report"):
        rows[(row.report.region_id, row.measure_id, row.unit)].append(row)
    result = set()
    for key, group in rows.items():
        group.sort(key=lambda r: (r.report.published or date.max, r.report_id, r.pk), reverse=True)
        latest = tuple(r.pk for r in group[:SERIES_LATEST])
        result.add((*key, len(group), len({r.report_id for r in group}), latest))
    return result


def maintained() -> tuple[dict[str, int], set[tuple]]:
    """What the two maintained tables hold, in the from-scratch shapes."""
    series = {
        (region, measure, unit, figures, reports, tuple(latest))
        for region, measure, unit, figures, reports, latest in RegionSeries.objects.values_list(
            "region_id", "measure_id", "unit", "figures", "reports", "latest"
        )
    }
    return own_report_counts(), series


def assert_equal_to_scratch() -> None:
    """Both tables hold what a count from scratch gives."""
    counts, series = maintained()
    assert counts == counts_from_scratch()
    assert series == series_from_scratch()


def ingest(folder: Path) -> None:
    """Run the ingest command on `folder`, quietly."""
    call_command("ingest", str(folder), stdout=io.StringIO(), stderr=io.StringIO())


def write(folder: Path, name: str, *, place: str, day: str, events: int) -> None:
    """A short report of `place` (a district of Hohhot) dated `day` counting `events` lectures."""
    text = REPORT.format(place=place, year=day[:4], day=day)
    text += f"{day[:4]}年{place}开展民族团结宣讲活动{events}场次。\n"
    (folder / name).write_text(text, encoding="utf-8")


def test_ingest_keeps_the_counts_equal_to_a_count_from_scratch(tmp_path):
    """After ingest, and after an edited file is ingested again, the tables equal a fresh count."""
    write(tmp_path, "a.txt", place="新城区", day="2022年12月20日", events=80)
    write(tmp_path, "b.txt", place="新城区", day="2023年12月20日", events=120)
    write(tmp_path, "c.txt", place="回民区", day="2023年6月1日", events=30)
    ingest(tmp_path)
    counts, series = maintained()
    assert counts == {XINCHENG: 2, HUIMIN: 1}
    assert series and counts == counts_from_scratch() and series == series_from_scratch()
    write(tmp_path, "c.txt", place="回民区", day="2023年6月1日", events=45)
    ingest(tmp_path)
    assert_equal_to_scratch()


@pytest.mark.corpus
def test_ingest_of_the_seed_reports_counts_as_from_scratch(seeds_dir):
    """On the real seed reports the maintained tables equal a count from scratch."""
    ingest(seeds_dir)
    assert RegionCount.objects.exists()
    assert_equal_to_scratch()


def two_reports(make_report) -> tuple[Report, Report]:
    """Xincheng's events in 2022 and 2023, one figure each."""
    old = measured_report(
        make_report, code=XINCHENG, published=date(2022, 6, 1), figures=[Fig("events", "活动", "10场", 10, "场")]
    )  # fmt: skip
    new = measured_report(
        make_report, code=XINCHENG, published=date(2023, 6, 1), figures=[Fig("events", "活动", "20场", 20, "场")]
    )  # fmt: skip
    assert own_report_counts() == {XINCHENG: 2}
    return old, new


@pytest.fixture
def staff(client):
    """A client logged in as an editor."""
    client.force_login(make_editor())
    return client


def test_a_staff_rejection_takes_the_figure_out_of_its_series(staff, make_report):
    """Rejecting a figure in the admin leaves its series one figure and one report shorter."""
    _old, new = two_reports(make_report)
    figure = new.indicators.get()
    staff.post("/admin/catalogue/indicator/", {"action": "reject", "_selected_action": [figure.pk]})
    series = RegionSeries.objects.get(region_id=XINCHENG)
    assert (series.figures, series.reports) == (1, 1)
    assert figure.pk not in series.latest
    assert_equal_to_scratch()


def test_hiding_a_report_in_the_admin_lowers_its_region_count(staff, make_report):
    """Hiding one report lowers Xincheng's count to 1; hiding both removes the region's row."""
    old, new = two_reports(make_report)
    staff.post("/admin/catalogue/report/", {"action": "hide", "_selected_action": [new.pk]})
    assert own_report_counts() == {XINCHENG: 1}
    assert_equal_to_scratch()
    hide(old)
    assert own_report_counts() == {}
    assert not RegionSeries.objects.exists()


def test_a_bulk_hide_of_reports_without_figures_recounts_their_region(make_report):
    """A queryset update of `hidden` recounts the region even when no extracted row changed."""
    report = make_report(region=Region.objects.get(code=XINCHENG))
    assert own_report_counts() == {XINCHENG: 1}
    Report.objects.filter(pk=report.pk).update(hidden=True)
    assert own_report_counts() == {}


def test_moving_a_report_to_another_region_recounts_both(make_report):
    """A report moved from Xincheng to Huimin counts in Huimin only, figures included."""
    _old, new = two_reports(make_report)
    new.region = Region.objects.get(code=HUIMIN)
    new.save()
    assert own_report_counts() == {XINCHENG: 1, HUIMIN: 1}
    assert_equal_to_scratch()
    Report.objects.filter(pk=new.pk).update(region=Region.objects.get(code=XINCHENG))
    assert own_report_counts() == {XINCHENG: 2}
    assert_equal_to_scratch()


def test_deleting_a_report_recounts_its_region(make_report):
    """A deleted report leaves its region's count and series."""
    _old, new = two_reports(make_report)
    new.delete()
    assert own_report_counts() == {XINCHENG: 1}
    assert_equal_to_scratch()


def test_rebuild_restores_tables_changed_behind_the_writers_back(make_report):
    """rebuild_measure_summary rewrites the counts as well as the summary."""
    two_reports(make_report)
    RegionCount.objects.update(reports=99)
    RegionSeries.objects.all().delete()
    measure_summary.rebuild()
    assert_equal_to_scratch()


def test_a_series_keeps_only_its_latest_figures_and_the_timeline_page_says_so(client, make_report):
    """With more figures than the page lists, the timeline shows the latest ones (oldest first),
    says how many there are in all, and links to the full list of the indicator page."""
    extra = 3
    for n in range(SERIES_LATEST + extra):
        measured_report(
            make_report,
            code=XINCHENG,
            published=date(1970 + n, 1, 1),
            figures=[Fig("events", "开展活动", f"{n + 1}场次", n + 1, "场次", "exact", "year")],
        )
    series = RegionSeries.objects.get(region_id=XINCHENG)
    assert (series.figures, series.reports, len(series.latest)) == (53, 53, SERIES_LATEST)
    (timeline,) = region_timeline_table(region=Region.objects.get(code=XINCHENG))
    assert [p.value for p in timeline.points] == list(range(extra + 1, SERIES_LATEST + extra + 1))
    page = client.get(f"/regions/{XINCHENG}/timeline/").content.decode()
    assert f"只列出最新的 {SERIES_LATEST} 个,共 53 个数字" in page
    assert f"/indicators/?region={XINCHENG}&amp;measure=events&amp;unit=%E5%9C%BA%E6%AC%A1" in page
    assert ">1场次<" not in page and f">{SERIES_LATEST + extra}场次<" in page
    region_page = client.get(f"/regions/{XINCHENG}/").content.decode()
    assert "全部 53 个数字" in region_page


def test_region_lookups_use_the_tables_indexes():
    """EXPLAIN at a realistic fill (every county, 20 series each) after ANALYZE: a region's
    counts and series come through their keys, not a scan."""
    codes = list(Region.objects.filter(level="county").values_list("code", flat=True))
    RegionCount.objects.bulk_create(RegionCount(region_id=code, reports=5) for code in codes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM catalogue_measure ORDER BY id LIMIT 20")
        measures = [row[0] for row in cursor.fetchall()]
    RegionSeries.objects.bulk_create(
        RegionSeries(region_id=code, measure_id=m, unit="个", figures=3, reports=2, latest=[1])
        for code in codes
        for m in measures
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_regioncount")
        cursor.execute("ANALYZE catalogue_regionseries")
    series = RegionSeries.objects.filter(region_id=codes[7], reports__gte=2).explain()
    assert "region_series_key" in series and "Seq Scan" not in series, series
    counts = RegionCount.objects.filter(region_id__in=codes[:5]).explain()
    assert "catalogue_regioncount_pkey" in counts and "Seq Scan" not in counts, counts


def test_a_region_pages_reads_of_the_big_tables_go_through_indexes():
    """EXPLAIN at 2,000 reports and 20,000 figures after ANALYZE: a timeline's figures are read
    by primary key and the profile's reports through the report region index."""
    from catalogue.selectors.regions import _profile_reports
    from catalogue.selectors.timelines import _timeline_figures
    from tests.catalogue.test_compare_summary import figure, reports

    measures = list(Measure.objects.order_by("slug")[:10])
    codes = list(Region.objects.filter(level="county").values_list("code", flat=True)[:400])
    made = reports(2000, codes, published=date(2023, 1, 1))
    Indicator.objects.bulk_create(
        figure(report, m, measure, m + 1) for report in made for m, measure in enumerate(measures)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_report")
        cursor.execute("ANALYZE catalogue_indicator")
    ids = list(Indicator.objects.values_list("pk", flat=True)[:24])
    figures = _timeline_figures().filter(pk__in=ids).explain()
    assert "catalogue_indicator_pkey" in figures and "Seq Scan" not in figures, figures
    region = Region.objects.get(code=codes[0])
    latest = Report.objects.filter(pk__in=_profile_reports(region)).explain()
    assert "catalogue_report_region_id" in latest and "Seq Scan" not in latest, latest
