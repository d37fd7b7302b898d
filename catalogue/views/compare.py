"""Compare by measure (/compare/?measure=…) and the list of measures (/measures/)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import chart, export, filters
from ..numbers import readable_figure
from ..selectors import compare as selectors
from ..templatetags.catalogue import region_name


@require_safe
def compare(request):
    """One measure across the regions of one level: a ranked chart per period kind."""
    if "unit" in request.GET and "measure" not in request.GET:
        return redirect("catalogue:measure_list")  # figures are compared by measure, not unit
    form = filters.CompareForm(request.GET or None)
    if not form.is_bound:
        return render(request, "catalogue/compare.html", {"form": form})
    if not form.is_valid():
        if request.GET.get("format") in export.FORMATS:
            return HttpResponseBadRequest(form.errors.as_text())
        return render(request, "catalogue/compare.html", {"form": form}, status=400)
    comparison = selectors.measure_compare(
        measure=form.cleaned_data["measure"], level=form.cleaned_data["level"]
    )
    fmt = request.GET.get("format")
    if fmt in export.FORMATS:
        queryset = selectors.compare_export(comparison=comparison)
        filename = f"compare-{comparison.measure.slug}-{comparison.level}"
        return export.export_response(queryset, "compare", fmt, filename=filename)
    sections = [_section(comparison, group) for group in comparison.groups]
    return render(
        request,
        "catalogue/compare.html",
        {"form": form, "comparison": comparison, "sections": sections},
    )


def _section(comparison, group) -> dict:
    """A period kind's ranking as a chart titled with the measure, level and period kind."""
    title = _("%(measure)s · %(level)s · %(period)s") % {
        "measure": selectors.measure_name(comparison.measure),
        "level": comparison.level_label,
        "period": group.label,
    }
    bars = [
        chart.Bar(
            region_name(i.report.region), i.value, readable_figure(i.value, i.unit, i.qualifier)
        )
        for i in group.rows
    ]
    return {"group": group, "title": title, "svg": chart.bar_chart(bars, title=title)}


@require_safe
def measure_list(request):
    """Every measure by kind, with how many regions report it, each linking to its comparison."""
    return render(
        request, "catalogue/measure_list.html", {"groups": selectors.measure_list_with_counts()}
    )
