from django.urls import path

from . import downloads, views

app_name = "datacenter"
urlpatterns = [
    path("", views.home, name="home"),
    path("downloads/datapackage.json", downloads.datapackage, name="datapackage"),
    path(
        "downloads/EGOV_DATA_ALL.<str:extension>",
        downloads.all_editions_download,
        name="download-all",
    ),
    path(
        "downloads/EGOV_DATA_<int:year>.<str:extension>",
        downloads.edition_download,
        name="download-edition",
    ),
]
