"""A region's whole timeline: every measured public figure, by measure, with period and date."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..filters import REGION_CODE
from ..models import Region
from ..selectors.timelines import region_timeline_table


@require_safe
def region_timeline(request, code: str):
    """Every measure `code` reported, its latest figures: value, period, report date and link."""
    if not REGION_CODE.fullmatch(code):  # a NUL byte would fail in PostgreSQL, not 404
        raise Http404(_("没有这个行政区划代码。"))
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    return render(
        request,
        "catalogue/region_timeline.html",
        {
            "region": region,
            "ancestors": region.ancestors(),
            "timelines": region_timeline_table(region=region),
        },
    )
