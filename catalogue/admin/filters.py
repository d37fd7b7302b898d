"""Changelist filters staff scan by: province, year, what ingest flagged."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from catalogue.models import Region, Report

FLAGS = {
    "region_undecided": _("地区未定"),
    "title_derived": _("标题为推断"),
    "no_indicators": _("未抽取到指标"),
    "no_programmes": _("未抽取到工作项目"),
    "decoding_repaired": _("编码已修复"),
}


class ProvinceFilter(admin.SimpleListFilter):
    """Rows whose report's region lies in a province (the first two digits of the code)."""

    title = _("省份")
    parameter_name = "province"
    region_path = "region"

    def lookups(self, request, model_admin):
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).only("code", "name")
        return [(p.code[:2], p.name) for p in provinces]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) == 2:
            return queryset.filter(**{f"{self.region_path}__code__startswith": value})
        return queryset


class ReportProvinceFilter(ProvinceFilter):
    region_path = "report__region"


class YearFilter(admin.SimpleListFilter):
    """Rows by the year their report was published."""

    title = _("发布年份")
    parameter_name = "year"
    date_path = "published"

    def lookups(self, request, model_admin):
        years = Report.objects.dates("published", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.date_path}__year": int(value)})
        return queryset


class ReportYearFilter(YearFilter):
    date_path = "report__published"


class FlagFilter(admin.SimpleListFilter):
    """Reports carrying one of the flags ingest raises for review."""

    title = _("待核标记")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return list(FLAGS.items())

    def queryset(self, request, queryset):
        if self.value() in FLAGS:
            return queryset.filter(flags__contains=[self.value()])
        return queryset


class ReprintFilter(admin.SimpleListFilter):
    """Reports by their place in a group of reprints of one article."""

    title = _("同文转载")
    parameter_name = "reprints"

    def lookups(self, request, model_admin):
        return [
            ("public", _("有转载的公开报告")),
            ("reprint", _("转载(不公开)")),
            ("single", _("未分组")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "public":
            return queryset.filter(reprints__isnull=False).distinct()
        if self.value() == "reprint":
            return queryset.filter(duplicate_of__isnull=False)
        if self.value() == "single":
            return queryset.filter(duplicate_of__isnull=True, reprints__isnull=True)
        return queryset
