"""Public catalogue URLs: stable permalinks, GET and HEAD only."""

from django.urls import path

from . import views
from .views import about, brands, compare, data, permalinks, regions, timelines

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", regions.region_tree, name="region_tree"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("regions/<str:code>/timeline/", timelines.region_timeline, name="region_timeline"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<int:pk>/", permalinks.programme_detail, name="programme_detail"),
    path("initiatives/", views.InitiativeListView.as_view(), name="initiative_list"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<int:pk>/", permalinks.indicator_detail, name="indicator_detail"),
    path("compare/", compare.compare, name="compare"),
    path("measures/", compare.measure_list, name="measure_list"),
    path("brands/", brands.brand_index, name="brand_list"),
    path("brands/<int:pk>/", brands.brand_detail, name="brand_detail"),
    path("search/", views.search_view, name="search"),
    path("data/", data.data_page, name="data"),
    path("data/<str:name>", data.data_file, name="data_file"),
    path("about/", about.about, name="about"),
]
