"""Django admin: the staff tool for reviewing and correcting extractions.

Whatever staff save here is theirs: extracted rows become origin=staff, corrected
report fields are listed in `Report.staff_fields`, and ingest keeps both (see
catalogue/admin/curation.py). Wrong extractions are rejected, not deleted, so a
re-ingest cannot bring them back. Every save is recorded by django-simple-history.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import (
    Indicator,
    Initiative,
    Measure,
    Programme,
    Region,
    Report,
    ReportVersion,
    Theme,
)

from . import curation, extracted  # noqa: F401 - extracted registers the extracted rows' admins
from .actions import reextract
from .filters import (
    FlagFilter,
    ProvinceFilter,
    ReprintFilter,
    YearFilter,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "name_en"]
    search_fields = ["slug", "name", "name_en"]
    ordering = ["slug"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    """The measure taxonomy: ingest adds fixture measures that are missing, never edits these."""

    list_display = ["slug", "name", "name_en", "kind", "unit_list"]
    list_filter = ["kind"]
    search_fields = ["slug", "name", "name_en"]
    ordering = ["kind", "slug"]
    fields = ["slug", "name", "name_en", "kind", "units", "keywords"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []  # links and exports name measures by slug

    @admin.display(description=_("单位"))
    def unit_list(self, obj):
        return "、".join(obj.units)


class ExtractedInline(admin.TabularInline):
    """Rows of a report, edited beside its text; adding by hand is on the row's own page."""

    extra = 0
    can_delete = False
    show_change_link = True
    readonly_fields = ["origin", "span"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("原文位置"))
    def span(self, obj):
        return f"{obj.start}–{obj.end}"


class ProgrammeInline(ExtractedInline):
    model = Programme
    fields = ["position", "title", "rejected", "origin", "span"]
    readonly_fields = ["position", *ExtractedInline.readonly_fields]


class InitiativeInline(ExtractedInline):
    model = Initiative
    fields = ["position", "title", "rejected", "origin", "span"]
    readonly_fields = ["position", *ExtractedInline.readonly_fields]


class IndicatorInline(ExtractedInline):
    model = Indicator
    fields = ["label", "value", "unit", "qualifier", "figure", "rejected", "origin", "span"]


class ReadOnlyInline(admin.TabularInline):
    """Rows ingest writes and staff only look at here."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReprintInline(ReadOnlyInline):
    """The other copies of this article, hidden from the public site but kept."""

    model = Report
    fk_name = "duplicate_of"
    fields = ["title", "published", "sources", "url", "source_file", "hidden"]
    readonly_fields = fields
    verbose_name = _("同文转载")
    verbose_name_plural = _("同文转载(不公开,列为其他来源)")

    def get_queryset(self, request):
        return super().get_queryset(request).only(*self.fields, "duplicate_of")


class VersionInline(ReadOnlyInline):
    """Texts this report had before an edited version of its file or URL replaced them."""

    model = ReportVersion
    fields = ["replaced_at", "sha256", "source_file", "url", "parser_version"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    """Earlier texts of reports, kept for reference; ingest writes them, nobody edits them."""

    list_display = ["report", "replaced_at", "source_file", "parser_version"]
    list_select_related = ["report"]
    search_fields = ["report__title", "source_file", "sha256"]
    readonly_fields = [f.name for f in ReportVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "region",
        "published",
        "review_status",
        "hidden",
        "flag_list",
        "parser_version",
    ]
    list_filter = [
        ProvinceFilter,
        "region__level",
        YearFilter,
        "review_status",
        FlagFilter,
        "hidden",
        ReprintFilter,
    ]
    search_fields = ["title", "region__name", "region__short_name", "summary", "source_file"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["-published", "-id"]
    actions = ["mark_reviewed", "hide", "unhide", reextract]
    inlines = [ProgrammeInline, InitiativeInline, IndicatorInline, ReprintInline, VersionInline]
    fieldsets = [
        (None, {"fields": ["title", "region", "published", "sources", "url", "summary"]}),
        (_("审核"), {"fields": ["review_status", "hidden", "flags", "staff_fields"]}),
        (
            _("来源"),
            {
                "fields": [
                    "source_file",
                    "source_path",
                    "sha256",
                    "duplicate_of",
                    "parser_version",
                    "region_reason",
                    "title_derived",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (_("正文(抽取内容已标注)"), {"fields": ["marked_body"]}),
    ]
    readonly_fields = [
        "flags",
        "staff_fields",
        "source_file",
        "source_path",
        "sha256",
        "duplicate_of",
        "parser_version",
        "region_reason",
        "title_derived",
        "created_at",
        "updated_at",
        "marked_body",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_tokens", "search_vector")

    def has_add_permission(self, request):
        return False  # reports come from files: manage.py ingest

    @admin.display(description=_("待核标记"))
    def flag_list(self, obj):
        return ", ".join(obj.flags)

    @admin.display(description=_("正文"))
    def marked_body(self, obj):
        if obj is None or not obj.pk:
            return "—"
        marked = curation.marked_body(obj.body, curation.report_spans(obj))
        return format_html('<div class="marked-body">{}</div>', marked)

    def save_model(self, request, obj, form, change):
        if change:
            curation.claim_report_fields(obj, form)
            if "hidden" in form.changed_data:
                obj.staff_fields = sorted({*obj.staff_fields, "hidden"})
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        fields = list(formset.form.base_fields)
        for obj in formset.save(commit=False):
            curation.claim_extracted(obj, fields)
            obj.save()
        formset.save_m2m()

    @admin.action(description=_("标记为已审核"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        self._set(request, queryset, review_status=Report.Review.REVIEWED)

    @admin.action(description=_("不在公开网站显示"), permissions=["change"])
    def hide(self, request, queryset):
        self._set(request, queryset, hidden=True)

    @admin.action(description=_("在公开网站显示"), permissions=["change"])
    def unhide(self, request, queryset):
        self._set(request, queryset, hidden=False)

    def _set(self, request, queryset, **values):
        """Save each report (not a bulk update) so history records who changed it."""
        changed = 0
        for report in queryset.defer("search_tokens", "search_vector"):
            if any(getattr(report, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(report, name, value)
                # Staff chose whether it is public: grouping of reprints leaves it so.
                update = [*values, "updated_at"]
                if "hidden" in values:
                    report.staff_fields = sorted({*report.staff_fields, "hidden"})
                    update.append("staff_fields")
                report._history_user = request.user
                report.save(update_fields=update)
                changed += 1
        self.message_user(request, _("已更新 %(n)d 篇报告。") % {"n": changed}, messages.SUCCESS)
