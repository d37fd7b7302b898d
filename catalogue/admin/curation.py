"""What a staff save means: the row becomes staff-owned, its search tokens follow its text.

Ingest (ingest/load.py) never overwrites a programme, initiative or indicator whose
origin is staff, nor a report field named in `Report.staff_fields`. Changes are found
by comparing with the stored row, not with the form's initial values, so a revert from
history counts as a staff change too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import pairwise

from django import forms
from django.db import models
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from catalogue.indexing import refresh_search_tokens
from catalogue.models import Indicator, Origin, Report
from ingest.types import PeriodKind

# Report fields ingest sets that staff may correct; "region" is the name the loader skips.
REPORT_MACHINE_FIELDS = ("region", "title", "published", "sources", "url", "summary")
STAFF_KEY_PREFIX = "staff:"


def changed_fields(obj: models.Model, names) -> list[str]:
    """Which of the concrete fields `names` differ between `obj` and its stored row."""
    fields = [obj._meta.get_field(name) for name in names]
    fields = [f for f in fields if f.concrete and not f.many_to_many]
    if obj.pk is None:
        return [f.name for f in fields]
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*(f.attname for f in fields))
    stored = stored.first() or {}
    return [f.name for f in fields if stored.get(f.attname) != getattr(obj, f.attname)]


def keep_machine_version(obj) -> None:
    """Before the first staff change of a row ingest inserted in bulk (which records no
    history), store its machine values as its first version, so the change can be reverted."""
    model = type(obj)
    if obj.pk is None or not hasattr(model, "history") or obj.history.exists():
        return
    stored = model._default_manager.filter(pk=obj.pk).first()
    if stored is not None:
        stored._history_user = None  # the machine's version, not the editor's
        model.history.bulk_history_create(
            [stored], default_change_reason=str(_("机器抽取")), default_date=stored.created_at
        )


def claim_extracted(obj, fields, *, m2m_changed=()) -> bool:
    """Mark a programme, initiative or indicator staff-owned if staff changed it; refresh tokens.

    `fields` are the form's field names; `m2m_changed` the many-to-many ones it changed.
    """
    keep_machine_version(obj)
    concrete = {f.name for f in obj._meta.concrete_fields}
    changed = changed_fields(obj, [name for name in fields if name in concrete])
    changed += [name for name in m2m_changed if name not in concrete]
    if obj.pk is None or changed:
        obj.origin = Origin.STAFF
    elif (stored := type(obj)._default_manager.filter(pk=obj.pk).first()) is not None:
        obj.origin = stored.origin  # a no-op revert does not hand the row back to the machine
    refresh_search_tokens(obj)
    return bool(changed)


def claim_report_fields(report: Report, form: forms.ModelForm) -> list[str]:
    """Add the machine fields staff changed to `staff_fields`; returns those names."""
    changed = changed_fields(report, [f for f in REPORT_MACHINE_FIELDS if f in form.fields])
    stored = Report.objects.filter(pk=report.pk).values_list("staff_fields", flat=True).first()
    owned = set(stored or []) | set(changed)
    if "region" in changed:
        report.region_reason = str(_("工作人员校正"))
        owned.add("region_reason")
    if "title" in changed:  # a title staff set is stated, not generated
        report.title_derived = False
        owned.add("title_derived")
    if {"title", "summary"} & set(changed):
        refresh_search_tokens(report)
        owned.add("search_tokens")  # tokens of a staff title must survive re-ingest too
    report.staff_fields = sorted(owned)
    return changed


def locate(body: str, quote: str) -> tuple[int, int] | None:
    """The span of `quote` in `body`, trying it as typed and then without outer whitespace."""
    for candidate in (quote, quote.strip()):
        if candidate and (start := body.find(candidate)) >= 0:
            return start, start + len(candidate)
    return None


class IndicatorForm(forms.ModelForm):
    """An indicator as staff enter it: the quote must be found in the report's text."""

    class Meta:
        model = Indicator
        fields = [
            "report",
            "programme",
            "initiative",
            "label",
            "value",
            "unit",
            "qualifier",
            "figure",
            "period",
            "period_kind",
            "period_year",
            "measure",
            "quote",
            "rejected",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "figure" in self.fields:
            self.fields["figure"].required = False
            self.fields["figure"].help_text = _("留空则由数值和单位生成。")
        if "quote" in self.fields:
            self.fields["quote"].help_text = _("从报告正文中原样复制含该数字的句子。")
        if "period_kind" in self.fields:
            self.fields["period_kind"].required = False  # unstated unless staff say otherwise

    def clean(self):
        data = super().clean()
        report = data.get("report") or (self.instance.report if self.instance.report_id else None)
        quote = data.get("quote")
        if report is not None and quote and (not self.instance.pk or "quote" in self.changed_data):
            span = locate(report.body, quote)
            if span is None:
                self.add_error("quote", _("在该报告的正文中找不到这段原文,请从正文中原样复制。"))
            else:
                self.instance.start, self.instance.end = span
        for name in ("programme", "initiative"):
            parent = data.get(name)
            if parent is not None and report is not None and parent.report_id != report.pk:
                self.add_error(name, _("必须属于同一篇报告。"))
        if "period_kind" in self.fields and not data.get("period_kind"):
            data["period_kind"] = PeriodKind.UNSTATED
        if not data.get("figure") and data.get("value") is not None:
            data["figure"] = f"{data['value'].normalize():f}{data.get('unit', '')}"[:60]
        return data


def prepare_staff_indicator(indicator: Indicator) -> None:
    """A hand-added indicator: a key ingest will never produce, placed by its source position."""
    indicator.key = f"{STAFF_KEY_PREFIX}{uuid.uuid4()}"
    indicator.origin = Origin.STAFF
    indicator.position = Indicator.objects.filter(
        report=indicator.report_id, start__lt=indicator.start
    ).count()


@dataclass(frozen=True)
class Span:
    """An extracted row's source span in Report.body."""

    start: int
    end: int
    kind: str  # "programme" | "initiative" | "indicator"
    label: str
    rejected: bool


DEPTH = {"programme": 0, "initiative": 1, "indicator": 2}


def report_spans(report: Report) -> list[Span]:
    """The spans of every programme, initiative and indicator of a report (three queries)."""
    spans = []
    for kind, rows, label in (
        ("programme", report.programmes.all(), "title"),
        ("initiative", report.initiatives.all(), "title"),
        ("indicator", report.indicators.all(), "label"),
    ):
        for start, end, text, rejected in rows.values_list("start", "end", label, "rejected"):
            spans.append(Span(start, end, kind, text, rejected))
    return spans


def marked_body(body: str, spans: list[Span]) -> SafeString:
    """The body as escaped HTML, each stretch inside spans in <mark>, classed by its kinds."""
    cuts = sorted(
        {0, len(body), *(min(max(p, 0), len(body)) for s in spans for p in (s.start, s.end))}
    )
    parts = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s.start <= a and b <= s.end]
        if not covering:
            parts.append(escape(body[a:b]))
            continue
        inner = max(covering, key=lambda s: (DEPTH[s.kind], s.start))
        classes = " ".join(sorted({f"span-{s.kind}" for s in covering}))
        if inner.rejected:
            classes += " span-rejected"
        title = f"{inner.label}" + (f" ({_('已驳回')})" if inner.rejected else "")
        parts.append(
            format_html(
                '<mark class="{}" data-kind="{}" title="{}">{}</mark>',
                classes,
                inner.kind,
                title,
                body[a:b],
            )
        )
    return mark_safe("".join(parts))  # every piece above is escaped
