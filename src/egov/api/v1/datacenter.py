"""The Data Center over HTTP: editions, countries, values, rankings, histories, aggregates.

Each endpoint parses its parameters, calls one selector and returns a schema declared beside
it; every response built from published data carries ``ETag`` and ``Cache-Control``
(:func:`egov.api.caching.published`). The whole-edition and whole-country answers (ranking,
aggregates, history) are serialised once per published version and process and then
sent as kept bytes (:func:`_kept`): the ranking then costs the tag's one query.
"""

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.renderers import JSONRenderer

from egov.api.caching import cached, published
from egov.api.v1.errors import ApiError
from egov.web.datacenter import selectors
from egov.web.datacenter.models import Country, Edition, IndexValue

router = Router(tags=["Data Center"])

Index = Literal["egdi", "epi", "osi", "hci", "tii"]
Region = Literal["Africa", "Americas", "Asia", "Europe", "Oceania"]
SpecialGroup = Literal["ldc", "lldc", "sids"]
Iso3 = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code")]

#: Items per page when ``limit`` is not given, and the largest ``limit`` accepted.
PAGE_SIZE: Final = 100
MAX_PAGE_SIZE: Final = 1000


class Pagination(LimitOffsetPagination):
    """``limit`` (1 to 1000, default 100) and ``offset``; a larger limit is refused (422)."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")
        offset: int = Field(0, ge=0, description="Items to skip.")


def _edition(year: int, *, status: int = 404, field: str = "year") -> Edition:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        stored = ", ".join(str(y) for y in Edition.objects.values_list("year", flat=True))
        raise ApiError.one(
            status,
            "unknown-edition",
            f"no edition {year} is stored (stored: {stored or 'none'})",
            field=field,
            value=year,
        )
    return edition


def _country(iso3: str, *, status: int = 404, field: str = "iso3") -> Country:
    country = Country.objects.filter(iso3=iso3.upper()).first()
    if country is None:
        raise ApiError.one(
            status,
            "unknown-country",
            f"no Member State has the ISO3 code {iso3!r}",
            field=field,
            value=iso3,
        )
    return country


def _kept(
    request: HttpRequest, key: Hashable, schema: type[Schema], build: Callable[[], object]
) -> HttpResponse:
    """The JSON of ``schema`` over ``build()``, rendered as django-ninja renders a response,
    kept per published version and process (:func:`egov.api.caching.cached`). An error
    raised by ``build`` (an unknown edition) is not kept."""

    def render() -> bytes:
        validated = schema.model_validate(build()).model_dump()
        text = JSONRenderer().render(request, validated, response_status=200)
        return str(text).encode("utf-8")

    body = cached(request, ("api-v1", key), render)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


# --- editions ----------------------------------------------------------------------------------


class EditionOut(Schema):
    year: int
    title: str
    headline_index: str
    source: str = Field(description="File name(s) the edition was imported from.")
    layout: str
    imported_at: datetime
    countries: int = Field(description="Countries listed in the edition.")
    indices: list[Index]
    rating_class_method: str
    rating_classes_published: bool = Field(
        description="False before 2020: the Survey published no rating classes; ours are "
        "computed with the same rule."
    )


@router.get("/editions", response=list[EditionOut], summary="Every stored edition")
@decorate_view(published)
def editions(request: HttpRequest) -> list[selectors.EditionSummary]:
    return selectors.edition_summaries()


@router.get("/editions/{year}", response=EditionOut, summary="One edition")
@decorate_view(published)
def edition(request: HttpRequest, year: int) -> selectors.EditionSummary:
    return selectors.edition_summaries(year=_edition(year).year)[0]


class RankingRowOut(Schema):
    rank: int | None = Field(description="Published EGDI rank; null if not yet a Member State.")
    iso3: str
    name: str
    region: str
    sub_region: str
    income_group: str | None
    egdi: float | None
    osi: float | None
    tii: float | None
    hci: float | None
    epi: float | None
    group: Literal["V", "H", "M", "L"] | None = Field(description="EGDI group.")
    rating_class: str | None = Field(description="VH … L1, over the assessed countries.")
    rank_change: int | None = Field(
        description="Rank in the previous edition minus this rank (positive: moved up)."
    )
    ldc: bool
    lldc: bool
    sids: bool
    status: Literal["assessed", "not-assessed", "not-member", "inconsistent"]
    assessed: bool


class RankingOut(Schema):
    year: int
    previous_year: int | None
    rating_class_method: str
    rating_classes_published: bool
    count: int
    items: list[RankingRowOut]


@router.get("/editions/{year}/ranking", response=RankingOut, summary="Every country, by rank")
@decorate_view(published)
def edition_ranking(request: HttpRequest, year: int) -> HttpResponse:
    def build() -> dict[str, Any]:
        ranking = selectors.edition_ranking(edition=_edition(year))
        return {
            "year": ranking.year,
            "previous_year": ranking.previous_year,
            "rating_class_method": ranking.rating_class_method,
            "rating_classes_published": ranking.rating_classes_published,
            "count": len(ranking.rows),
            "items": ranking.rows,
        }

    return _kept(request, ("ranking", year), RankingOut, build)


class AggregateOut(Schema):
    grouping: Literal["world", "region", "sub_region", "income_group", "special_group"]
    group: str
    index: Index
    mean: float
    median: float
    count: int = Field(description="Assessed countries of the group with a value.")
    share: float = Field(description="count over the assessed countries with a value.")


class AggregatesOut(Schema):
    year: int
    items: list[AggregateOut]


@router.get(
    "/editions/{year}/aggregates",
    response=AggregatesOut,
    summary="Averages by region, income and special group",
    description="Unweighted mean, median, count and share over the assessed Member States.",
)
@decorate_view(published)
def edition_aggregates(request: HttpRequest, year: int) -> HttpResponse:
    def build() -> dict[str, Any]:
        edition = _edition(year)
        frame = selectors.edition_aggregates(edition=edition)
        return {"year": edition.year, "items": frame.to_dict("records")}

    return _kept(request, ("aggregates", year), AggregatesOut, build)


# --- countries ---------------------------------------------------------------------------------


class CountryOut(Schema):
    iso3: str
    m49: str
    name: str
    region: str
    sub_region: str
    income_group: str | None
    developed: bool
    un_member: bool
    ldc: bool = Field(description="On the LDC list as of the registry's date (2024-12-31).")
    lldc: bool
    sids: bool

    @staticmethod
    def resolve_income_group(country: Country) -> str | None:
        return country.income_group or None


@router.get("/countries", response=list[CountryOut], summary="The Member States")
@decorate_view(published)
@paginate(Pagination)
def countries(
    request: HttpRequest,
    region: Region | None = None,
    sub_region: str | None = None,
    group: SpecialGroup | None = None,
) -> QuerySet[Country]:
    return selectors.countries(region=region, sub_region=sub_region, group=group)


@router.get("/countries/{iso3}", response=CountryOut, summary="One Member State")
@decorate_view(published)
def country(request: HttpRequest, iso3: Iso3) -> Country:
    return _country(iso3)


class HistoryRowOut(Schema):
    year: int
    rank: int | None
    egdi: float | None
    osi: float | None
    tii: float | None
    hci: float | None
    epi: float | None
    group: Literal["V", "H", "M", "L"] | None
    rating_class: str | None
    rating_classes_published: bool
    status: Literal["assessed", "not-assessed", "not-member", "inconsistent"]


class HistoryOut(Schema):
    country: CountryOut
    editions: list[HistoryRowOut]


@router.get("/countries/{iso3}/history", response=HistoryOut, summary="A country in every edition")
@decorate_view(published)
def country_history(request: HttpRequest, iso3: Iso3) -> HttpResponse:
    def build() -> dict[str, Any]:
        found = _country(iso3)
        return {"country": found, "editions": selectors.country_history(country=found)}

    return _kept(request, ("history", iso3.upper()), HistoryOut, build)


# --- values ------------------------------------------------------------------------------------


class ValueOut(Schema):
    year: int
    iso3: str
    index: Index
    value: float
    rank: int | None = Field(description="The published rank (EGDI only).")


class ValueFilters(Schema):
    edition: int | None = Field(None, description="Survey year.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="ISO3 code.")
    index: Index | None = None
    region: Region | None = None
    sub_region: str | None = Field(None, description='UN M49 sub-region ("Western Asia").')
    group: SpecialGroup | None = Field(
        None, description="Special group, as listed in each value's edition year."
    )


@router.get("/values", response=list[ValueOut], summary="Published values, filtered")
@decorate_view(published)
@paginate(Pagination)
def values(
    request: HttpRequest, filters: Query[ValueFilters]
) -> QuerySet[IndexValue, dict[str, Any]]:
    return selectors.index_values(
        edition=None
        if filters.edition is None
        else _edition(filters.edition, status=400, field="edition"),
        country=None
        if filters.country is None
        else _country(filters.country, status=400, field="country"),
        index=filters.index,
        region=filters.region,
        sub_region=filters.sub_region,
        group=filters.group,
    )
