from django.urls import path

from .views import (
    compare,
    country,
    downloads,
    groups,
    home,
    map,
    methodology,
    ranking,
    robustness,
)

app_name = "datacenter"
urlpatterns = [
    path("", home.home, name="home"),
    path("ranking/", ranking.latest, name="ranking-latest"),
    path("editions/<int:year>/", ranking.page, name="ranking"),
    path("editions/<int:year>/robustness/", robustness.page, name="robustness"),
    path("editions/<int:year>/what-if/", robustness.what_if, name="what-if"),
    path("countries/<str:iso3>/", country.page, name="country"),
    path("compare/", compare.page, name="compare"),
    path("regions/", groups.page, name="groups"),
    path("map/", map.page, name="map"),
    path("methodology/", methodology.page, name="methodology"),
    path("data/", downloads.page, name="downloads"),
]
