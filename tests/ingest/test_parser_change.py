"""Staff work survives a parser that cuts the same report differently (new keys, shifted spans)."""

from dataclasses import replace

import pytest

from catalogue.models import Indicator, Initiative, Origin, Programme, Report
from ingest.load import load_report
from ingest.matching import Source, bigrams, match
from ingest.parse import parse_report

from .samples import COUNTY_REPORT

pytestmark = pytest.mark.django_db

NOTICE = "【本文转自某某网】\n"  # the new cleaner keeps a line the old one dropped


def recut(parsed):
    """What a changed parser might give: body shifted, titles renamed, initiatives merged
    in the first programme and trimmed of 一是/二是 in the second, quotes cut shorter."""
    k = len(NOTICE)
    body = NOTICE + parsed.body
    first, second = parsed.programmes
    merged = replace(
        first.initiatives[0],
        text=first.initiatives[0].text + first.initiatives[1].text,
        start=first.initiatives[0].start + k,
        end=first.initiatives[1].end + k,
    )
    trimmed = tuple(
        replace(i, text=i.text[2:], title=i.title + "工作", start=i.start + k + 2, end=i.end + k)
        for i in second.initiatives
    )
    programmes = (
        replace(
            first,
            title=first.title[2:],
            start=first.start + k,
            end=first.end + k,
            initiatives=(merged,),
        ),
        replace(
            second,
            title=second.title[2:],
            start=second.start + k,
            end=second.end + k,
            initiatives=trimmed,
        ),
    )
    indicators = tuple(
        replace(n, quote=n.quote[-8:], start=n.end + k - min(8, len(n.quote)), end=n.end + k)
        for n in parsed.indicators
    )
    return replace(parsed, body=body, programmes=programmes, indicators=indicators)


@pytest.fixture
def curated():
    """The county report loaded, then curated: one figure corrected, one rejected,
    one initiative retitled and one rejected."""
    parsed = parse_report(COUNTY_REPORT.encode())
    load_report(parsed, source_file="county.txt", parser_version="old")
    figures = {n.figure: n for n in Indicator.objects.all()}
    Indicator.objects.filter(pk=figures["80余场次"].pk).update(value=999, origin=Origin.STAFF)
    Indicator.objects.filter(pk=figures["12个"].pk).update(rejected=True)
    Initiative.objects.filter(title="开展结对联谊活动").update(
        title="结对联谊(人工)", origin=Origin.STAFF
    )
    Initiative.objects.filter(title="建设教育阵地").update(rejected=True)
    return parsed


def test_recut_report_keeps_the_corrected_figure_once(curated):
    """After a parser change the corrected figure is still there once, with the staff value."""
    result = load_report(recut(curated), source_file="county.txt", parser_version="new", force=True)
    rows = Indicator.objects.filter(figure="80余场次")
    assert [(r.value, r.origin) for r in rows] == [(999, Origin.STAFF)]
    assert result.status == "updated"
    assert Indicator.objects.count() == 6


def test_recut_report_does_not_bring_back_a_rejected_figure(curated):
    """A figure staff rejected stays rejected and no new public copy of it appears."""
    load_report(recut(curated), source_file="county.txt", parser_version="new", force=True)
    assert not Indicator.objects.public().filter(figure="12个").exists()
    assert Indicator.objects.filter(figure="12个", rejected=True).count() == 1


def test_recut_report_keeps_staff_initiatives_and_rejections(curated):
    """A retitled initiative is not duplicated; a rejected one is not shown again, even merged."""
    load_report(recut(curated), source_file="county.txt", parser_version="new", force=True)
    public = Initiative.objects.public()
    assert list(public.filter(text__contains="结对联谊").values_list("title", flat=True)) == [
        "结对联谊(人工)"
    ]
    assert not public.filter(text__contains="教育基地").exists()
    assert Initiative.objects.filter(rejected=True).count() == 1


def test_recut_report_leaves_no_stale_parent_beside_the_new_one(curated):
    """Programmes whose title the parser changed are replaced, not shown twice."""
    load_report(recut(curated), source_file="county.txt", parser_version="new", force=True)
    titles = set(Programme.objects.public().values_list("title", flat=True))
    assert titles == {"强化宣传教育,筑牢思想根基", "促进交往交流,构建互嵌格局"}
    corrected = Indicator.objects.get(figure="80余场次")
    assert corrected.programme.title == "强化宣传教育,筑牢思想根基"


def test_recut_report_loaded_again_changes_nothing(curated):
    """The same new parse a second time: every row unchanged or kept, nothing written."""
    again = recut(curated)
    load_report(again, source_file="county.txt", parser_version="new", force=True)
    before = Report.objects.values_list("updated_at", flat=True).get()
    result = load_report(again, source_file="county.txt", parser_version="new", force=True)
    assert result.status == "unchanged"
    written = {k: v for k, v in result.rows.items() if not k.endswith((".unchanged", ".kept"))}
    assert written == {}
    assert Report.objects.values_list("updated_at", flat=True).get() == before


@pytest.mark.parametrize(
    ("new_text", "new_figure", "old_text", "old_figure", "matched"),
    [
        (
            "开展宣讲80余场次",
            "80余场次",
            "全年组织宣讲团深入村社开展宣讲80余场次",
            "80余场次",
            True,
        ),
        (
            "开展宣讲80余场次",
            "80余场次",
            "全年组织宣讲团深入村社开展宣讲90余场次",
            "90余场次",
            False,
        ),
        ("新建教育基地5个", "5个", "建成红石榴驿站5个", "5个", False),
        ("投资完成60.31亿元", "60.31亿元", "投资完成60.31亿元、增速21.5%", "21.5%", False),
        ("全区共有10万余人参与", "10万余人", "全区共有10万余人参与网上答题", "10万余", True),
        ("一是加强宣传教育工作", "", "二是开展结对联谊活动,组织各族群众结对共建", "", False),
    ],
)
def test_match_pairs_rows_by_source_text(new_text, new_figure, old_text, old_figure, matched):
    """A new row takes over an old one only when figure and source text agree."""
    new = [Source("n", 100, 100 + len(new_text), new_text, new_figure)]
    old = [Source("o", 0, len(old_text), old_text, old_figure)]
    pairs, _ = match(new, old, same_body=False)
    assert (pairs == {"n": "o"}) is matched


def recut_any(parsed):
    """A changed parser on any report: body shifted, titles trimmed, initiatives merged
    in pairs, each quote cut to a few characters around its figure."""
    k = len(NOTICE)

    def merge(initiatives):
        out = []
        for i in range(0, len(initiatives), 2):
            pair = initiatives[i : i + 2]
            out.append(
                replace(
                    pair[0],
                    text="".join(x.text for x in pair),
                    start=pair[0].start + k,
                    end=pair[-1].end + k,
                )
            )
        return tuple(out)

    def cut(n):
        at = max(n.quote.find(n.figure), 0)
        lo, hi = max(at - 4, 0), min(at + len(n.figure) + 2, len(n.quote))
        return replace(n, quote=n.quote[lo:hi], start=n.start + k + lo, end=n.start + k + hi)

    programmes = tuple(
        replace(
            p,
            title=p.title[2:] if len(p.title) > 4 else p.title,
            start=p.start + k,
            end=p.end + k,
            initiatives=merge(p.initiatives),
        )
        for p in parsed.programmes
    )
    return replace(
        parsed,
        body=NOTICE + parsed.body,
        programmes=programmes,
        indicators=tuple(cut(n) for n in parsed.indicators),
    )


@pytest.mark.corpus
def test_seed_reports_recut_keep_every_staff_figure_once(seeds_dir):
    """On the real reports, a recut parse leaves each figure as often as before, staff values
    and rejections intact."""
    from collections import Counter

    for path in sorted(seeds_dir.glob("*.txt")):
        parsed = parse_report(path.read_bytes())
        report_id = load_report(parsed, source_file=path.name, parser_version="old").report_id
        rows = list(Indicator.objects.filter(report_id=report_id).order_by("position"))
        staff, rejected = rows[::3], rows[1::5]
        Indicator.objects.filter(pk__in=[r.pk for r in staff]).update(origin=Origin.STAFF)
        Indicator.objects.filter(pk__in=[r.pk for r in rejected]).update(rejected=True)
        initiatives = Initiative.objects.filter(report_id=report_id).order_by("position")
        for i, initiative in enumerate(initiatives):
            if i % 3 == 0:
                Initiative.objects.filter(pk=initiative.pk).update(
                    title=f"人工{i}", origin=Origin.STAFF
                )
            elif i % 4 == 1:
                Initiative.objects.filter(pk=initiative.pk).update(rejected=True)
        figures = Indicator.objects.filter(report_id=report_id)
        before = Counter(figures.values_list("figure", "rejected", "origin"))
        owned = Counter(
            initiatives.exclude(origin=Origin.MACHINE, rejected=False).values_list(
                "title", "rejected"
            )
        )
        load_report(recut_any(parsed), source_file=path.name, parser_version="new", force=True)
        assert Counter(figures.values_list("figure", "rejected", "origin")) == before, path.name
        after = initiatives.exclude(origin=Origin.MACHINE, rejected=False)
        assert Counter(after.values_list("title", "rejected")) == owned, path.name
        rejected = [bigrams(i.text) for i in initiatives.filter(rejected=True)]
        for shown in initiatives.filter(rejected=False, origin=Origin.MACHINE):
            grams = bigrams(shown.text)
            assert all(len(grams & r) < 0.8 * len(grams) for r in rejected), shown.text
