"""Reports: one published page each, its text, and the versions it had."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..public import refresh_public
from .reference import Region
from .search import search_index, search_vector_field

# Report fields whose bulk update changes which region counts a report.
_COUNTED_FIELDS = frozenset({"hidden", "region", "region_id"})


def bump_if_updated(updated: int) -> int:
    """`updated`, after moving the catalogue version if a bulk update changed rows."""
    if updated:
        from .. import state  # state imports the models

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
            return bump_if_updated(super().update(**kwargs))
        before = list(self.values_list("pk", "region_id"))
        updated = super().update(**kwargs)
        ids = [pk for pk, _region in before]
        if "hidden" in kwargs:
            refresh_public(ids)
        from ..measure_summary import touch_regions  # it imports these models

        touch_regions(regions=[region for _pk, region in before], reports=ids)
        return bump_if_updated(updated)

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
    # History is only read by object (id), newest first (history_date) and by editor
    # (history_user): the admin's history pages, curation's first version. The other
    # indexes simple_history would copy serve no query and cost ingest a write per row.
    history = HistoricalRecords(
        excluded_fields=["search_tokens", "search_vector", "minhash", "minhash_bands"],
        no_db_index=[
            "published",
            "source_path",
            "sha256",
            "review_status",
            "region",
            "duplicate_of",
        ],
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
