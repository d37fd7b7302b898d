"""Regions and the vocabularies figures and initiatives are filed under: themes, measures, brands."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    """Region lookups along the administrative tree."""

    def descendants_of(self, region: Region, *, include_self: bool = False) -> RegionQuerySet:
        """Every region below `region` (the tree is at most three levels deep)."""
        below = Q(parent=region) | Q(parent__parent=region)
        return self.filter(below | Q(pk=region.pk) if include_self else below)

    def ancestors_of(self, region: Region) -> RegionQuerySet:
        """The regions above `region`, province first."""
        codes = [r.code for r in region.ancestors()]
        return self.filter(code__in=codes).order_by("code")

    def with_reports(self) -> RegionQuerySet:
        """Regions that have at least one public report of their own."""
        return self.filter(reports__hidden=False).distinct()


class Region(models.Model):
    """An administrative division (GB/T 2260): province, prefecture or county level."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(
        _("代码"),
        max_length=6,
        primary_key=True,
        validators=[RegexValidator(r"^\d{6}$", _("六位数字行政区划代码"))],
    )
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^\d{6}$"), name="region_code_six_digits"
            ),
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | ~Q(level="province"),
                name="region_province_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def ancestors(self) -> list[Region]:
        """The chain of parents, province first (uses already-loaded parents when present)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def path(self) -> list[str]:
        """Names from the province down to this region."""
        return [r.name for r in self.ancestors()] + [self.name]


class Theme(models.Model):
    """A topic of the curated taxonomy (fixtures/themes.json) assigned to initiatives."""

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    keywords = ArrayField(
        models.CharField(max_length=40), verbose_name=_("关键词"), default=list, blank=True
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("主题")
        verbose_name_plural = _("主题")

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """What a figure measures (fixtures/measures.json): figures of one measure compare."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("工作开展")
        REACH = "reach", _("覆盖人群")
        RESOURCE = "resource", _("投入资源")
        RECOGNITION = "recognition", _("命名表彰")
        OUTCOME = "outcome", _("成效")
        CONTEXT = "context", _("地区概况")

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, db_index=True)
    units = ArrayField(
        models.CharField(max_length=20), verbose_name=_("单位"), default=list, blank=True
    )
    keywords = ArrayField(
        models.CharField(max_length=40), verbose_name=_("关键词"), default=list, blank=True
    )

    class Meta:
        ordering = ["kind", "slug"]
        verbose_name = _("度量")
        verbose_name_plural = _("度量")

    def __str__(self) -> str:
        return self.name


class Brand(models.Model):
    """A quoted brand name of initiatives (“红石榴驿站”), shared across regions."""

    name = models.CharField(_("名称"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("品牌")
        verbose_name_plural = _("品牌")

    def __str__(self) -> str:
        return self.name
