"""Public pages: read-only, GET and HEAD only."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def home(request):
    """What the catalogue holds: report count, regions with reports, latest reports."""
    context = {
        "report_count": selectors.report_count(),
        "regions": selectors.region_list_with_reports(),
        "latest": selectors.report_list_latest(),
    }
    return render(request, "catalogue/home.html", context)
