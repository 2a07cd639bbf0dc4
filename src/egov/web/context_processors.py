"""What every page's frame needs: the navigation and the same page in each UN language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import gettext_lazy as _

NAVIGATION = (
    ("datacenter:home", _("Home")),
    ("datacenter:ranking-latest", _("Ranking")),
    ("datacenter:compare", _("Compare")),
    ("datacenter:groups", _("Regions and groups")),
    ("datacenter:map", _("World map")),
    ("datacenter:methodology", _("Methodology")),
    ("datacenter:downloads", _("Downloads")),
    ("knowledge:search", _("Knowledge base")),
    ("knowledge:projects", _("Cooperation")),
    ("meter:home", _("METER")),
)


def site(request: HttpRequest) -> dict[str, Any]:
    from egov.web.knowledge import policy

    here = request.get_full_path()
    user = getattr(request, "user", None)
    return {
        "can_review": user is not None and policy.can_review(user),
        "can_read_audit": user is not None and policy.can_read_audit(user),
        "navigation": NAVIGATION,
        "languages": [
            {"code": code, "name": name, "url": translate_url(here, code)}
            for code, name in settings.LANGUAGES
        ],
    }
