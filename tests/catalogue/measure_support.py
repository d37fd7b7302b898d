"""Short invented reports whose figures carry a measure and a period, created directly in the DB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from catalogue.models import Brand, Indicator, Initiative, Measure, Region, Report


@dataclass(frozen=True)
class Fig:
    """One figure of an invented report: its measure, words and value."""

    measure: str | None
    label: str
    figure: str
    value: Decimal | int
    unit: str
    qualifier: str = "exact"
    period_kind: str = "unstated"
    period: str = ""


def measured_report(
    make_report, *, code: str, published: date | None, figures: list[Fig], **fields
) -> Report:
    """A report in `code` whose body is one sentence per figure, each figure extracted on it."""
    sentences = [f"{f.period}{f.label}{f.figure}。" for f in figures]
    report = make_report(
        region=Region.objects.get(code=code),
        published=published,
        body="".join(sentences) or "无数字。",
        **fields,
    )
    measures = {m.slug: m for m in Measure.objects.all()}
    position = 0
    for n, (f, sentence) in enumerate(zip(figures, sentences, strict=True)):
        quote = sentence[len(f.period) : -1]
        start = position + len(f.period)
        Indicator.objects.create(
            report=report,
            key=f"q{n}",
            position=n,
            start=start,
            end=start + len(quote),
            label=f.label,
            value=f.value,
            unit=f.unit,
            qualifier=f.qualifier,
            figure=f.figure,
            quote=quote,
            period=f.period,
            period_kind=f.period_kind,
            measure=measures[f.measure] if f.measure else None,
        )
        position += len(sentence)
    return report


def branded_initiative(
    report: Report, title: str, *, brands: list[str] = (), kind: str = "concrete", **fields
) -> Initiative:
    """An initiative of `report` (spanning its whole body) naming the given brands."""
    n = report.initiatives.count()
    initiative = Initiative.objects.create(
        report=report,
        key=f"i{n}",
        position=n,
        start=0,
        end=len(report.body),
        title=title,
        text=title,
        kind=kind,
        **fields,
    )
    initiative.brands.set([Brand.objects.get_or_create(name=name)[0] for name in brands])
    return initiative


def hide(report) -> None:
    """Hide a report as the admin's action does: a save, which refreshes the measure summary."""
    report.hidden = True
    report.save(update_fields=["hidden", "updated_at"])


def reject(rows) -> None:
    """Reject extracted rows as the admin's action does: one save per row."""
    for row in rows:
        row.rejected = True
        row.save(update_fields=["rejected", "updated_at"])
