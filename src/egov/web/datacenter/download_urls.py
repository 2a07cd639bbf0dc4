"""``/downloads/``: the same files in every language, so outside the language prefix."""

from django.urls import path

from . import downloads

app_name = "downloads"
urlpatterns = [
    path("datapackage.json", downloads.datapackage, name="datapackage"),
    path("EGOV_DATA_ALL.<str:extension>", downloads.all_editions_download, name="all"),
    path("EGOV_DATA_<int:year>.<str:extension>", downloads.edition_download, name="edition"),
]
