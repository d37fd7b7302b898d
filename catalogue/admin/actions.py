"""Report actions that run the parser again."""

from __future__ import annotations

from collections import Counter

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ingest.load import load_report
from ingest.parse import PARSER_VERSION, parse_report
from ingest.types import ReadError


@admin.action(description=_("用当前解析器重新抽取(保留人工校正)"), permissions=["change"])
def reextract(modeladmin, request, queryset):
    """Parse each report's stored text again and load it with force; staff-owned rows stay."""
    outcome = Counter()
    reports = queryset.select_related(None).select_related("content")
    for report in reports.only("pk", "sha256", "source_file", "content__text"):
        try:
            parsed = parse_report(report.text.encode("utf-8"))
        except ReadError as exc:
            modeladmin.message_user(request, f"{report.pk}: {exc}", messages.ERROR)
            outcome["failed"] += 1
            continue
        if parsed.sha256 != report.sha256:
            # Re-reading changed the text, so ingest would file it as another report.
            modeladmin.message_user(
                request,
                _("报告 %(id)s:重新读取后的文本与原文不同,未重新抽取。") % {"id": report.pk},
                messages.ERROR,
            )
            outcome["failed"] += 1
            continue
        result = load_report(
            parsed, source_file=report.source_file, parser_version=PARSER_VERSION, force=True
        )
        outcome[result.status] += 1
    modeladmin.message_user(
        request,
        _("重新抽取:%(updated)d 篇有更新,%(unchanged)d 篇无变化,%(failed)d 篇失败。")
        % {
            "updated": outcome["updated"],
            "unchanged": outcome["unchanged"],
            "failed": outcome["failed"],
        },
        messages.SUCCESS if not outcome["failed"] else messages.WARNING,
    )
