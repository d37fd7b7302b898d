"""Row pages whose SQL is compiled once per process still show each row's own contents."""

from catalogue.models import Initiative, Programme
from catalogue.selectors.prepared import MARKER, Prepared
from catalogue.selectors.reports import initiative_page, report_contents, report_page


def _report_with_initiative(make_report, title: str, **fields):
    """A report with one programme holding one initiative titled `title`."""
    report = make_report(body=f"一、工作\n{title}。", **fields)
    programme = Programme.objects.create(report=report, key="p", start=0, end=5, title="工作")
    initiative = Initiative.objects.create(
        report=report, key="i", programme=programme, start=5, end=6, title=title, text=title
    )
    return report, initiative


def test_each_report_page_shows_its_own_rows(make_report):
    """The same compiled query, run for two reports in turn, gives each its own initiatives."""
    first, _ = _report_with_initiative(make_report, "开展宣讲")
    second, _ = _report_with_initiative(make_report, "举办运动会")
    for report, title in ((first, "开展宣讲"), (second, "举办运动会"), (first, "开展宣讲")):
        contents = report_contents(report=report_page(pk=report.pk))
        assert [i.title for i in contents.programmes[0].public_initiatives] == [title]


def test_hidden_report_and_its_initiative_stay_hidden_after_a_public_one(make_report):
    """A hidden report's page and its initiative's page are not found, whatever came before."""
    public, public_initiative = _report_with_initiative(make_report, "开展宣讲")
    hidden, hidden_initiative = _report_with_initiative(make_report, "举办运动会", hidden=True)
    assert report_page(pk=public.pk).title == public.title
    assert initiative_page(pk=public_initiative.pk).title == "开展宣讲"
    for page, pk, missing in (
        (report_page, hidden.pk, type(public).DoesNotExist),
        (initiative_page, hidden_initiative.pk, Initiative.DoesNotExist),
    ):
        try:
            page(pk=pk)
        except missing:
            continue
        raise AssertionError(f"{page.__name__}({pk}) showed a hidden row")


def test_a_queryset_that_ignores_its_key_is_refused(make_report):
    """A prepared queryset must filter by its key: one that does not would show any row."""
    make_report()
    prepared = Prepared(lambda pk: Programme.objects.all())
    try:
        prepared.rows(1)
    except ValueError:
        return
    raise AssertionError(f"compiled without the key {MARKER}")
