"""The JSON API under /api/v1/: every endpoint, the pages' filters, the public rules and paging."""

from __future__ import annotations

from datetime import date

import pytest

from catalogue.models import Indicator, Initiative, Measure, Programme, Theme
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, path: str, **params):
    """GET an API path and return the decoded JSON, asserting a 200."""
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page: dict) -> set[int]:
    return {item["id"] for item in page["items"]}


# --- lists and details ------------------------------------------------------------------


def test_lists_answer_public_rows_with_their_report_and_region(client, make_report):
    """Each list gives its rows with report, region chain code and a link to the page."""
    report = add_report(make_report, title="新城区创建工作")
    reports = get(client, "/reports/")
    assert reports["count"] == 1 and reports["capped"] is False
    item = reports["items"][0]
    assert item["title"] == "新城区创建工作" and item["region"]["code"] == "150102"
    assert item["html_url"] == f"/reports/{report.pk}/"
    programme = get(client, "/programmes/")["items"][0]
    assert programme["title"] == "强化宣传教育" and programme["report"]["id"] == report.pk
    initiatives = get(client, "/initiatives/")["items"]
    assert {i["title"] for i in initiatives} == {"开展主题宣讲", "建设红石榴驿站"}
    indicators = {i["label"]: i for i in get(client, "/indicators/")["items"]}
    assert indicators["开展宣讲活动"]["value"] == 120
    assert indicators["开展宣讲活动"]["qualifier"] == "more_than"
    assert indicators["开展宣讲活动"]["report"]["region"]["name"] == "新城区"


def test_details_nest_what_belongs_to_them(client, make_report):
    """A report's detail holds its body and extractions; a programme's, its initiatives and figures."""
    report = add_report(make_report)
    detail = get(client, f"/reports/{report.pk}/")
    assert "红石榴驿站" in detail["body"]
    assert len(detail["programmes"]) == 1 and len(detail["indicators"]) == 3
    programme = Programme.objects.get(report=report)
    detail = get(client, f"/programmes/{programme.pk}/")
    assert [i["title"] for i in detail["initiatives"]] == ["开展主题宣讲", "建设红石榴驿站"]
    assert {i["figure"] for i in detail["indicators"]} == {"120余场次", "8个", "5000人次"}
    initiative = Initiative.objects.get(report=report, title="建设红石榴驿站")
    detail = get(client, f"/initiatives/{initiative.pk}/")
    assert {i["label"] for i in detail["indicators"]} == {"建成驿站", "服务群众"}
    indicator = Indicator.objects.get(report=report, label="建成驿站")
    detail = get(client, f"/indicators/{indicator.pk}/")
    assert detail["figure"] == "8个" and detail["initiative_id"] == initiative.pk
    assert detail["html_url"] == f"/indicators/{indicator.pk}/"


def test_indicators_carry_measure_and_period(client, make_report):
    """An indicator shows its measure, period kind and period year."""
    report = add_report(make_report)
    measure = Measure.objects.first()
    Indicator.objects.filter(report=report, label="建成驿站").update(
        measure=measure, period_kind="year", period_year=2023
    )
    row = next(i for i in get(client, "/indicators/")["items"] if i["label"] == "建成驿站")
    assert row["measure"]["slug"] == measure.slug
    assert (row["period_kind"], row["period_year"]) == ("year", 2023)


def test_initiatives_carry_kind_themes_and_brands(client, make_report):
    """An initiative shows its kind, theme slugs and brands."""
    report = add_report(make_report)
    initiative = Initiative.objects.get(report=report, title="建设红石榴驿站")
    initiative.themes.add(Theme.objects.create(slug="migrant-services", name="流动人口服务"))
    initiative.brands.create(name="红石榴驿站")
    row = get(client, f"/initiatives/{initiative.pk}/")
    assert row["kind"] == "concrete"
    assert row["themes"] == ["migrant-services"] and row["brands"] == ["红石榴驿站"]


def test_region_tree_and_detail(client, make_report):
    """The tree counts reports with descendants; a region's detail has ancestors and children."""
    add_report(make_report, code="150102")
    tree = get(client, "/regions/")
    mongolia = next(node for node in tree if node["code"] == "150000")
    assert mongolia["reports"] == 1
    hohhot = next(node for node in mongolia["children"] if node["code"] == "150100")
    assert hohhot["reports"] == 1
    detail = get(client, "/regions/150100/")
    assert [a["code"] for a in detail["ancestors"]] == ["150000"]
    assert detail["reports"] == 1 and len(detail["latest_reports"]) == 1
    assert any(c["code"] == "150102" and c["reports"] == 1 for c in detail["children"])


def test_measures_list_and_detail(client):
    """Every measure of the taxonomy is listed; one is found by its slug."""
    rows = get(client, "/measures/")
    assert len(rows) == Measure.objects.count() > 0
    slug = rows[0]["slug"]
    assert get(client, f"/measures/{slug}/")["slug"] == slug
    assert client.get(f"{API}/measures/no-such-measure/").status_code == 404


def test_search_finds_each_kind_with_marked_snippets(client, make_report):
    """Search answers hits by kind, each with a snippet marking the query and a page link."""
    add_report(make_report)
    found = get(client, "/search/", q="红石榴驿站")
    assert found["initiatives"] and "<mark>" in found["initiatives"][0]["snippet_html"]
    assert found["initiatives"][0]["html_url"].startswith("/initiatives/")
    assert [hit["title"] for hit in found["reports"]] == ["报告1"]
    assert client.get(f"{API}/search/").status_code == 422  # q is required
    blank = get(client, "/search/", q="  ")
    assert blank["reports"] == blank["indicators"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/reports/999999/",
        "/programmes/999999/",
        "/initiatives/999999/",
        "/indicators/999999/",
        "/regions/999999/",
    ],
)
def test_unknown_rows_are_404(client, path):
    """An id or code that does not exist is a 404 with a reason."""
    response = client.get(f"{API}{path}")
    assert response.status_code == 404 and response.json()["detail"]


def test_api_is_read_only(client, make_report):
    """Writing methods are refused; HEAD answers like GET without a body."""
    report = add_report(make_report)
    head = client.head(f"{API}/reports/{report.pk}/")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == "application/json; charset=utf-8"
    for path in ("/reports/", f"/reports/{report.pk}/", "/indicators/"):
        assert client.post(f"{API}{path}", {}).status_code == 405
        assert client.delete(f"{API}{path}").status_code == 405


# --- public rules ---------------------------------------------------------------------------


def test_hidden_reports_and_rejected_rows_never_appear(client, make_report):
    """A hidden report and its rows, and rejected rows, are absent from lists and 404 as details."""
    hidden = add_report(make_report, title="不公开的报告", hidden=True)
    shown = add_report(make_report, title="公开的报告")
    rejected_indicator = Indicator.objects.get(report=shown, label="服务群众")
    rejected_indicator.rejected = True
    rejected_indicator.save()
    rejected_initiative = Initiative.objects.get(report=shown, title="开展主题宣讲")
    rejected_initiative.rejected = True
    rejected_initiative.save()
    assert ids(get(client, "/reports/")) == {shown.pk}
    for kind, model in (
        ("programmes", Programme),
        ("initiatives", Initiative),
        ("indicators", Indicator),
    ):
        # the models' public rule: not rejected, nor under a rejected programme or initiative
        public = set(model.objects.public().filter(report=shown).values_list("pk", flat=True))
        assert public and ids(get(client, f"/{kind}/")) == public, kind
        for row in model.objects.filter(report=hidden):
            assert client.get(f"{API}/{kind}/{row.pk}/").status_code == 404, kind
    assert client.get(f"{API}/reports/{hidden.pk}/").status_code == 404
    assert client.get(f"{API}/indicators/{rejected_indicator.pk}/").status_code == 404
    assert client.get(f"{API}/initiatives/{rejected_initiative.pk}/").status_code == 404
    detail = get(client, f"/reports/{shown.pk}/")
    assert rejected_indicator.pk not in {i["id"] for i in detail["indicators"]}
    assert rejected_initiative.pk not in {i["id"] for i in detail["initiatives"]}
    assert get(client, "/regions/150102/")["reports"] == 1
    found = get(client, "/search/", q="不公开的报告")
    assert found["reports"] == []


@pytest.mark.parametrize("kind", ["initiatives", "indicators"])
def test_rejected_programmes_children_show_exactly_as_on_the_pages(client, make_report, kind):
    """Under a rejected programme, the API lists the same initiatives and indicators as the pages."""
    report = add_report(make_report)
    Programme.objects.filter(report=report).update(rejected=True)
    page = client.get(f"/{kind}/").content.decode()
    api_ids = ids(get(client, f"/{kind}/"))
    model = Initiative if kind == "initiatives" else Indicator
    for row in model.objects.filter(report=report):
        on_page = (
            f"/{'initiatives' if kind == 'initiatives' else 'reports'}/" in page
            and (row.title if kind == "initiatives" else row.label) in page
        )
        assert (row.pk in api_ids) == on_page, row


# --- filters (the pages' FilterSets) ----------------------------------------------------------


@pytest.fixture
def two_reports(make_report):
    """A 2021 county report in Inner Mongolia and a 2024 district report in Guangxi."""
    old = add_report(make_report, code="150102", title="旧报告", published=date(2021, 5, 1))
    new = add_report(make_report, code="450205", title="新报告", published=date(2024, 5, 1))
    theme = Theme.objects.create(slug="migrant-services", name="流动人口服务")
    Initiative.objects.get(report=new, title="建设红石榴驿站").themes.add(theme)
    measure = Measure.objects.first()
    Indicator.objects.filter(report=new, label="建成驿站").update(
        measure=measure, period_kind="year"
    )
    return {"old": old, "new": new, "measure": measure}


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("/reports/", {"region": "150100"}, {"旧报告"}),
        ("/reports/", {"province": "450000"}, {"新报告"}),
        ("/reports/", {"level": "county"}, {"旧报告", "新报告"}),
        ("/reports/", {"year_min": "2023"}, {"新报告"}),
        ("/reports/", {"year_max": "2022"}, {"旧报告"}),
        ("/reports/", {"q": "新报告"}, {"新报告"}),
        ("/programmes/", {"region": "450000"}, {"新报告"}),
        ("/initiatives/", {"theme": "migrant-services"}, {"新报告"}),
        ("/initiatives/", {"year_max": "2021", "q": "红石榴驿站"}, {"旧报告"}),
        ("/indicators/", {"unit": "场次", "region": "150000"}, {"旧报告"}),
        ("/indicators/", {"qualifier": "more_than", "year_min": "2024"}, {"新报告"}),
        ("/indicators/", {"value_min": "1000", "value_max": "6000"}, {"旧报告", "新报告"}),
        ("/indicators/", {"period_kind": "year"}, {"新报告"}),
    ],
)
def test_filters_are_the_pages_filters(client, two_reports, path, params, expected):
    """Each list filter selects the rows of the expected reports."""
    items = get(client, path, **params)["items"]
    assert items
    titles = {(item.get("report") or item)["title"] for item in items}
    assert titles == expected


def test_indicators_filter_by_measure(client, two_reports):
    """?measure=<slug> keeps the figures classified under that measure."""
    items = get(client, "/indicators/", measure=two_reports["measure"].slug)["items"]
    assert [i["label"] for i in items] == ["建成驿站"]


def test_ordering_by_value(client, two_reports):
    """o=-value puts the largest figure first, o=value the smallest."""
    values = [i["value"] for i in get(client, "/indicators/", o="-value")["items"]]
    assert values == sorted(values, reverse=True) and values[0] == 5000
    assert get(client, "/indicators/", o="value")["items"][0]["value"] == 8


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"region": "999999"}, "region"),
        ({"year_min": "abc"}, "year_min"),
        ({"qualifier": "lots"}, "qualifier"),
        ({"o": "nonsense"}, "o"),
    ],
)
def test_invalid_filters_are_a_400_naming_the_parameter(client, two_reports, params, name):
    """A filter the FilterSet rejects answers 400 with the parameter's message, not a 500."""
    response = client.get(f"{API}/indicators/", params)
    assert response.status_code == 400
    assert name in response.json()["errors"]


# --- pagination ---------------------------------------------------------------------------------


def test_pages_link_to_their_neighbours_and_keep_the_filters(client, two_reports):
    """page_size splits the list; next and previous links keep the filters."""
    first = get(client, "/indicators/", page_size=2, region="450000")
    assert first["count"] == 3 and len(first["items"]) == 2 and first["previous"] is None
    assert "region=450000" in first["next"] and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert ids(first).isdisjoint(ids(second))
    assert client.get(f"{API}/indicators/", {"page_size": 1000}).status_code == 422


# --- OpenAPI ---------------------------------------------------------------------------------------


def test_openapi_schema_validates_and_lists_every_endpoint(client):
    """The schema is valid OpenAPI 3 and documents every endpoint and the pages' filters."""
    from openapi_spec_validator import validate

    schema = get(client, "/openapi.json")
    validate(schema)
    paths = set(schema["paths"])
    assert paths == {
        f"{API}/{p}"
        for p in (
            "regions/",
            "regions/{code}/",
            "reports/",
            "reports/{pk}/",
            "programmes/",
            "programmes/{pk}/",
            "initiatives/",
            "initiatives/{pk}/",
            "indicators/",
            "indicators/{pk}/",
            "measures/",
            "measures/{slug}/",
            "search/",
        )
    }
    params = {p["name"] for p in schema["paths"][f"{API}/indicators/"]["get"]["parameters"]}
    assert {"region", "unit", "qualifier", "value_min", "o", "measure", "page"} <= params


def test_interactive_docs_are_served(client):
    """/api/v1/docs is the Swagger UI page, its script from our own static files."""
    page = client.get(f"{API}/docs").content.decode()
    assert "swagger" in page.lower() and "/static/ninja/" in page


# --- query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/reports/",
        "/programmes/",
        "/initiatives/",
        "/indicators/",
        "/regions/150000/",
        "/search/?q=红石榴驿站",
    ],
)
@pytest.mark.parametrize("reports", [1, 6])
def test_list_query_count_does_not_grow_with_rows(
    client, make_report, django_assert_max_num_queries, path, reports
):
    """A list costs the same few queries for one report's rows or six reports' rows."""
    for n in range(reports):
        report = add_report(make_report, title=f"报告{n}")
        initiative = Initiative.objects.filter(report=report).first()
        initiative.brands.create(name=f"品牌{n}")
    with django_assert_max_num_queries(10):
        client.get(f"{API}{path}")


@pytest.mark.parametrize("kind", ["reports", "programmes", "initiatives", "indicators"])
def test_detail_query_count_is_bounded(client, make_report, django_assert_max_num_queries, kind):
    """A detail costs a bounded number of queries whatever it holds."""
    report = add_report(make_report)
    model = {"programmes": Programme, "initiatives": Initiative, "indicators": Indicator}
    pk = report.pk if kind == "reports" else model[kind].objects.filter(report=report).first().pk
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/{kind}/{pk}/")
    assert response.status_code == 200
