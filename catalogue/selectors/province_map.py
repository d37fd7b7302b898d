"""The province map's data: each province's report count (descendants included)."""

from __future__ import annotations

from django.utils.translation import get_language

from ..models import Region
from ..province_map import Tile
from ..region_names import without_suffix
from . import TreeNode


def province_tiles(*, tree: list[TreeNode]) -> list[Tile]:
    """A tile per province from the division tree's counts, labelled in the active language
    (one query, for the short names)."""
    english = (get_language() or "").startswith("en")
    short = dict(Region.objects.filter(level="province").values_list("code", "short_name"))
    tiles = []
    for node in tree:
        name = node.name_en if english and node.name_en else node.name
        label = without_suffix(node.name_en) if english and node.name_en else short.get(node.code)
        tiles.append(Tile(node.code, label or node.name, name, node.total))
    return tiles
