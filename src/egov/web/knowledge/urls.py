from __future__ import annotations

from .views import items, programmes, projects, search, workshops

app_name = "knowledge"
urlpatterns = [*search.urls, *items.urls, *workshops.urls, *projects.urls, *programmes.urls]
