from django.urls import include, path

urlpatterns = [
    path("", include("egov.web.datacenter.urls")),
]
