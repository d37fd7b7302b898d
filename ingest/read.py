"""Bytes -> report text: encoding detection, HTML article text, normalisation.

Encodings are decided from the bytes alone (BOM, strict UTF-8, GB18030,
then charset-normalizer); the file name is never consulted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from ingest.textindex import Translation
from ingest.types import ReadError

MAX_BYTES = 5_000_000

# Signatures of binary formats people save instead of the page text.
_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PRIVATE_OR_RARE = re.compile(r"[\ue000-\uf8ff\u3400-\u4dbf\U00020000-\U0003ffff]")


@dataclass(frozen=True)
class ReadText:
    """Report text as read, and whether bytes had to be replaced or removed to read it."""

    text: str
    repaired: bool


def read_report(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """Decode report bytes into normalised, simplified-Chinese plain text."""
    return read_text(data, max_bytes=max_bytes).text


def read_text(data: bytes, *, max_bytes: int = MAX_BYTES) -> ReadText:
    """Decode report bytes into normalised, simplified-Chinese plain text, noting repairs."""
    if not data or not data.strip():
        raise ReadError("empty")
    if len(data) > max_bytes:
        raise ReadError(f"too big: {len(data)} bytes > {max_bytes}")
    text, repaired = decode(data)
    if "\x00" in text:  # PostgreSQL text cannot hold NUL; it is never part of a report
        text, repaired = text.replace("\x00", ""), True
    if looks_like_html(text):
        text = html_to_text(text)
    text = to_simplified(normalise_text(text))
    if not text.strip():
        raise ReadError("empty: no text after decoding")
    if not _CJK.search(text):
        raise ReadError("undecodable: no encoding gives Chinese text (or it is not a report)")
    return ReadText(text, repaired)


def decode_bytes(data: bytes) -> str:
    """Decode bytes by BOM, strict UTF-8, GB18030, then charset detection."""
    return decode(data)[0]


def decode(data: bytes) -> tuple[str, bool]:
    """Text of the bytes, and True when invalid bytes had to be replaced to get it.

    Tried in order: a BOM, UTF-16 without one, strict UTF-8, UTF-8 with a few bad
    bytes, GB18030 (strict, then with a few bad bytes), charset detection. A page
    whose bytes are mostly invalid in every encoding is refused.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _lenient(data[len(bom) :], encoding, f"undecodable {encoding}")
    if data.startswith(_MAGIC):
        raise ReadError("binary content")
    utf16 = _try_utf16(data)
    if utf16 is not None:
        return utf16
    if looks_binary(data):
        raise ReadError("binary content")
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    text = _repaired(data, "utf-8")
    if text is not None:
        return text, True
    text = _try_gb18030(data)
    if text is not None:
        return text, False
    text = _repaired(data, "gb18030")
    if text is not None and _reads_as_chinese(text.replace(_REPLACEMENT, "")):
        return text, True
    return _detect(data), False


# A page is repaired, not refused, when at most this share of its non-ASCII characters
# come out as replacement characters: a few bad bytes, a pasted sentence in another
# encoding, a cut last character. A page in another encoding scores near 100%.
MAX_REPAIRED_SHARE = 0.1
_REPLACEMENT = "\ufffd"


def _repaired(data: bytes, encoding: str) -> str | None:
    """The text decoded with replacement characters, if they are few enough to keep it."""
    text = data.decode(encoding, errors="replace")
    bad = text.count(_REPLACEMENT)
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if not bad or bad > MAX_REPAIRED_SHARE * non_ascii or not _CJK.search(text):
        return None
    return text.rstrip(_REPLACEMENT)  # a character cut off at the end is gone, not garbled


def _lenient(data: bytes, encoding: str, refusal: str) -> tuple[str, bool]:
    """Decode in a known encoding (a BOM said so), repairing a few bad bytes."""
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError as exc:
        text = _repaired(data, encoding)
        if text is None:
            raise ReadError(f"{refusal}: {exc.reason}") from exc
        return text, True


def _try_utf16(data: bytes) -> tuple[str, bool] | None:
    """UTF-16 without a BOM: NUL bytes (the high half of ASCII) and Chinese when decoded."""
    head = data[:4096]
    if b"\x00" not in head:
        return None
    even = data[: len(data) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        # judge a sample first: decoding megabytes twice to reject them would be wasted
        sample = even[:8192].decode(encoding, errors="replace")
        if not (
            _reads_as_chinese(sample)
            and _common_chinese(sample)
            and not _CONTROL_TEXT.search(sample)
        ):
            continue
        try:
            return even.decode(encoding), len(even) != len(data)
        except UnicodeDecodeError:  # a broken surrogate pair somewhere: repair it
            return even.decode(encoding, errors="replace"), True
    return None


def _common_chinese(text: str) -> bool:
    """Nearly all Chinese characters are in GB2312 (6,763 common ones), as in real prose.

    Bytes of another encoding read as UTF-16 give characters spread over all 20,000.
    """
    chars = _CJK.findall(text)
    common = 0
    for ch in chars:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return bool(chars) and common >= 0.9 * len(chars)


_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def looks_binary(data: bytes) -> bool:
    """True for known binary signatures or many control bytes (a stray NUL is repaired)."""
    head = data[:4096]
    if head.startswith(_MAGIC):
        return True
    return len(_CONTROL_BYTES.findall(head)) > max(2, len(head) // 200)


def _reads_as_chinese(text: str) -> bool:
    """Most non-ASCII characters are common Chinese, few are rare or private-use."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if not non_ascii:
        return False
    cjk = len(_CJK.findall(text))
    rare = len(_PRIVATE_OR_RARE.findall(text))
    return cjk >= 0.6 * non_ascii and rare <= 0.02 * non_ascii


def _try_gb18030(data: bytes) -> str | None:
    # GB18030 accepts many byte soups; keep it only when the result reads as Chinese.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if not any(ord(ch) > 127 for ch in text):
        return text
    return text if _reads_as_chinese(text) else None


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("undecodable: no text encoding fits")
    return str(best)


_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|body|head|p|div|br|table|span|article)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup rather than plain text."""
    return len(_HTML_HINT.findall(text[:200_000])) >= 2 or bool(
        re.search(r"<(?:!doctype\s+html|html|body)\b", text[:2000], re.I)
    )


# Page furniture, not article text.
_SKIP_TAGS = "script style noscript nav header footer aside form head "
_SKIP_TAGS += "template svg iframe button select option textarea"
_BLOCK_TAGS = "p div section article main h1 h2 h3 h4 h5 h6 li ul "
_BLOCK_TAGS += "ol dl dt dd blockquote pre center figure figcaption hr title address"


class _ArticleText(HTMLParser):
    """Collects visible text, one block element per line, table cells joined by ' | '."""

    SKIP = frozenset(_SKIP_TAGS.split())
    BLOCK = frozenset(_BLOCK_TAGS.split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a skipped element, a line or a table cell."""
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "br" or tag in self.BLOCK or tag == "tr":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closed <br/> breaks the line."""
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close a skipped element or end a block's line."""
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self.BLOCK or tag in ("tr", "table"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep visible text, whitespace collapsed."""
        if not self.skip_depth:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    """Visible article text of an HTML page, block elements as lines."""
    parser = _ArticleText()
    parser.feed(html)
    parser.close()
    lines = []
    for raw in "".join(parser.parts).split("\n"):
        line = raw.strip()
        if line.startswith("|"):  # a row's leading cell separator
            line = line[1:].strip()
        lines.append(line)
    return "\n".join(lines)


# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, as the scraped reports are written;
# Chinese punctuation outside that block (。、“”《》【】…) is kept.
_WIDTH_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_FOLD.update(dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u3000\u202f"), ord(" ")))
_WIDTH_FOLD.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None))
_FOLD_WIDTHS = Translation(_WIDTH_FOLD)
# One space only: wider gaps separate fields ("10:40   来源:…"), not digits.
_GROUPED_NUMBER = re.compile(r"(?<![\d.])(\d{1,3})((?: \d{3})+)(?![\d.])")
_NUMBER_UNIT_GAP = re.compile(r"(\d) (?=[\u4e00-\u9fff%‰])")


def normalise_text(text: str) -> str:
    """Fold widths and odd spaces, strip lines, close gaps inside numbers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _FOLD_WIDTHS(text)
    lines = [line.replace("\t", " ").strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    text = _GROUPED_NUMBER.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), text)
    return _NUMBER_UNIT_GAP.sub(r"\1", text)


# Characters that occur only in traditional Chinese, common enough to show up in any page.
_TRADITIONAL_MARKERS = frozenset(
    "個們這為國萬與發體會來對時經進過說開關學區華實現動產務業麼從當還後點東區縣鄉鎮"
    "團結務續設證護黨組織義歷優網參與員資幣億總興傳廣計劃導視億鄰"
)
_ANY_TRADITIONAL_MARKER = re.compile("[" + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")


def looks_traditional(text: str) -> bool:
    """Cheap check: enough traditional-only characters to be worth converting."""
    if not _ANY_TRADITIONAL_MARKER.search(text):  # most pages: no need to count
        return False
    markers = sum(1 for ch in text if ch in _TRADITIONAL_MARKERS)
    return markers >= max(1, len(_CJK.findall(text)) // 500)


@lru_cache(maxsize=1)
def _t2s():  # loading the dictionaries is slow; do it once
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified when the text looks traditional."""
    return _t2s().convert(text) if looks_traditional(text) else text
