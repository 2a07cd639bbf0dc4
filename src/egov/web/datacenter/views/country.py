"""``/countries/<iso3>/``: a country in every edition, its region, its peers, the
components that hold it back, its knowledge and cooperation with what it may learn from its
peers, and its published METER self-assessments."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from egov.methodology import ASSESSED
from egov.web.knowledge.selectors import peers as knowledge
from egov.web.meter import selectors as meter

from .. import labels, robustness, selectors
from ..localize import country_name
from ..models import Country, Edition

#: The indices of the history chart and table, in the Survey's order.
CHART_INDICES = ("egdi", "osi", "tii", "hci", "epi")


def page(request: HttpRequest, iso3: str) -> HttpResponse:
    code = iso3.upper()
    if iso3 != code:
        return redirect("datacenter:country", iso3=code, permanent=True)
    country = Country.objects.filter(iso3=code).first()
    if country is None:
        raise Http404(_("No Member State has the code %(code)s.") % {"code": code})
    profile = selectors.country_profile(country=country)
    name = country_name(country.iso3, country.name)
    context = {
        "country": country,
        "name": name,
        "profile": profile,
        "latest": profile.latest,
        "history": _history_rows(profile),
        "places": _places(profile),
        "gaps": [_gap_sentence(gap, country) for gap in profile.gaps],
        "peers_place": _place_label(profile.peers_scope, country),
        "compare_url": _compare_url(profile),
        "chart_data": _chart_data(profile, name),
        "indices": CHART_INDICES,
        "special_groups": labels.SPECIAL_GROUPS,
        "robustness": _robustness(profile),
        "knowledge": knowledge.country_knowledge(iso3=country.iso3),
        "suggestions": knowledge.peer_suggestions(
            iso3=country.iso3, language=get_language(), ranking=profile.ranking
        ),
        "meter_assessments": list(meter.assessments_published(iso3=country.iso3)),
    }
    return render(request, "datacenter/country.html", context)


def _robustness(profile: selectors.CountryProfile) -> dict[str, Any] | None:
    """The "how robust is this rank" panel: the latest edition's interval of the country,
    or None when no edition is stored (the figures are kept per published version)."""
    if profile.latest_year is None:
        return None
    edition = Edition.objects.get(year=profile.latest_year)
    figures, interval = robustness.country_interval(edition=edition, iso3=profile.country.iso3)
    return {
        "year": figures.year,
        "samples": figures.samples,
        "interval": interval,
        "groups": [(code, labels.label(labels.GROUPS, code)) for code in robustness.GROUPS],
    }


ENGLISH_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def ordinal(value: int) -> str:
    """``3rd``, in the reader's language. English takes its suffix from the last digits;
    the other UN languages mark only the first place apart ("1er", "2e" in French; "1.º",
    "2.º" in Spanish), so they translate two forms, the first and any other."""
    if (get_language() or "en").startswith("en"):
        suffix = "th" if value % 100 in (11, 12, 13) else ENGLISH_SUFFIXES.get(value % 10, "th")
        return f"{value}{suffix}"
    if value == 1:
        return pgettext("ordinal number, first", "{}st").format(value)
    return pgettext("ordinal number, other than first", "{}th").format(value)


def _place_label(scope: str, country: Country) -> str:
    if scope == "region":
        return labels.label(labels.REGIONS, country.region)
    return labels.label(labels.SUB_REGIONS, country.sub_region)


def _place(position: int | None, count: int, where: str) -> str:
    if position is None:
        return ""
    return _("%(ordinal)s of %(count)s in %(place)s") % {
        "ordinal": ordinal(position),
        "count": count,
        "place": where,
    }


def _places(profile: selectors.CountryProfile) -> list[dict[str, Any]]:
    """The country's place in its region and sub-region per edition, newest first."""
    region = labels.label(labels.REGIONS, profile.country.region)
    sub_region = labels.label(labels.SUB_REGIONS, profile.country.sub_region)
    return [
        {
            "year": position.year,
            "region": _place(position.region_position, position.region_count, region),
            "sub_region": _place(
                position.sub_region_position, position.sub_region_count, sub_region
            ),
        }
        for position in reversed(profile.positions)
    ]


def _history_rows(profile: selectors.CountryProfile) -> list[dict[str, Any]]:
    """Every edition that lists the country, newest first, with the rank change since the
    previous edition that ranked it and its place in region and sub-region."""
    places = {position.year: position for position in profile.positions}
    rows = []
    previous_rank: int | None = None
    for row in profile.history:
        assessed = row.status == ASSESSED
        rank = row.rank if assessed else None
        position = places.get(row.year)
        rows.append(
            {
                "row": row,
                "assessed": assessed,
                "rank": rank,
                "rank_change": None
                if rank is None or previous_rank is None
                else previous_rank - rank,
                "region_position": position.region_position if position else None,
                "region_count": position.region_count if position else None,
                "sub_region_position": position.sub_region_position if position else None,
                "sub_region_count": position.sub_region_count if position else None,
            }
        )
        previous_rank = rank
    return list(reversed(rows))


def _gap_sentence(gap: selectors.ComponentGap, country: Country) -> dict[str, Any]:
    """A component against its region's and its EGDI group's averages, in words."""
    values = {
        "index": labels.label(labels.INDEX_NAMES, gap.index),
        "value": f"{gap.value:.4f}",
        "region": labels.label(labels.REGIONS, country.region),
        "region_gap": f"{abs(gap.region_gap):.4f}",
        "region_mean": f"{gap.region_mean:.4f}",
    }
    if gap.region_gap < 0:
        region = _(
            "%(index)s %(value)s, %(region_gap)s below the %(region)s average (%(region_mean)s)"
        )
    elif gap.region_gap > 0:
        region = _(
            "%(index)s %(value)s, %(region_gap)s above the %(region)s average (%(region_mean)s)"
        )
    else:
        region = _("%(index)s %(value)s, level with the %(region)s average (%(region_mean)s)")
    group = ""
    if gap.group_gap is not None and gap.group_mean is not None:
        group_values = {
            "group": labels.label(labels.GROUPS, gap.group),
            "group_gap": f"{abs(gap.group_gap):.4f}",
            "group_mean": f"{gap.group_mean:.4f}",
        }
        if gap.group_gap < 0:
            group = _(
                "%(group_gap)s below the average of its EGDI group, %(group)s (%(group_mean)s)"
            )
        elif gap.group_gap > 0:
            group = _(
                "%(group_gap)s above the average of its EGDI group, %(group)s (%(group_mean)s)"
            )
        else:
            group = _("level with the average of its EGDI group, %(group)s (%(group_mean)s)")
        group = group % group_values
    return {
        "index": gap.index,
        "behind": gap.shortfall < 0,
        "region": region % values,
        "group": group,
    }


def _compare_url(profile: selectors.CountryProfile) -> str:
    """The Compare page with the country and the peers ranked closest to it (eight at most)."""
    ranked = [row.iso3 for row in profile.peers if row.assessed]
    if profile.country.iso3 not in ranked:
        chosen = [profile.country.iso3, *ranked[: selectors.COMPARE_LIMIT - 1]]
    else:
        at = ranked.index(profile.country.iso3)
        start = max(
            0, min(at - selectors.COMPARE_LIMIT // 2, len(ranked) - selectors.COMPARE_LIMIT)
        )
        chosen = ranked[start : start + selectors.COMPARE_LIMIT]
    query = urlencode([("country", code) for code in chosen])
    return f"{reverse('datacenter:compare')}?{query}"


def _chart_data(profile: selectors.CountryProfile, name: str) -> dict[str, Any]:
    """What ``country.js`` draws, with its translated labels (JavaScript holds no text)."""
    history = profile.history
    years = [row.year for row in history]

    def assessed_value(row: selectors.HistoryRow, index: str) -> float | None:
        return getattr(row, index) if row.status == ASSESSED else None

    peers = list(profile.peers)
    return {
        "name": name,
        "years": years,
        "indices": [
            {
                "code": index,
                "label": labels.label(labels.INDEX_ABBREVIATIONS, index),
                "values": [assessed_value(row, index) for row in history],
            }
            for index in CHART_INDICES
        ],
        "ranks": [row.rank if row.status == ASSESSED else None for row in history],
        "peers": {
            "names": [country_name(row.iso3, row.name) for row in peers],
            "egdi": [row.egdi if row.assessed else None for row in peers],
            "current": [row.iso3 == profile.country.iso3 for row in peers],
        },
        "labels": {
            "rank": _("EGDI rank"),
            "egdi": labels.label(labels.INDEX_ABBREVIATIONS, "egdi"),
            "indices": _("%(country)s: every index in every edition") % {"country": name},
            "ranks": _("%(country)s: EGDI rank in every edition (1 is the top)")
            % {"country": name},
            "peers": _("EGDI of the countries of %(place)s in %(year)s, %(country)s highlighted")
            % {
                "place": _place_label(profile.peers_scope, profile.country),
                "year": profile.latest_year,
                "country": name,
            },
        },
    }
