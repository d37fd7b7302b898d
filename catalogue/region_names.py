"""English names of administrative divisions: the pinyin of the proper name, the ethnic
groups of an autonomous area in English, and the division suffix translated
(北京市 → Beijing City, 长阳土家族自治县 → Changyang Tujia Autonomous County).

Pure: no Django import, so migration 0017 computes the stored `Region.name_en` with it.
"""

from __future__ import annotations

import re

# Longest first, so 自治县 wins over 县 and 林区 over 区.
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("特别行政区", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("林区", "Forestry District"),
    ("矿区", "Mining District"),
    ("新区", "New Area"),
    ("特区", "Special District"),
    ("地区", "Prefecture"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("盟", "League"),
    ("州", "Prefecture"),
)

# The ethnic groups named in autonomous areas (official English names).
ETHNIC_GROUPS: dict[str, str] = {
    "维吾尔": "Uygur",
    "哈萨克": "Kazak",
    "柯尔克孜": "Kirgiz",
    "塔吉克": "Tajik",
    "蒙古": "Mongol",
    "达斡尔": "Daur",
    "鄂温克": "Ewenki",
    "鄂伦春": "Oroqen",
    "朝鲜": "Korean",
    "土家": "Tujia",
    "仫佬": "Mulao",
    "仡佬": "Gelao",
    "毛南": "Maonan",
    "布依": "Bouyei",
    "哈尼": "Hani",
    "傈僳": "Lisu",
    "拉祜": "Lahu",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "布朗": "Blang",
    "撒拉": "Salar",
    "东乡": "Dongxiang",
    "保安": "Bonan",
    "裕固": "Yugur",
    "锡伯": "Xibe",
    "普米": "Pumi",
    "独龙": "Derung",
    "壮": "Zhuang",
    "回": "Hui",
    "藏": "Tibetan",
    "苗": "Miao",
    "彝": "Yi",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "傣": "Dai",
    "黎": "Li",
    "佤": "Va",
    "畲": "She",
    "水": "Shui",
    "土": "Tu",
    "羌": "Qiang",
    "怒": "Nu",
    "京": "Gin",
    "满": "Manchu",
    "各": "Multi-ethnic",
}

# One ethnic group, with or without 族, at the end of the proper name.
_GROUP = re.compile(
    "(" + "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True)) + ")族?$",
)

# Readings pypinyin gives for the word in general but that place names do not use
# (朝阳 is Chaoyang, not zhaoyang; 长阳 is Changyang).
PLACE_READINGS: dict[str, str] = {"长": "chang", "朝": "chao"}

# Proper names whose official romanisation is not plain pinyin: 陕西 is spelled Shaanxi
# to tell it from 山西 (Shanxi); the two SARs keep their established English names.
OFFICIAL_NAMES: dict[str, str] = {"陕西": "Shaanxi", "香港": "Hong Kong", "澳门": "Macao"}


def pinyin_name(chinese: str) -> str:
    """A proper name in pinyin as one capitalised word, with an apostrophe where a syllable
    starting with a, o or e would run into the one before (西安 → Xi'an)."""
    # Imported here: its phrase table is ~55 MB and 0.1 s, and most processes that import
    # this module (every ingest and web worker, through the views) only need `without_suffix`.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(chinese, style=Style.NORMAL, errors="ignore")
    readings = [
        PLACE_READINGS.get(char, syllable)
        for char, syllable in zip(chinese, syllables, strict=False)
    ]
    if len(syllables) != len(chinese):  # a character pypinyin skipped: keep its reading
        readings = syllables
    word = readings[0] if readings else ""
    for syllable in readings[1:]:
        word += ("'" if syllable[:1] in "aoe" else "") + syllable
    return word.capitalize()


def _ethnic_group(stem: str, *, autonomous: bool) -> re.Match[str] | None:
    """The ethnic group ending `stem`, when it names one: followed by 族, or a name of two
    or more characters in an autonomous area (内蒙古 → Nei Mongol); the whole stem only with 族;
    never a lone character without 族 (长白 is not the Bai)."""
    match = _GROUP.search(stem)
    if not match:
        return None
    with_zu = match.group(0).endswith("族")
    if match.start() == 0:  # the whole stem: 鄂温克族自治旗 is the Ewenki's, 土 alone a name
        return match if with_zu else None
    if with_zu or (autonomous and len(match.group(1)) > 1):
        return match
    return None


def english_name(name: str) -> str:
    """A division's English name: pinyin of its proper name, its ethnic groups and its
    translated suffix (新疆维吾尔自治区 → Xinjiang Uygur Autonomous Region)."""
    stem, suffix_en = name, ""
    for suffix, english in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem, suffix_en = name[: -len(suffix)], english
            break
    groups: list[str] = []
    while match := _ethnic_group(stem, autonomous=suffix_en.startswith("Autonomous")):
        groups.insert(0, ETHNIC_GROUPS[match.group(1)])
        stem = stem[: match.start()]
    proper = OFFICIAL_NAMES.get(stem) or pinyin_name(stem)
    return " ".join(part for part in (proper, *groups, suffix_en) if part)


def without_suffix(english: str) -> str:
    """An English name without its division suffix, for tight places (Nei Mongol, Beijing)."""
    for _suffix, suffix_en in SUFFIXES:
        if english.endswith(" " + suffix_en):
            return english[: -len(suffix_en) - 1]
    return english
