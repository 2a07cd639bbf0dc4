from django.urls import include, path

from egov.api.v1 import api

urlpatterns = [
    path("", include("egov.web.datacenter.urls")),
    path("api/v1/", api.urls),
]
