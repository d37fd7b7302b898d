"""A tile-grid map of China's provinces: each province a square in its rough geographic
place, shaded by how many public reports it has (its own and its descendants').

No boundary data package on PyPI or npm is both maintained and usable here (see
docs/province-map.md), so the map is a tile grid rather than outlines: honest about
being schematic, equal in weight for small and large provinces, readable on a phone.
Server-rendered SVG: no JavaScript, no external requests, every label escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# (column, row) of each province-level division on a 9 x 8 grid, north-west at 0, 0.
GRID: dict[str, tuple[int, int]] = {
    "230000": (8, 0),  # 黑龙江
    "150000": (5, 1),  # 内蒙古
    "110000": (6, 1),  # 北京
    "210000": (7, 1),  # 辽宁
    "220000": (8, 1),  # 吉林
    "650000": (1, 2),  # 新疆
    "620000": (3, 2),  # 甘肃
    "640000": (4, 2),  # 宁夏
    "140000": (5, 2),  # 山西
    "130000": (6, 2),  # 河北
    "120000": (7, 2),  # 天津
    "540000": (1, 3),  # 西藏
    "630000": (2, 3),  # 青海
    "610000": (4, 3),  # 陕西
    "410000": (5, 3),  # 河南
    "370000": (6, 3),  # 山东
    "510000": (3, 4),  # 四川
    "500000": (4, 4),  # 重庆
    "420000": (5, 4),  # 湖北
    "340000": (6, 4),  # 安徽
    "320000": (7, 4),  # 江苏
    "310000": (8, 4),  # 上海
    "530000": (3, 5),  # 云南
    "520000": (4, 5),  # 贵州
    "430000": (5, 5),  # 湖南
    "360000": (6, 5),  # 江西
    "330000": (7, 5),  # 浙江
    "450000": (4, 6),  # 广西
    "440000": (5, 6),  # 广东
    "350000": (6, 6),  # 福建
    "710000": (7, 6),  # 台湾
    "460000": (4, 7),  # 海南
    "820000": (5, 7),  # 澳门
    "810000": (6, 7),  # 香港
}
TILE = 44  # side of a tile, in SVG units
GAP = 3
SHADES = 5  # report counts are shaded in this many steps (class n1..n5); none is n0


@dataclass(frozen=True)
class Tile:
    """A province on the map: its code, short label, full name and report count."""

    code: str
    label: str
    name: str
    reports: int


def shade(reports: int, most: int) -> int:
    """The shade step of a count: 0 for none, else 1..SHADES relative to the largest."""
    if reports <= 0 or most <= 0:
        return 0
    return max(1, min(SHADES, -(-reports * SHADES // most)))


def _fit(label: str) -> str:
    """Squeeze a long label (Xinjiang Uygur) into its tile rather than let it overflow."""
    wide = sum(2 if ord(char) > 0x2E80 else 1 for char in label)
    return f' textLength="{TILE - 6}" lengthAdjust="spacingAndGlyphs"' if wide > 8 else ""


def province_map(tiles: list[Tile], *, title: str) -> SafeString:
    """The tile grid as inline SVG: a linked, titled square per province, shaded by count."""
    most = max((tile.reports for tile in tiles), default=0)
    columns = max((c for c, _r in GRID.values()), default=0) + 1
    rows = max((r for _c, r in GRID.values()), default=0) + 1
    width, height = columns * (TILE + GAP), rows * (TILE + GAP)
    parts = [
        f'<svg class="province-map" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for tile in tiles:
        if tile.code not in GRID:
            continue
        column, row = GRID[tile.code]
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        url = reverse("catalogue:region_detail", args=[tile.code])
        parts.append(
            f'<a href="{escape(url)}" class="tile n{shade(tile.reports, most)}">'
            f"<title>{escape(tile.name)}: {tile.reports}</title>"
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3"></rect>'
            f'<text x="{x + TILE / 2:g}" y="{y + 18}" text-anchor="middle" class="name"'
            f"{_fit(tile.label)}>{escape(tile.label)}</text>"
            f'<text x="{x + TILE / 2:g}" y="{y + 35}" text-anchor="middle" class="n">'
            f"{tile.reports}</text></a>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
