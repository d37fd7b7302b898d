"""Bytes -> report text: encodings, binaries, HTML, widths, traditional characters."""

import codecs

import pytest

from ingest.read import html_to_text, looks_like_html, normalise_text, read_report, read_text
from ingest.types import ReadError

SNIPPET = "某县深入开展民族团结进步创建,建成示范点12个。"


@pytest.mark.parametrize(
    "data",
    [
        SNIPPET.encode("utf-8"),
        codecs.BOM_UTF8 + SNIPPET.encode("utf-8"),
        SNIPPET.encode("gbk"),
        SNIPPET.encode("gb18030"),
        SNIPPET.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + SNIPPET.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16-le-bom", "utf16-be-bom"],
)
def test_encoding_is_detected_from_bytes(data):
    """UTF-8 with or without BOM, GBK/GB18030 and UTF-16 with BOM all decode to the same text."""
    assert read_report(data) == SNIPPET


def test_long_gbk_text_is_not_mistaken_for_another_encoding():
    """A longer GBK page (the common case for county sites) decodes exactly."""
    text = "\n".join([SNIPPET, "二是加强宣传教育,举办活动30余场。", "三是完善工作机制。"] * 20)
    assert read_report(text.encode("gbk")) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"abc\x00def\x00" * 10, "binary"),
        (b"\x01\x02\x03\x04\x05\x06" * 50, "binary"),
        (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    ],
    ids=["empty", "blank", "pdf", "png", "nul-bytes", "control-bytes", "byte-soup"],
)
def test_unreadable_input_raises_read_error_with_reason(data, reason):
    """Empty, binary and undecodable input raises ReadError naming the reason."""
    with pytest.raises(ReadError, match=reason):
        read_report(data)


def test_too_big_input_is_refused():
    """Input above max_bytes raises ReadError before any decoding."""
    with pytest.raises(ReadError, match="too big"):
        read_report(SNIPPET.encode() * 10, max_bytes=100)


def test_html_page_yields_article_text_without_furniture():
    """HTML: script/style/nav/header/footer/form are dropped, blocks become lines."""
    page = (
        "<!DOCTYPE html><html><head><title>站点</title><style>p{color:red}</style></head>"
        "<body><header>某市人民政府网</header><nav>首页 | 政务公开</nav>"
        "<div class='article'><h1>某县创建工作综述</h1>"
        "<p>一是强化组织领导。</p><p>二是&nbsp;加强宣传<br>教育。</p></div>"
        "<form>搜索</form><script>var x = '不应出现';</script>"
        "<footer>版权所有</footer></body></html>"
    )
    text = read_report(page.encode("utf-8"))
    assert text.split("\n") == [
        "某县创建工作综述",
        "",
        "一是强化组织领导。",
        "",
        "二是 加强宣传",
        "教育。",
    ]


def test_html_table_rows_become_pipe_separated_lines():
    """Portal metadata tables keep their cells on one line, separated by ' | '."""
    html = "<table><tr><td>标 题</td><td>某县创建纪实</td></tr><tr><td>发布日期</td><td>2024-01-02</td></tr></table>"
    lines = [line for line in html_to_text(html).split("\n") if line]
    assert lines == ["标 题 | 某县创建纪实", "发布日期 | 2024-01-02"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>正文</p><div>另一段</div>", True),
        ("<HTML><BODY>正文", True),
        ("某县举办“<石榴籽>”活动。", False),
        ("比例 a<b 且 c>d", False),
    ],
)
def test_html_is_recognised_by_markup_only(text, expected):
    """Only real markup makes a text HTML, not angle brackets in prose."""
    assert looks_like_html(text) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("来源：某县融媒体中心", "来源:某县融媒体中心"),
        ("（一）加强领导，压实责任；", "(一)加强领导,压实责任;"),
        ("ＡＢＣ１２３", "ABC123"),
        ("“石榴籽”家园。、《方案》【专题】……", "“石榴籽”家园。、《方案》【专题】……"),
        ("全年受理7803 件", "全年受理7803件"),
        ("覆盖1 200户群众", "覆盖1200户群众"),
        ("增长12 %", "增长12%"),
        ("时间:2023-05-06 10:40   来源:某县", "时间:2023-05-06 10:40   来源:某县"),
        ("\u3000\u3000首行缩进\u00a0段落\u2003", "首行缩进 段落"),
        ("第一行\r\n\r\n\r\n\r\n第二行", "第一行\n\n第二行"),
    ],
    ids=[
        "fullwidth-colon",
        "fullwidth-parens-comma",
        "fullwidth-letters-digits",
        "chinese-punctuation-kept",
        "number-unit-gap",
        "grouped-number",
        "percent-gap",
        "field-gap-kept",
        "odd-spaces",
        "blank-runs",
    ],
)
def test_normalise_folds_widths_and_number_gaps(raw, expected):
    """Full-width ASCII folds to ASCII, Chinese punctuation stays, number gaps close."""
    assert normalise_text(raw) == expected


def test_traditional_chinese_is_converted_to_simplified():
    """A traditional-Chinese page becomes simplified: 個->个, 萬->万."""
    text = "全縣建成示範點1691個,參與群眾達3萬人次,民族團結進步創建工作紮實開展。"
    result = read_report(text.encode("utf-8"))
    assert "1691个" in result and "3万人次" in result and "团结进步" in result


def test_simplified_text_is_left_alone():
    """Simplified text is returned unchanged (no conversion of 著, 干 …)."""
    text = "某地著力推进干部队伍建设,开展活动20场。"
    assert read_report(text.encode("utf-8")) == text


REPORT_LINE = "某县深入开展民族团结进步创建工作,全年举办宣讲活动80余场次,覆盖群众1.2万人次。"
PAGE = "\n".join([REPORT_LINE] * 20)
_UTF8 = PAGE.encode("utf-8")
_MIDDLE = len((REPORT_LINE + "\n").encode("utf-8")) * 3  # a line boundary


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        (_UTF8[:_MIDDLE] + b"\xff\xfe\x80" + _UTF8[_MIDDLE:], REPORT_LINE),
        (_UTF8[:_MIDDLE] + "各族群众共同参加。".encode("gbk") + _UTF8[_MIDDLE:], REPORT_LINE),
        (_UTF8 + "团".encode()[:2], PAGE),
        (codecs.BOM_UTF8 + _UTF8[:_MIDDLE] + b"\xc3" + _UTF8[_MIDDLE:], REPORT_LINE),
        (_UTF8[:_MIDDLE] + b"\x00" + _UTF8[_MIDDLE:], PAGE),
        (PAGE.encode("gbk") + b"\xb6", PAGE),
        (PAGE.encode("utf-16-le") + b"\x11", PAGE),
        (PAGE.encode("utf-16-le")[:-4] + b"\x00\xd8" + b"\n\x00", REPORT_LINE),
    ],
    ids=[
        "bad-bytes",
        "gbk-sentence",
        "cut-last-char",
        "bom-bad-byte",
        "nul-byte",
        "gbk-cut",
        "utf16-odd-length",
        "utf16-lone-surrogate",
    ],
)
def test_damaged_pages_are_repaired_and_flagged(data, kept):
    """A page with a few bad bytes is read with them replaced or removed, and says it was repaired."""
    read = read_text(data)
    assert read.repaired
    assert kept in read.text
    assert "\x00" not in read.text
    assert read.text.count("\ufffd") <= 20


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(encoding):
    """UTF-16 without a byte-order mark decodes to the text, not 'binary content'."""
    read = read_text(PAGE.encode(encoding))
    assert read.text == PAGE
    assert not read.repaired


def test_clean_pages_are_not_flagged():
    """Valid UTF-8 and GBK pages are not marked as repaired."""
    assert not read_text(_UTF8).repaired
    assert not read_text(PAGE.encode("gbk")).repaired


def test_mostly_garbage_is_refused_with_a_reason():
    """A page whose bytes are mostly invalid is refused, not 'repaired' into noise."""
    garbage = bytes((b * 37 + 11) % 128 + 128 for b in range(3000))
    with pytest.raises(ReadError, match="undecodable"):
        read_text(_UTF8[:200] + garbage)


def test_repaired_page_is_flagged_in_the_parsed_report():
    """parse_report raises the decoding_repaired flag for a page read with repairs."""
    from ingest.parse import parse_report

    assert "decoding_repaired" in parse_report(_UTF8 + "团".encode()[:2]).flags
    assert "decoding_repaired" not in parse_report(_UTF8).flags


@pytest.mark.parametrize(
    "text",
    [
        "没有需要折叠的字符。",
        "全角ＡＢＣ１２３，半角\u3000空格\u200b零宽",
        "方括号］、反斜杠＼、脱字符＾和连字符－都按表折叠",
        "",
    ],
)
def test_translation_skips_only_texts_with_nothing_to_change(text):
    """The scan-first translation gives exactly str.translate, regex-special characters included."""
    from ingest.read import _WIDTH_FOLD
    from ingest.textindex import Translation

    table = {**_WIDTH_FOLD, ord("]"): "］", ord("^"): None, ord("\\"): "/", ord("-"): "—"}
    assert Translation(table)(text) == text.translate(table)
    assert Translation(table)(text + "a]b^c\\d-e") == (text + "a]b^c\\d-e").translate(table)


@pytest.mark.parametrize(
    ("text", "traditional"),
    [
        ("全區建成服務站15個,培訓幹部1200餘人次。", True),
        ("全区建成服务站15个,培训干部1200余人次。", False),
        # one marker among many simplified characters is a stray, not a traditional page
        ("區" + "全区建成服务站十五个培训干部一千二百余人次" * 60, False),
    ],
)
def test_traditional_pages_are_told_from_simplified(text, traditional):
    """Only a page with enough traditional-only characters is converted."""
    from ingest.read import looks_traditional

    assert looks_traditional(text) is traditional
