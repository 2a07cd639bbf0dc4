from __future__ import annotations

from .views import downloads, home, manage, respond, results

app_name = "meter"
urlpatterns = [*home.urls, *manage.urls, *respond.urls, *results.urls, *downloads.urls]
