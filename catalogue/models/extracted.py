"""What ingest extracts from a report: programmes, initiatives and indicators.

Each keeps the character span of its source in `Report.body`, a natural `key`
that ingest matches on, and whether its current values come from the machine
or from staff.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ingest.types import InitiativeKind, PeriodKind

from ..public import refresh_public
from .reference import Brand, Measure, Theme
from .reports import Report, bump_if_updated
from .search import public_search_index, search_vector_field


class Origin(models.TextChoices):
    """Who set a row's current values."""

    MACHINE = "machine", _("机器抽取")
    STAFF = "staff", _("人工校正")


class ExtractedQuerySet(models.QuerySet):
    """Lookups shared by programmes, initiatives and indicators."""

    def public(self) -> ExtractedQuerySet:
        """Rows the public site may show: not rejected by staff, under no rejected programme or
        initiative, in a report that is not hidden (the `public` flag catalogue.public keeps)."""
        return self.filter(public=True)

    def update(self, **kwargs) -> int:
        """A bulk update; one that sets `rejected` or a parent refreshes the `public` flags.
        Like a save, it moves the catalogue version."""
        if not _PUBLIC_INPUTS.intersection(kwargs):
            return bump_if_updated(super().update(**kwargs))
        reports = list(self.values_list("report_id", flat=True).distinct())
        updated = super().update(**kwargs)
        refresh_public(reports)
        return bump_if_updated(updated)

    def staff_owned(self) -> ExtractedQuerySet:
        """Rows whose values staff set; ingest never overwrites them."""
        return self.filter(origin=Origin.STAFF)


# Fields of an extracted row whose change can change its own or its children's flag.
# Columns history does not copy. Its tables are read by object (id), newest first
# (history_date) and by editor (history_user) only, so each model's history also drops
# the indexes of its other fields (no_db_index): they served no query and cost every
# ingested row a write per index.
HISTORY_EXCLUDED = ["search_tokens", "search_vector", "public"]
_PUBLIC_INPUTS = frozenset({"rejected", "programme", "programme_id", "initiative", "initiative_id"})


class Extracted(models.Model):
    """What every extracted row shares: its report, natural key, source span and origin."""

    # No index of its own: the unique (report, key) index serves lookups by report.
    report = models.ForeignKey(
        Report,
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        db_index=False,
    )
    key = models.CharField(
        _("自然键"), max_length=80, help_text=_("抽取时的自然键;重新导入按此匹配。")
    )
    position = models.PositiveIntegerField(_("顺序"), default=0)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    # Indexed only where staff (the rare value) set it: see `extracted_indexes`.
    origin = models.CharField(
        _("来源"), max_length=8, choices=Origin.choices, default=Origin.MACHINE
    )
    rejected = models.BooleanField(
        _("已驳回"), default=False, help_text=_("驳回的抽取不公开,重新导入也不会恢复。")
    )
    # Equal to: not rejected, report not hidden, no rejected programme or initiative above
    # (kept by catalogue.public.refresh_public), so search and lists need no join to reports.
    public = models.BooleanField(_("公开"), default=True, db_default=True, editable=False)
    search_tokens = models.TextField(_("检索分词"), blank=True, editable=False)
    search_vector = search_vector_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExtractedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["report", "position"]

    def save(self, *args, **kwargs) -> None:
        """Save the row, then refresh the `public` flag of its report's rows when `rejected` or
        a parent may have changed (a rejected programme hides what stands under it)."""
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or _PUBLIC_INPUTS.intersection(update_fields):
            refresh_public([self.report_id])

    @classmethod
    def extracted_indexes(cls, prefix: str) -> list[models.Index]:
        """Indexes every extracted table carries: its search vector and its staff-owned rows."""
        return [
            public_search_index(prefix),
            models.Index(
                fields=["report"], name=f"{prefix}_staff_rows", condition=Q(origin=Origin.STAFF)
            ),
        ]

    @classmethod
    def span_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        """Constraints every extracted table carries."""
        return [
            models.UniqueConstraint(fields=["report", "key"], name=f"{prefix}_unique_key"),
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")), name=f"{prefix}_span_ordered"
            ),
        ]


class Programme(Extracted):
    """A programme of work: a heading of the report and what stands under it."""

    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("概述"), blank=True)

    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED, no_db_index=["report"])

    class Meta(Extracted.Meta):
        verbose_name = _("工作项目")
        verbose_name_plural = _("工作项目")
        constraints = Extracted.span_constraints("programme")
        indexes = Extracted.extracted_indexes("programme")

    def __str__(self) -> str:
        return self.title


class Initiative(Extracted):
    """A concrete measure under a programme (一是…二是…)."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("工作项目"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("内容"))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("主题"), blank=True, related_name="initiatives"
    )
    kind = models.CharField(
        _("性质"),
        max_length=10,
        choices=[(InitiativeKind.CONCRETE, _("具体举措")), (InitiativeKind.SLOGAN, _("原则口号"))],
        default=InitiativeKind.CONCRETE,
    )
    brands = models.ManyToManyField(
        Brand, verbose_name=_("品牌"), blank=True, related_name="initiatives"
    )

    history = HistoricalRecords(
        excluded_fields=HISTORY_EXCLUDED,
        no_db_index=["report", "programme"],
        m2m_fields=[themes],
    )

    class Meta(Extracted.Meta):
        verbose_name = _("举措")
        verbose_name_plural = _("举措")
        constraints = Extracted.span_constraints("initiative")
        indexes = [
            *Extracted.extracted_indexes("initiative"),
            models.Index(fields=["kind"], name="initiative_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(Extracted):
    """A figure: what is measured, its value in base units, and the quote it came from."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("确数")
        MORE_THAN = "more_than", _("超过")
        AT_LEAST = "at_least", _("不少于")
        APPROX = "approx", _("约")
        LESS_THAN = "less_than", _("不到")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("工作项目"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("举措"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    label = models.CharField(_("指标"), max_length=120)
    value = models.DecimalField(_("数值"), max_digits=24, decimal_places=6, db_index=True)
    unit = models.CharField(_("单位"), max_length=20)
    qualifier = models.CharField(
        _("限定"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    figure = models.CharField(_("原文数字"), max_length=60)
    quote = models.TextField(_("原文"))
    period = models.CharField(_("时期"), max_length=40, blank=True)
    period_kind = models.CharField(
        _("时期类型"),
        max_length=10,
        choices=[
            (PeriodKind.POINT, _("截至某时")),
            (PeriodKind.YEAR, _("全年")),
            (PeriodKind.HALF_YEAR, _("半年")),
            (PeriodKind.PER_YEAR, _("每年")),
            (PeriodKind.UNSTATED, _("未说明")),
        ],
        default=PeriodKind.UNSTATED,
    )
    period_year = models.PositiveSmallIntegerField(_("时期年份"), null=True, blank=True)
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("度量"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("为空表示没有合适的度量;不做猜测。"),
    )

    history = HistoricalRecords(
        excluded_fields=HISTORY_EXCLUDED,
        no_db_index=["report", "programme", "initiative", "measure", "value"],
    )

    class Meta(Extracted.Meta):
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [
            *Extracted.span_constraints("indicator"),
            models.CheckConstraint(
                condition=Q(
                    qualifier__in=["exact", "more_than", "at_least", "approx", "less_than"]
                ),
                name="indicator_qualifier_known",
            ),
        ]
        # Unit lookups use (unit, value). Qualifier and period kind have five values
        # each and are not indexed; plain btrees (no text-pattern copies) elsewhere.
        indexes = [
            *Extracted.extracted_indexes("indicator"),
            models.Index(fields=["unit", "value"], name="indicator_unit_value"),
            models.Index(fields=["label"], name="indicator_label"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.figure}"
