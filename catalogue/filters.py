"""FilterSets of the public lists: region (with descendants), province, level, years, theme,
unit, qualifier, measure, period kind, value range and text, and sorting. Each also
describes its active filters in words.

Every value is checked before it reaches the database: years within 1..9999, values that
numeric(24, 6) holds, codes and slugs of the right shape, text of bounded length and
without NUL bytes. A bad value is a form error (the page says which), never a 500.
"""

from __future__ import annotations

import re

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import search
from .models import Indicator, Initiative, Measure, Region, Theme
from .selectors.compare import measure_name

PERIOD_KINDS = Indicator._meta.get_field("period_kind").choices

LEVELS = Region.Level.choices
REGION_CODE = re.compile(r"[0-9]{6}")
THEME_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
MAX_QUERY = 100  # characters of a text filter or search query
# Django's select markup with each option written inline, not included (two template
# includes per option were most of a list page's filter form; a list has ~120 options).
QUICK_SELECT = "catalogue/forms/select.html"


def region_codes(region: Region) -> list[str]:
    """The codes of `region` and the regions below it, as a literal list so the planner can
    estimate how many rows they select (a subquery over the tree it cannot)."""
    return list(
        Region.objects.descendants_of(region, include_self=True).values_list("code", flat=True)
    )


# Each sort in both directions, named in words (django-filter would say "日期 (descending)").
SORT_LABELS = {
    "published": (_("日期(从早到晚)"), _("日期(从新到旧)")),
    "region": (_("地区(按代码顺序)"), _("地区(按代码倒序)")),
    "title": (_("标题(升序)"), _("标题(降序)")),
    "value": (_("数值(从小到大)"), _("数值(从大到小)")),
}


def sort_filter(*fields: tuple[str, str]) -> df.OrderingFilter:
    """An OrderingFilter over (field, param) pairs whose choices read well in both directions."""
    labels = {}
    for field, param in fields:
        labels[field], labels[f"-{param}"] = SORT_LABELS[param]
    return df.OrderingFilter(fields=fields, field_labels=labels, label=_("排序"))


class FetchedChoiceIterator(forms.models.ModelChoiceIterator):
    """A select's choices read by one plain query. Django reads them through iterator(), a
    server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE round trips for a list of a
    few dozen rows, on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ShapedChoiceField(forms.ModelChoiceField):
    """A model choice whose value must match `shape` before it is looked up (a NUL byte or an
    over-long code would otherwise reach PostgreSQL and fail there)."""

    shape = re.compile(r".+")
    iterator = FetchedChoiceIterator

    def to_python(self, value):
        if value not in self.empty_values and not self.shape.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RegionCodeField(ShapedChoiceField):
    """A region given by its six-digit code in a text box (a select of 3,200 would be unusable)."""

    shape = REGION_CODE
    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 8, "pattern": r"\d{6}"})
    default_error_messages = {"invalid_choice": _("没有这个行政区划代码。")}


class ProvinceField(ShapedChoiceField):
    """A province chosen from a list by its code, named in the active language."""

    shape = REGION_CODE

    def label_from_instance(self, obj) -> str:
        return obj.name_en if obj.name_en and get_language() == "en" else obj.name


class ThemeField(ShapedChoiceField):
    """A theme chosen from a list by its slug."""

    shape = THEME_SLUG


class MeasureField(ThemeField):  # the same slug shape
    """A measure chosen from a list by its slug, named in the active language."""

    def label_from_instance(self, obj) -> str:
        return measure_name(obj)


class MeasureFilter(df.ModelChoiceFilter):
    """Figures of one measure, chosen by slug."""

    field_class = MeasureField


class ProvinceFilter(df.ModelChoiceFilter):
    """Rows in a province, chosen by code."""

    field_class = ProvinceField


class ThemeFilter(df.ModelChoiceFilter):
    """Rows carrying a theme, chosen by slug."""

    field_class = ThemeField


class YearFilter(df.NumberFilter):
    """A whole year between 1 and 9999 (a date outside them cannot be built)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class ValueFilter(df.NumberFilter):
    """A figure bound that the value column, numeric(24, 6), can compare with."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(*args, **kwargs)


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
    province = ProvinceFilter(
        label=_("省级"),
        queryset=Region.objects.filter(level="province"),
        to_field_name="code",
        method="filter_province",
        empty_label=_("全部"),
    )
    level = df.ChoiceFilter(label=_("行政级别"), choices=LEVELS, method="filter_level")
    year_min = YearFilter(label=_("起始年份"), method="filter_year_min")
    year_max = YearFilter(label=_("截止年份"), method="filter_year_max")
    q = df.CharFilter(label=_("文字"), method="filter_text", max_length=MAX_QUERY)

    @property
    def form(self):
        """The filter form, whose selects print each option inline (QUICK_SELECT)."""
        if not hasattr(self, "_form"):
            for field in super().form.fields.values():
                if field.widget.template_name == forms.Select.template_name:
                    field.widget.template_name = QUICK_SELECT
        return self._form

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
            place = value.name_en if value.name_en and get_language() == "en" else value.name
            return str(_("%(name)s及下级") % {"name": place}) if name == "region" else place
        if name == "level":
            return str(dict(LEVELS)[value])
        if name == "qualifier":
            return str(dict(Indicator.Qualifier.choices)[value])
        if name == "period_kind":
            return str(dict(PERIOD_KINDS)[value])
        if hasattr(value, "normalize"):
            return f"{value.normalize():f}"
        return str(value)


class ReportFilter(CatalogueFilterSet):
    """Filters of the report list."""

    region_path = "region"
    published_path = "published"
    text_fields = search.REPORT_FIELDS

    region = RegionCodeFilter(label=_("地区(含下级)"), path="region")
    o = sort_filter(("published", "published"), ("region__code", "region"), ("title", "title"))


class ProgrammeFilter(CatalogueFilterSet):
    """Filters of the programme list."""

    text_fields = search.PROGRAMME_FIELDS
    o = sort_filter(("report__published", "published"), ("report__region__code", "region"))


class InitiativeFilter(CatalogueFilterSet):
    """Filters of the initiative list."""

    text_fields = search.INITIATIVE_FIELDS
    theme = ThemeFilter(
        label=_("主题"),
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("全部"),
    )
    kind = df.ChoiceFilter(label=_("性质"), choices=Initiative._meta.get_field("kind").choices)
    o = sort_filter(("report__published", "published"), ("report__region__code", "region"))

    def _words(self, name, value) -> str:
        if name == "kind":
            return str(dict(self.filters["kind"].extra["choices"])[value])
        return super()._words(name, value)


class IndicatorFilter(CatalogueFilterSet):
    """Filters of the indicator list."""

    text_fields = search.INDICATOR_FIELDS
    unit = df.CharFilter(label=_("单位"), field_name="unit", lookup_expr="exact", max_length=20)
    qualifier = df.ChoiceFilter(label=_("限定"), choices=Indicator.Qualifier.choices)
    measure = MeasureFilter(
        label=_("度量"),
        queryset=Measure.objects.all(),
        to_field_name="slug",
        empty_label=_("全部"),
    )
    period_kind = df.ChoiceFilter(label=_("时期类型"), choices=PERIOD_KINDS)
    theme = ThemeFilter(
        label=_("主题"),
        field_name="initiative__themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("全部"),
    )
    value_min = ValueFilter(label=_("最小值"), field_name="value", lookup_expr="gte")
    value_max = ValueFilter(label=_("最大值"), field_name="value", lookup_expr="lte")
    o = sort_filter(
        ("report__published", "published"), ("value", "value"), ("report__region__code", "region")
    )


class CompareForm(forms.Form):
    """Which figures to compare: a measure (required) and an administrative level (optional)."""

    measure = forms.ModelChoiceField(
        label=_("度量"),
        queryset=Measure.objects.order_by("kind", "slug"),
        to_field_name="slug",
        empty_label=None,
    )
    level = forms.ChoiceField(
        label=_("行政级别"), choices=[("", _("数字最多的级别"))] + list(LEVELS), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].label_from_instance = measure_name  # English on /en/


class SearchForm(forms.Form):
    """The search box: text without NUL bytes, cut to MAX_QUERY characters."""

    q = forms.CharField(label=_("检索"), required=False)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY].strip()
