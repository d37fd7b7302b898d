"""Region -> Report -> Programme / Initiative / Indicator, and the Theme taxonomy.

Extracted rows (programmes, initiatives, indicators) keep the character span of
their source in `Report.body`, a natural `key` that ingest matches on, and whether
their current values come from the machine or from staff.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ingest.types import InitiativeKind, PeriodKind

from .public import refresh_public

# Search: jieba tokens (ingest.segment.search_tokens) stored space-joined in
# `search_tokens`; PostgreSQL keeps `search_vector` = to_tsvector('simple', …) of
# them as a stored generated column with a GIN index, so matching and ranking read
# a stored vector instead of parsing the tokens of every candidate row.


def search_vector_field() -> models.GeneratedField:
    """The stored tsvector of a table's `search_tokens`."""
    return models.GeneratedField(
        expression=SearchVector("search_tokens", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def search_index(prefix: str) -> GinIndex:
    """The GIN index over a table's search vector."""
    return GinIndex(fields=["search_vector"], name=f"{prefix}_search_vector")


def public_search_index(prefix: str) -> GinIndex:
    """The GIN index over the search vectors of public rows only: search never reads the others."""
    return GinIndex(
        fields=["search_vector"], name=f"{prefix}_search_public", condition=Q(public=True)
    )


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


# Report fields whose bulk update changes which region counts a report.
_COUNTED_FIELDS = frozenset({"hidden", "region", "region_id"})


def _bumped(updated: int) -> int:
    """`updated`, after moving the catalogue version if a bulk update changed rows."""
    if updated:
        from . import state  # state imports the models

        state.bump_on_save()
    return updated


class ReportQuerySet(models.QuerySet):
    """Report lookups for public pages and review."""

    def published(self) -> ReportQuerySet:
        """Reports the public site shows (not hidden by staff)."""
        return self.filter(hidden=False)

    def update(self, **kwargs) -> int:
        """A bulk update; one that sets `hidden` refreshes the `public` flag of the reports' rows,
        and one that sets `hidden` or the region recounts the regions (catalogue.region_counts).

        It moves the catalogue version as a save does (it sends no signal), so pages and
        figures cached under the version are not served from before it.
        """
        if not _COUNTED_FIELDS.intersection(kwargs):
            return _bumped(super().update(**kwargs))
        before = list(self.values_list("pk", "region_id"))
        updated = super().update(**kwargs)
        ids = [pk for pk, _region in before]
        if "hidden" in kwargs:
            refresh_public(ids)
        from .measure_summary import touch_regions  # it imports these models

        touch_regions(regions=[region for _pk, region in before], reports=ids)
        return _bumped(updated)

    def in_region(self, region: Region) -> ReportQuerySet:
        """Reports about `region` or any region below it."""
        return self.filter(
            Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)
        )


class Report(models.Model):
    """One published report page, identified by the SHA-256 of its cleaned text."""

    class Review(models.TextChoices):
        NEEDS_REVIEW = "needs_review", _("待审核")
        REVIEWED = "reviewed", _("已审核")

    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("为空表示无法确定报告所属地区,需人工审核。"),
    )
    region_reason = models.CharField(_("地区判断依据"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    title_derived = models.BooleanField(_("标题为推断"), default=False)
    published = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    sources = ArrayField(
        models.CharField(max_length=200), verbose_name=_("来源"), default=list, blank=True
    )
    url = models.URLField(_("原文链接"), max_length=1000, blank=True)
    source_file = models.CharField(_("来源文件"), max_length=500)
    source_path = models.CharField(
        _("来源路径"),
        max_length=1000,
        blank=True,
        db_index=True,
        help_text=_("导入时文件的完整路径;同一路径的新文本更新这篇报告。"),
    )
    sha256 = models.CharField(_("正文SHA-256"), max_length=64, unique=True)
    summary = models.TextField(_("导语与结语"), blank=True)
    parser_version = models.CharField(_("解析器版本"), max_length=20)
    flags = ArrayField(
        models.CharField(max_length=40), verbose_name=_("待核标记"), default=list, blank=True
    )
    review_status = models.CharField(
        _("审核状态"),
        max_length=12,
        choices=Review.choices,
        default=Review.NEEDS_REVIEW,
        db_index=True,
    )
    hidden = models.BooleanField(_("不公开"), default=False)
    staff_fields = ArrayField(
        models.CharField(max_length=40),
        verbose_name=_("人工校正的字段"),
        default=list,
        blank=True,
        help_text=_("这些字段由工作人员校正,重新导入不会覆盖。"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("同文的公开报告"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reprints",
        help_text=_("同一文章在其他网站的转载归为一组:只公开一篇,其余不公开但保留。"),
    )
    # MinHash of the body's shingles (ingest.minhash) and its LSH band hashes, which a
    # GIN index lets ingest look up near-duplicates by instead of comparing every report.
    minhash = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    minhash_bands = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    search_tokens = models.TextField(_("检索分词"), blank=True, editable=False)
    search_vector = search_vector_field()
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["search_tokens", "search_vector", "minhash", "minhash_bands"]
    )

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        indexes = [
            search_index("report"),
            # Ingest looks near duplicates up right after inserting each report: a
            # pending list (fastupdate) would be scanned whole by every look-up.
            GinIndex(fields=["minhash_bands"], name="report_minhash_bands", fastupdate=False),
            # Ingest finds an edited version of a report by its original URL.
            models.Index(fields=["url"], name="report_url"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="report_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Save the report row, then its text row when text or body changed, then the
        `public` flag of its rows when `hidden` may have changed."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = [f for f in update_fields if f not in _CONTENT_FIELDS]
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding and (update_fields is None or "hidden" in update_fields):
            refresh_public([self.pk])
        if getattr(self, "_content_changed", False):
            content = self._content()
            content.report = self
            content.save(force_insert=content._state.adding)  # one INSERT, not UPDATE then INSERT
            self._content_changed = False

    # The text and body live in ReportText, so list queries never read them; these
    # properties keep `report.text` / `report.body` (and Report(text=…, body=…)) working,
    # and save() writes a changed text row after the report row.
    def _content(self) -> ReportText:
        try:
            return self.content
        except ReportText.DoesNotExist:
            self.content = ReportText(report=self) if self.pk else ReportText()
            return self.content

    def _set_content(self, name: str, value: str) -> None:
        content = self._content()
        if getattr(content, name) != value or content.pk is None:
            setattr(content, name, value)
            self._content_changed = True

    @property
    def text(self) -> str:
        """The raw text of the report file (read from ReportText)."""
        return self._content().text

    @text.setter
    def text(self, value: str) -> None:
        self._set_content("text", value)

    @property
    def body(self) -> str:
        """The cleaned body that extracted rows point into (read from ReportText)."""
        return self._content().body

    @body.setter
    def body(self, value: str) -> None:
        self._set_content("body", value)

    def other_sources(self) -> list[dict]:
        """Sources and links of the reprints grouped under this report, oldest first."""
        return list(self.reprints.order_by("pk").values("sources", "url", "source_file"))


_CONTENT_FIELDS = frozenset({"text", "body"})


class ReportText(models.Model):
    """A report's raw text and cleaned body, one-to-one, kept out of the hot report row."""

    report = models.OneToOneField(
        Report,
        verbose_name=_("报告"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="content",
    )
    text = models.TextField(_("原始文本"))
    body = models.TextField(_("正文"))

    class Meta:
        verbose_name = _("报告正文")
        verbose_name_plural = _("报告正文")

    def __str__(self) -> str:
        return str(self.report_id)


class ReportVersion(models.Model):
    """A text a report had before an edited version of the same file or URL replaced it."""

    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="versions"
    )
    sha256 = models.CharField(_("正文SHA-256"), max_length=64, db_index=True)
    text = models.TextField(_("原始文本"))
    source_file = models.CharField(_("来源文件"), max_length=500)
    source_path = models.CharField(_("来源路径"), max_length=1000, blank=True)
    url = models.URLField(_("原文链接"), max_length=1000, blank=True)
    parser_version = models.CharField(_("解析器版本"), max_length=20)
    replaced_at = models.DateTimeField(_("被替换时间"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-replaced_at", "-id"]
        verbose_name = _("报告旧版本")
        verbose_name_plural = _("报告旧版本")

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.sha256[:12]}"


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
            return _bumped(super().update(**kwargs))
        reports = list(self.values_list("report_id", flat=True).distinct())
        updated = super().update(**kwargs)
        refresh_public(reports)
        return _bumped(updated)

    def staff_owned(self) -> ExtractedQuerySet:
        """Rows whose values staff set; ingest never overwrites them."""
        return self.filter(origin=Origin.STAFF)


# Fields of an extracted row whose change can change its own or its children's flag.
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

    history = HistoricalRecords(excluded_fields=["search_tokens", "search_vector", "public"])

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
        excluded_fields=["search_tokens", "search_vector", "public"], m2m_fields=[themes]
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

    history = HistoricalRecords(excluded_fields=["search_tokens", "search_vector", "public"])

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
