from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from egov.api.v1 import api

# Pages take a language prefix (/fr/, /es/, ...; English has none) so a shared link keeps its
# language; the API and the downloads are the same in every language and have no prefix.
urlpatterns = [
    path("api/v1/", api.urls),
    path("downloads/", include("egov.web.datacenter.download_urls")),
    *i18n_patterns(
        path("", include("egov.web.datacenter.urls")),
        path("", include("egov.web.knowledge.urls")),
        path("meter/", include("egov.web.meter.urls")),
        path("accounts/", include("egov.web.accounts.urls")),
        prefix_default_language=False,
    ),
]
