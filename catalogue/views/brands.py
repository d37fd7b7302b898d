"""The brand index and one brand's page: which regions and reports use a brand name."""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import Brand
from ..selectors.brands import brand_index_page, brand_page

PAGE = re.compile(r"[0-9]{1,6}")  # anything else is page 1 (and never a cache key of its own)


@require_safe
def brand_index(request):
    """Every brand in public initiatives with its regions (linked) and counts, most regions first."""
    number = request.GET.get("page", "1")
    page = brand_index_page(number=int(number) if PAGE.fullmatch(number) else 1)
    return render(request, "catalogue/brand_list.html", {"page_obj": page, "brands": page})


@require_safe
def brand_detail(request, pk: int):
    """One brand: the regions, reports and initiatives that use it."""
    page = brand_page(brand=get_object_or_404(Brand, pk=pk))
    if not page.initiatives:  # a brand seen only in hidden reports or rejected rows
        raise Http404(_("没有这个品牌。"))
    return render(request, "catalogue/brand_detail.html", {"page": page})
