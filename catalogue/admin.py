"""Django admin: the staff tool for reviewing and correcting extractions."""

from django.contrib import admin

from .models import Indicator, Initiative, Programme, Region, Report, Theme


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "name_en"]
    search_fields = ["slug", "name", "name_en"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "published", "review_status", "hidden"]
    list_filter = ["review_status", "hidden", "region__level"]
    search_fields = ["title", "region__name", "sources"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    readonly_fields = [
        "source_file",
        "sha256",
        "parser_version",
        "created_at",
        "updated_at",
        "text",
        "body",
    ]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "report", "position", "origin", "rejected"]
    list_filter = ["origin", "rejected"]
    search_fields = ["title"]
    list_select_related = ["report"]
    autocomplete_fields = ["report"]
    readonly_fields = ["key", "start", "end"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "report", "programme", "origin", "rejected"]
    list_filter = ["origin", "rejected", "themes"]
    search_fields = ["title", "text"]
    list_select_related = ["report", "programme"]
    autocomplete_fields = ["report", "programme"]
    readonly_fields = ["key", "start", "end"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "unit", "qualifier", "figure", "report", "origin", "rejected"]
    list_filter = ["unit", "qualifier", "origin", "rejected"]
    search_fields = ["label", "quote"]
    list_select_related = ["report"]
    autocomplete_fields = ["report", "programme", "initiative"]
    readonly_fields = ["key", "start", "end"]
