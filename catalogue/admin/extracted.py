"""Admin of extracted rows: programmes, initiatives and indicators, which staff correct or
reject; what they save becomes theirs (origin=staff) and survives re-ingest."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalogue.models import (
    Indicator,
    Initiative,
    Origin,
    Programme,
)

from . import curation
from .filters import (
    ReportProvinceFilter,
    ReportYearFilter,
)


class ExtractedAdmin(admin.ModelAdmin):
    """Programmes, initiatives, indicators: staff correct or reject; their rows stay theirs."""

    list_select_related = ["report__region"]
    autocomplete_fields = ["report"]
    ordering = ["-report__published", "-report_id", "position"]
    actions = ["reject", "restore"]
    readonly_fields = ["key", "origin", "start", "end", "source_text", "created_at", "updated_at"]
    provenance = (_("来源"), {"fields": ["key", "origin", "start", "end", "source_text"]})

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "report"] if obj is not None else fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # reject instead: a deleted row comes back on ingest
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.key.startswith(curation.STAFF_KEY_PREFIX):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("地区"), ordering="report__region__name")
    def region(self, obj):
        return obj.report.region.name if obj.report.region else "—"

    @admin.display(description=_("原文片段"))
    def source_text(self, obj):
        return obj.report.body[obj.start : obj.end] if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        curation.claim_extracted(obj, form.fields, m2m_changed=form.changed_data)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("驳回所选(重新导入不会恢复)"), permissions=["change"])
    def reject(self, request, queryset):
        self._set_rejected(request, queryset, True)

    @admin.action(description=_("撤销驳回"), permissions=["change"])
    def restore(self, request, queryset):
        self._set_rejected(request, queryset, False)

    def _set_rejected(self, request, queryset, rejected: bool):
        changed = 0
        for obj in queryset.filter(rejected=not rejected):
            obj.rejected, obj.origin = rejected, Origin.STAFF
            obj._history_user = request.user
            obj.save(update_fields=["rejected", "origin", "updated_at"])
            changed += 1
        self.message_user(request, _("已更新 %(n)d 条。") % {"n": changed}, messages.SUCCESS)


@admin.register(Programme)
class ProgrammeAdmin(ExtractedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "report", "region", "position", "origin", "rejected"]
    list_filter = [
        ReportProvinceFilter,
        "report__region__level",
        ReportYearFilter,
        "report__review_status",
        "origin",
        "rejected",
    ]
    search_fields = ["title", "summary", "report__title"]
    fieldsets = [
        (None, {"fields": ["report", "position", "title", "summary", "rejected"]}),
        ExtractedAdmin.provenance,
    ]

    def has_add_permission(self, request):
        return False  # programmes come from the report's headings


@admin.register(Initiative)
class InitiativeAdmin(ExtractedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "report", "programme", "theme_list", "origin", "rejected"]
    list_filter = [
        ReportProvinceFilter,
        "report__region__level",
        ReportYearFilter,
        "report__review_status",
        "themes",
        "origin",
        "rejected",
    ]
    search_fields = ["title", "text", "report__title"]
    list_select_related = ["report__region", "programme"]
    autocomplete_fields = ["report", "programme", "themes"]
    fieldsets = [
        (None, {"fields": ["report", "programme", "position", "title", "text", "themes"]}),
        (None, {"fields": ["rejected"]}),
        ExtractedAdmin.provenance,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("themes")

    def has_add_permission(self, request):
        return False  # initiatives come from the report's enumerations

    @admin.display(description=_("主题"))
    def theme_list(self, obj):
        return ", ".join(t.name for t in obj.themes.all())


@admin.register(Indicator)
class IndicatorAdmin(ExtractedAdmin, SimpleHistoryAdmin):
    form = curation.IndicatorForm
    list_display = [
        "label",
        "value_display",
        "unit",
        "qualifier",
        "figure",
        "measure",
        "period_kind",
        "period_year",
        "report",
        "region",
        "origin",
        "rejected",
    ]
    list_filter = [
        ReportProvinceFilter,
        "report__region__level",
        ReportYearFilter,
        "report__review_status",
        "measure",
        "period_kind",
        "unit",
        "qualifier",
        "origin",
        "rejected",
    ]
    list_select_related = ["report__region", "measure"]
    search_fields = ["label", "quote", "figure", "report__title"]
    autocomplete_fields = ["report", "programme", "initiative", "measure"]
    fieldsets = [
        (None, {"fields": ["report", "programme", "initiative"]}),
        (None, {"fields": ["label", "value", "unit", "qualifier", "figure", "quote"]}),
        (_("度量与时期"), {"fields": ["measure", "period", "period_kind", "period_year"]}),
        (None, {"fields": ["rejected"]}),
        ExtractedAdmin.provenance,
    ]

    @admin.display(description=_("数值"), ordering="value")
    def value_display(self, obj):
        return f"{obj.value.normalize():f}"

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # adding: provenance is set from the quote on save
            return self.fieldsets[:-1]
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        if not change:
            curation.prepare_staff_indicator(obj)
        super().save_model(request, obj, form, change)
