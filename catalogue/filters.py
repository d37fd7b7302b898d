"""FilterSets of the public lists: region (with descendants), province, level, years, theme,
unit, qualifier, value range and text, and sorting. Each also describes its active filters
in words."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from . import search
from .models import Indicator, Region, Theme

LEVELS = Region.Level.choices


def region_codes(region: Region) -> list[str]:
    """The codes of `region` and the regions below it, as a literal list so the planner can
    estimate how many rows they select (a subquery over the tree it cannot)."""
    return list(
        Region.objects.descendants_of(region, include_self=True).values_list("code", flat=True)
    )


class RegionCodeField(forms.ModelChoiceField):
    """A region given by its six-digit code in a text box (a select of 3,200 would be unusable)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 8, "pattern": r"\d{6}"})
    default_error_messages = {"invalid_choice": _("没有这个行政区划代码。")}


class RegionCodeFilter(df.ModelChoiceFilter):
    """Rows in a region or any region below it."""

    field_class = RegionCodeField

    def __init__(self, *args, path: str, **kwargs):
        self.path = path
        kwargs.setdefault("queryset", Region.objects.select_related("parent__parent"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path}__in": region_codes(value)})


class CatalogueFilterSet(df.FilterSet):
    """What every public list filters on: place, level, years and text."""

    region_path = "report__region"
    published_path = "report__published"
    text_fields: tuple[str, ...] = ()

    region = RegionCodeFilter(label=_("地区(含下级)"), path="report__region")
    province = df.ModelChoiceFilter(
        label=_("省级"),
        queryset=Region.objects.filter(level="province"),
        to_field_name="code",
        method="filter_province",
        empty_label=_("全部"),
    )
    level = df.ChoiceFilter(label=_("行政级别"), choices=LEVELS, method="filter_level")
    year_min = df.NumberFilter(label=_("起始年份"), method="filter_year_min", min_value=1949)
    year_max = df.NumberFilter(label=_("截止年份"), method="filter_year_max", max_value=2100)
    q = df.CharFilter(label=_("文字"), method="filter_text")

    def filter_province(self, qs, name, value):
        return qs.filter(**{f"{self.region_path}__in": region_codes(value)})

    def filter_level(self, qs, name, value):
        return qs.filter(**{f"{self.region_path}__level": value})

    def filter_year_min(self, qs, name, value):
        return qs.filter(**{f"{self.published_path}__gte": f"{int(value):04d}-01-01"})

    def filter_year_max(self, qs, name, value):
        return qs.filter(**{f"{self.published_path}__lte": f"{int(value):04d}-12-31"})

    def filter_text(self, qs, name, value):
        return search.text_filter(qs, value, self.text_fields)

    def describe(self) -> list[str]:
        """The active filters in words, e.g. ["地区:新城区及下级", "单位:场次"]."""
        if not self.is_bound or not self.form.is_valid():
            return []
        words = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()) or name == "o":
                continue
            words.append(f"{self.filters[name].label}:{self._words(name, value)}")
        return words

    def _words(self, name, value) -> str:
        if isinstance(value, Region):
            return (
                str(_("%(name)s及下级") % {"name": value.name}) if name == "region" else value.name
            )
        if name == "level":
            return str(dict(LEVELS)[value])
        if name == "qualifier":
            return str(dict(Indicator.Qualifier.choices)[value])
        if hasattr(value, "normalize"):
            return f"{value.normalize():f}"
        return str(value)


class ReportFilter(CatalogueFilterSet):
    """Filters of the report list."""

    region_path = "region"
    published_path = "published"
    text_fields = search.REPORT_FIELDS

    region = RegionCodeFilter(label=_("地区(含下级)"), path="region")
    o = df.OrderingFilter(
        fields=(("published", "published"), ("region__code", "region"), ("title", "title")),
        field_labels={"published": _("日期"), "region__code": _("地区"), "title": _("标题")},
        label=_("排序"),
    )


class ProgrammeFilter(CatalogueFilterSet):
    """Filters of the programme list."""

    text_fields = search.PROGRAMME_FIELDS
    o = df.OrderingFilter(
        fields=(("report__published", "published"), ("report__region__code", "region")),
        field_labels={"report__published": _("日期"), "report__region__code": _("地区")},
        label=_("排序"),
    )


class InitiativeFilter(CatalogueFilterSet):
    """Filters of the initiative list."""

    text_fields = search.INITIATIVE_FIELDS
    theme = df.ModelChoiceFilter(
        label=_("主题"),
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("全部"),
    )
    o = df.OrderingFilter(
        fields=(("report__published", "published"), ("report__region__code", "region")),
        field_labels={"report__published": _("日期"), "report__region__code": _("地区")},
        label=_("排序"),
    )


class IndicatorFilter(CatalogueFilterSet):
    """Filters of the indicator list."""

    text_fields = search.INDICATOR_FIELDS
    unit = df.CharFilter(label=_("单位"), field_name="unit", lookup_expr="exact")
    qualifier = df.ChoiceFilter(label=_("限定"), choices=Indicator.Qualifier.choices)
    theme = df.ModelChoiceFilter(
        label=_("主题"),
        field_name="initiative__themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("全部"),
    )
    value_min = df.NumberFilter(label=_("最小值"), field_name="value", lookup_expr="gte")
    value_max = df.NumberFilter(label=_("最大值"), field_name="value", lookup_expr="lte")
    o = df.OrderingFilter(
        fields=(
            ("report__published", "published"),
            ("value", "value"),
            ("report__region__code", "region"),
        ),
        field_labels={
            "report__published": _("日期"),
            "value": _("数值"),
            "report__region__code": _("地区"),
        },
        label=_("排序"),
    )


class CompareForm(forms.Form):
    """Which indicators to compare: a unit (required), optionally a label fragment and a level."""

    unit = forms.CharField(label=_("单位"), max_length=20)
    label = forms.CharField(label=_("指标名称包含"), max_length=60, required=False)
    level = forms.ChoiceField(
        label=_("行政级别"), choices=[("", _("全部"))] + list(LEVELS), required=False
    )

    def __init__(self, *args, units: list[tuple[str, int]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["unit"].widget.attrs["list"] = "units"
