"""Same source, new version: an edited file updates its report; reprints form one public group."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Indicator, Origin, Report, ReportVersion

from .samples import CITY_REPORT, COUNTY_OTHER_REPORT, COUNTY_REPORT, reprint

pytestmark = pytest.mark.django_db


def ingest(*args: str) -> str:
    """Run the command in-process; returns its output."""
    out = io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


EDITED = COUNTY_REPORT.replace("5个", "6个").replace("200对", "220对")
WITH_URL = "原文链接:https://www.example.gov.cn/mz/2024/0305.html\n"


def test_edited_file_at_the_same_path_updates_its_report(tmp_path):
    """An edited file at the same path updates the one report and keeps the old text in history."""
    path = write(tmp_path / "county.txt", COUNTY_REPORT)
    ingest(str(path))
    report = Report.objects.get()
    old_sha = report.sha256
    write(path, EDITED)
    out = ingest(str(path))
    assert "0 new, 1 updated" in out
    report.refresh_from_db()
    assert Report.objects.count() == 1
    assert "6个" in report.text and report.sha256 != old_sha
    version = ReportVersion.objects.get(report=report)
    assert version.sha256 == old_sha and "5个" in version.text


def test_edited_file_keeps_staff_rows_and_fields(tmp_path):
    """A new version keeps staff-corrected rows, rejected rows and staff-set report fields."""
    path = write(tmp_path / "county.txt", COUNTY_REPORT)
    ingest(str(path))
    corrected = Indicator.objects.get(figure="80余场次")
    Indicator.objects.filter(pk=corrected.pk).update(value=999, origin=Origin.STAFF)
    Indicator.objects.filter(figure="12个").update(rejected=True)
    Report.objects.update(title="人工标题", staff_fields=["title"])
    write(path, EDITED)
    ingest(str(path))
    assert Report.objects.get().title == "人工标题"
    assert list(Indicator.objects.filter(figure="80余场次").values_list("value", "origin")) == [
        (999, Origin.STAFF)
    ]
    assert not Indicator.objects.public().filter(figure="12个").exists()
    assert Indicator.objects.public().filter(figure="6个").count() == 1
    assert not Indicator.objects.filter(figure="5个").exists()


def test_same_original_url_elsewhere_is_a_new_version(tmp_path):
    """An edited copy with the same original URL, from another folder, updates that report."""
    ingest(str(write(tmp_path / "a" / "county.txt", WITH_URL + COUNTY_REPORT)))
    ingest(str(write(tmp_path / "b" / "copy.txt", WITH_URL + EDITED)))
    assert Report.objects.count() == 1
    assert ReportVersion.objects.count() == 1


def test_an_older_version_ingested_again_changes_nothing(tmp_path):
    """A copy of a text the report had before does not roll the report back."""
    path = write(tmp_path / "county.txt", COUNTY_REPORT)
    ingest(str(path))
    write(path, EDITED)
    ingest(str(path))
    out = ingest(str(write(tmp_path / "old" / "county.txt", COUNTY_REPORT)))
    assert "0 new, 0 updated, 1 unchanged" in out
    assert "6个" in Report.objects.get().text


@pytest.fixture
def reprints(tmp_path: Path) -> Path:
    """The county article from its own site and two reprints, plus the city article."""
    folder = tmp_path / "reports"
    write(folder / "county.txt", COUNTY_REPORT)
    write(folder / "news" / "county.txt", reprint(COUNTY_REPORT, "某某新闻网"))
    write(folder / "north" / "county.html", reprint(COUNTY_REPORT, "北疆资讯"))
    write(folder / "city.txt", CITY_REPORT)
    return folder


def test_reprints_from_other_sites_form_one_public_report(reprints):
    """Three copies of one article: all kept, one public, the others point to it."""
    ingest(str(reprints))
    assert Report.objects.count() == 4
    county = Report.objects.filter(content__body__contains="土默特左旗")
    public = county.filter(hidden=False)
    assert public.count() == 1
    assert set(county.exclude(pk=public.get().pk).values_list("duplicate_of", flat=True)) == {
        public.get().pk
    }
    assert Report.objects.get(title__contains="恩施").duplicate_of is None


def test_public_report_lists_its_other_sources(client, reprints, django_assert_max_num_queries):
    """The public page of a grouped report names the reprints' sources, in bounded queries."""
    ingest(str(reprints))
    public = Report.objects.get(content__body__contains="土默特左旗", hidden=False)
    Report.objects.filter(duplicate_of=public).update(sources=["某某新闻网"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("catalogue:report_detail", args=[public.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("某某新闻网") == 2
    hidden = Report.objects.filter(duplicate_of=public).first()
    assert client.get(reverse("catalogue:report_detail", args=[hidden.pk])).status_code == 404


def test_two_articles_of_one_county_are_not_grouped(tmp_path):
    """Different articles about the same county stay two public reports."""
    ingest(str(write(tmp_path / "a.txt", COUNTY_REPORT)))
    ingest(str(write(tmp_path / "b.txt", COUNTY_OTHER_REPORT)))
    assert Report.objects.published().count() == 2
    assert not Report.objects.filter(duplicate_of__isnull=False).exists()


def test_reprint_hidden_by_staff_stays_hidden(tmp_path):
    """Grouping never shows a report staff hid, even when it would be the public one."""
    ingest(str(write(tmp_path / "news" / "county.txt", reprint(COUNTY_REPORT, "某某新闻网"))))
    Report.objects.update(hidden=True, staff_fields=["hidden"])
    ingest(str(write(tmp_path / "county.txt", COUNTY_REPORT)))
    assert Report.objects.filter(staff_fields__contains=["hidden"], hidden=True).count() == 1


def test_ingest_twice_with_reprints_and_versions_is_all_unchanged(reprints):
    """The second run over the same folder writes nothing."""
    first = ingest(str(reprints))
    assert "files: 4 new, 0 updated, 0 unchanged" in first
    state = list(Report.objects.values_list("pk", "duplicate_of", "hidden", "updated_at"))
    assert "files: 0 new, 0 updated, 4 unchanged" in ingest(str(reprints))
    assert list(Report.objects.values_list("pk", "duplicate_of", "hidden", "updated_at")) == state


@pytest.mark.django_db(transaction=True)
def test_parallel_ingest_groups_reprints_once(division_table, reprints):
    """With --jobs 2 the workers still leave one public copy of the article."""
    out = ingest("--jobs", "2", str(reprints))
    assert "files: 4 new" in out
    county = Report.objects.filter(content__body__contains="土默特左旗")
    assert county.count() == 3 and county.filter(hidden=False).count() == 1
    assert county.filter(duplicate_of__isnull=True).count() == 1


def test_the_public_copy_does_not_depend_on_load_order(tmp_path):
    """Whichever copy is loaded first, the same one ends up public (parallel workers agree)."""
    files = [
        write(tmp_path / "a" / "county.txt", COUNTY_REPORT),
        write(tmp_path / "b" / "county.txt", reprint(COUNTY_REPORT, "某某新闻网")),
        write(tmp_path / "c" / "county.txt", reprint(COUNTY_REPORT, "北疆资讯")),
    ]
    public = set()
    for order in (files, files[::-1], files[1:] + files[:1]):
        for path in order:
            ingest(str(path))
        public.add(Report.objects.get(hidden=False).sha256)
        Report.objects.all().delete()
    assert len(public) == 1
