"""Maintained tables the pages read instead of scanning: the catalogue version,
the latest figure per region and measure, region counts and series."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .extracted import Indicator
from .reference import Measure, Region
from .reports import Report


class CatalogueState(models.Model):
    """One row whose version is bumped after any catalogue write: caches key on it in O(1)."""

    version = models.BigIntegerField(_("版本"), default=0)
    changed_at = models.DateTimeField(_("更改时间"), auto_now=True)

    class Meta:
        verbose_name = _("目录状态")
        verbose_name_plural = _("目录状态")

    def __str__(self) -> str:
        return f"{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class MeasureSummary(models.Model):
    """Each region's latest public figure per measure, unit and period kind, kept by the writers.

    Compare, the measure list and a province's aggregates read this table instead of
    ranking every indicator: ingest refreshes the regions of each report it loads, and
    staff saves (rejections, hides, edits) refresh the regions they touch, inside the
    writer's transaction (catalogue.measure_summary). "Latest" is the figure of the latest
    period year, then of the latest report, then the largest in one report. Never edited.
    """

    # Both are led by an index below: (region, …) by the key, (measure, …) by compare's.
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("度量"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit = models.CharField(_("单位"), max_length=20)
    period_kind = models.CharField(_("时期类型"), max_length=10)
    indicator = models.OneToOneField(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(_("行政级别"), max_length=10)
    value = models.DecimalField(_("数值"), max_digits=24, decimal_places=6)
    qualifier = models.CharField(_("限定"), max_length=10)
    figure = models.CharField(_("原文数字"), max_length=60)
    period = models.CharField(_("时期"), max_length=40, blank=True)
    period_year = models.PositiveSmallIntegerField(_("时期年份"), null=True, blank=True)
    published = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("度量最新数字")
        verbose_name_plural = _("度量最新数字")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "measure", "unit", "period_kind"], name="measure_summary_key"
            )
        ]
        indexes = [
            # A comparison reads one measure's rows in DISTINCT ON (region, period kind) order.
            models.Index(
                fields=["measure", "region", "period_kind"], name="measure_summary_compare"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.measure_id} {self.figure}"


class RegionCount(models.Model):
    """How many public reports each region has of its own, kept by the writers.

    The division tree, a region's page and the home page's top regions read these few
    thousand rows instead of counting every report per request. Rewritten region by region
    with the measure summary (catalogue.region_counts), inside the writer's transaction;
    a region without public reports has no row.
    """

    region = models.OneToOneField(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    reports = models.PositiveIntegerField(_("公开报告数"))

    class Meta:
        verbose_name = _("地区报告数")
        verbose_name_plural = _("地区报告数")

    def __str__(self) -> str:
        return f"{self.region_id} {self.reports}"


class RegionSeries(models.Model):
    """Per region, measure and unit: how many public figures and reports, kept by the writers.

    A region's timelines read which measures it reported, how often, and the ids of the
    latest figures from here (catalogue.region_counts), then load only those figures.
    """

    # Led by the unique key's index (region, measure, unit).
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("度量"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit = models.CharField(_("单位"), max_length=20)
    figures = models.PositiveIntegerField(_("数字数"))
    reports = models.PositiveIntegerField(_("报告数"))
    # Newest first: by report date (undated last in time, so first here), report, figure.
    latest = ArrayField(models.BigIntegerField(), verbose_name=_("最新数字"))

    class Meta:
        verbose_name = _("地区度量序列")
        verbose_name_plural = _("地区度量序列")
        constraints = [
            models.UniqueConstraint(fields=["region", "measure", "unit"], name="region_series_key")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.measure_id} {self.unit}: {self.figures}"
