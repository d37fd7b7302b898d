"""The division tree page: its body rendered once per catalogue version and language."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import selectors
from ..province_map import province_map
from ..selectors.province_map import province_tiles


def region_tree_html(*, version: str | None = None) -> SafeString:
    """The tree with its counts and the province map, in the active language, from the shared
    cache under the catalogue version (rendering 3,200 regions is most of the page's time)."""
    key = f"region-tree:{translation.get_language()}:{version or selectors.catalogue_version()}"
    html = cache.get(key)
    if html is None:
        tree = selectors.region_tree()
        svg = province_map(province_tiles(tree=tree), title=_("各省级行政区的报告数"))
        html = render_to_string(
            "catalogue/_region_tree_body.html", {"tree": tree, "province_map": svg}
        )
        cache.set(key, html, selectors.HOME_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template


def warm_region_tree() -> None:
    """Render the tree in every language under the current version (ingest calls this when it
    finishes, so no reader renders it)."""
    version = selectors.catalogue_version()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            region_tree_html(version=version)


@require_safe
def region_tree(request):
    """The division tree with report counts, branches with reports open, and a province map."""
    return render(request, "catalogue/region_tree.html", {"tree_html": region_tree_html()})
