"""The database enforces what it can, and the tests run on real PostgreSQL."""

import pytest
from django.db import IntegrityError, connection, transaction

from catalogue.models import Indicator, Programme, Region, Report

pytestmark = pytest.mark.django_db


def test_tests_run_on_postgresql():
    """The test database is PostgreSQL, not a stand-in."""
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_array_lookup_finds_reports_by_source(make_report):
    """Sources are a PostgreSQL array that can be searched by element."""
    make_report(sources=["市民委", "融媒体中心"])
    make_report(sources=["统战部"])
    assert Report.objects.filter(sources__contains=["统战部"]).count() == 1


def test_same_text_cannot_be_stored_twice(make_report):
    """The body hash is unique: a report's identity."""
    report = make_report()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(sha256=report.sha256)


def test_unknown_qualifier_is_refused_by_the_database(make_report):
    """A qualifier outside the known set cannot be written, even bypassing forms."""
    report = make_report()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(
            report=report,
            key="k",
            start=0,
            end=3,
            label="活动",
            value=1,
            unit="场",
            qualifier="roughly",
            figure="1场",
            quote="1场",
        )


def test_span_must_be_ordered(make_report):
    """A source span whose end precedes its start is refused."""
    report = make_report()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(report=report, key="p1", start=10, end=2, title="标题")


def test_region_with_reports_cannot_be_deleted(make_report):
    """Deleting a region never silently drops the reports filed under it."""
    region = Region.objects.get(code="150102")
    make_report(region=region)
    with pytest.raises(Exception, match="protected|Cannot delete"), transaction.atomic():
        region.delete()
    assert Report.objects.filter(region=region).exists()


def test_bad_region_code_is_refused():
    """Region codes are six digits, enforced by a check constraint."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="12ab56", name="x", short_name="x", level="county")
