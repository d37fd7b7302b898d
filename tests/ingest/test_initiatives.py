"""Initiatives: concrete or slogan, and the quoted brand names they use."""

import pytest

from ingest.initiatives import brands, initiative_kind
from ingest.parse import as_json, parse_report
from ingest.types import InitiativeKind
from tests.ingest.samples import CITY_REPORT

CONCRETE, SLOGAN = InitiativeKind.CONCRETE, InitiativeKind.SLOGAN


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("坚持高位推动。", SLOGAN),
        ("强化组织领导,压实主体责任,提高政治站位。", SLOGAN),
        ("站稳政治立场。以铸牢中华民族共同体意识为主线,坚持依法推进各项工作。", SLOGAN),
        ("推进民族团结进步创建走深走实,确保各项任务落到实处。", SLOGAN),
        ("强化考核,将创建工作纳入年度考核。", SLOGAN),
        ("坚持高位推动。制定出台《创建工作方案》,明确责任分工。", CONCRETE),  # a document
        ("开展主题宣讲,深入村社宣讲民族政策。", CONCRETE),  # an action
        ("全年安排创建经费约300万元。", CONCRETE),  # a number
        ("在社区建立“石榴籽家园”服务站。", CONCRETE),  # a brand and a facility
        ("依托民族团结进步教育基地,引导青少年增强认同。", CONCRETE),  # a place
        ("走访慰问困难群众,帮助解决实际困难。", CONCRETE),
        ("成立创建工作领导小组。", CONCRETE),
    ],
)
def test_initiative_kind(text, kind):
    """A principle with no action, place, number, document or brand is a slogan."""
    assert initiative_kind(text, brands(text)) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在全区建立“红石榴驿站”,延伸服务。", ("红石榴驿站",)),  # ends with a carrier
        ("组建“红石榴”宣讲团150余支。", ("红石榴",)),  # carrier after the quote
        ("依托“石榴籽”议事厅化解矛盾。", ("石榴籽",)),
        ("举办“同心杯”知识竞赛和“石榴花开”等品牌活动。", ("同心杯", "石榴花开")),
        ("开展“童心绘团结”“青年话团结”系列活动。", ("童心绘团结", "青年话团结")),  # a run
        ("设计统一标识“北城石榴红”。", ("北城石榴红",)),  # a naming word before it
        ("打造“家在河畔”“古道新韵”等精品线路。", ("家在河畔", "古道新韵")),
        ("建立“红石榴驿站”,又在社区推广“红石榴驿站”模式。", ("红石榴驿站",)),  # once
        ("充分发挥旅游促“三交”作用。", ()),  # a numbered policy formula
        ("在各项工作中增强“五个认同”。", ()),
        ("形成“九进九促”宣传教育载体。", ()),
        ("构建“1+6”育人机制。", ()),
        ("按照“突出主线、融入中心、分类指导”工作思路开展活动。", ()),  # a list, not a name
        ("全面开展“铸牢中华民族共同体意识”专题活动。", ()),  # a doctrine phrase
        ("主题宣传“不断档”。", ()),  # a rhetorical quote
        ("画出民族团结“同心圆”,凝聚人心。", ()),
        ("印发《关于开展“民族团结一家亲”活动的通知》。", ()),  # inside a book title
        ("打造“最具特色的民族文化旅游目的地”。", ()),  # a sentence
        ("我市突出“共”的导向。", ()),  # too short to be a name
    ],
)
def test_brands(text, expected):
    """Only quoted names of initiatives are brands; formulas, slogans and titles are not."""
    assert brands(text) == expected


def test_as_json_prints_kind_and_brands_per_initiative():
    """Dry-run JSON tells each initiative's kind and brands; 强化考核 alone is a slogan."""
    record = as_json(parse_report(CITY_REPORT.encode()), file="x.txt")
    initiatives = [i for p in record["programmes"] for i in p["initiatives"]]
    assert all(i["kind"] in {"concrete", "slogan"} and "brands" in i for i in initiatives)
    by_text = {i["text"][:6]: i["kind"] for i in initiatives}
    assert by_text["三是强化考核"] == "slogan"
    assert by_text["二是加大投入"] == "concrete"
