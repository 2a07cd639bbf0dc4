"""Knowledge items over HTTP: the list, search, one item, its files; writing, the editorial
steps, attachments. Each write calls one service of :mod:`egov.web.knowledge.services.items`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from django.contrib.auth.models import AnonymousUser, User
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from egov.api.v1.auth import WRITE_AUTH, caller, writer
from egov.api.v1.errors import ErrorOut
from egov.errors import Issue, ServiceError
from egov.web.knowledge import policy, search
from egov.web.knowledge.attachments import MAX_SIZE
from egov.web.knowledge.models import Attachment, Item, ItemTag
from egov.web.knowledge.selectors import items as item_selectors
from egov.web.knowledge.services import items as item_services

from .answers import READ_ERRORS, READ_EXTRA, WRITE_ERRORS, WRITE_NOTE, Slug, personal, unknown

router = Router(tags=["Knowledge base"])

ItemTypeCode = Literal[
    "country_study",
    "case_study",
    "good_practice",
    "lesson_learned",
    "policy_or_strategy",
    "workshop_output",
    "presentation",
    "analytical_paper",
    "training_material",
]
Language = Literal["ar", "zh", "en", "fr", "ru", "es", "other"]
Stage = Literal["emerging", "enhanced", "transactional", "connected"]
Region = Literal["Africa", "Americas", "Asia", "Europe", "Oceania"]
Transition = Literal["submit", "return", "publish", "withdraw"]


def _visible_item(request: HttpRequest, slug: str) -> tuple[Item, User | AnonymousUser]:
    """The item named ``slug`` if the caller may see it, with the caller; 404 otherwise."""
    user = caller(request)
    item = item_selectors.item_for_page(slug=slug)
    if item is None or not policy.can_view_item(user, item):
        raise unknown("unknown-item", "item", "slug", slug)
    return item, user


class ItemRefOut(Schema):
    slug: str
    type: str
    title: str
    status: str = Field(description="draft and in_review only for the author and editors.")


def item_ref(item: Item) -> dict[str, Any]:
    return {"slug": item.slug, "type": item.type, "title": item.title, "status": item.status}


# --- items: reads ------------------------------------------------------------------------------


class ItemSummaryOut(Schema):
    slug: str
    type: ItemTypeCode
    title: str
    summary: str
    year: int | None
    language: str
    status: Literal["draft", "in_review", "published"]
    published_at: datetime | None
    countries: list[str] = Field(description="ISO3 codes.")
    regions: list[str] = Field(description="UN M49 regions, of the countries or chosen.")
    sub_regions: list[str]
    themes: list[str] = Field(description="Codes of the theme taxonomy.")
    meter_tags: list[str] = Field(description="METER pillar or sub-theme ids (C, C1, …).")
    stage_tags: list[str] = Field(description="emerging, enhanced, transactional, connected.")


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="The file name shown (made safe).")
    kind: str = Field(description="pdf, docx, xlsx, pptx, odt, …")
    content_type: str
    size: int = Field(description="Bytes.")
    sha256: str
    uploaded_at: datetime
    download_url: str


class RelatedOut(Schema):
    slug: str
    type: ItemTypeCode
    title: str


class ItemOut(ItemSummaryOut):
    """An item as its author wrote it (the fields of :class:`ItemIn`) and as it stands."""

    body_md: str = Field(description="Markdown; the pages render it sanitised.")
    source_organisation: str
    source_url: str
    source_citation: str
    licence: str
    details: dict[str, Any] = Field(description="The fields of the item's type (spec §2).")
    workshop: str | None = Field(description="Slug of the workshop the item comes from.")
    session: int | None = Field(description="Order of the workshop session.")
    project: str | None = Field(description="Slug of the cooperation project.")
    related: list[RelatedOut] = Field(description="Related items the caller may see.")
    attachments: list[AttachmentOut]
    created_at: datetime
    updated_at: datetime


def _tags(item: Item) -> dict[str, list[str]]:
    kinds = {
        ItemTag.Kind.COUNTRY: "countries",
        ItemTag.Kind.REGION: "regions",
        ItemTag.Kind.SUB_REGION: "sub_regions",
        ItemTag.Kind.THEME: "themes",
        ItemTag.Kind.METER: "meter_tags",
        ItemTag.Kind.STAGE: "stage_tags",
    }
    found: dict[str, list[str]] = {name: [] for name in kinds.values()}
    for tag in item.tags.all():
        found[kinds[ItemTag.Kind(tag.kind)]].append(tag.code)
    return {name: sorted(codes) for name, codes in found.items()}


def _summary(item: Item) -> dict[str, Any]:
    return {
        "slug": item.slug,
        "type": item.type,
        "title": item.title,
        "summary": item.summary,
        "year": item.year,
        "language": item.language,
        "status": item.status,
        "published_at": item.published_at,
        **_tags(item),
    }


def _attachment(request: HttpRequest, attachment: Attachment, slug: str) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": attachment.uploaded_at,
        "download_url": request.build_absolute_uri(
            reverse("api-v1:knowledge-attachment", kwargs={"slug": slug, "pk": attachment.pk})
        ),
    }


def _detail(request: HttpRequest, item: Item, user: User | AnonymousUser) -> dict[str, Any]:
    return {
        **_summary(item),
        "body_md": item.body_md,
        "source_organisation": item.source_organisation,
        "source_url": item.source_url,
        "source_citation": item.source_citation,
        "licence": item.licence,
        "details": item.details,
        "workshop": item.workshop.slug if item.workshop else None,
        "session": item.session.order if item.session else None,
        "project": item.project.slug if item.project else None,
        "related": [
            {"slug": other.slug, "type": other.type, "title": other.title}
            for other in item_selectors.related_items(item=item, user=user)
        ],
        "attachments": [_attachment(request, a, item.slug) for a in item.attachments.all()],
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


class ItemFilters(Schema):
    """Filters of the item list and of search; a filter given twice matches either value."""

    q: str = Field("", max_length=500, description="Words to find in the full text.")
    type: list[ItemTypeCode] = Field([], description="Item type.")
    country: list[Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]] = Field(
        [], description="ISO3 code of a country the item is about."
    )
    region: list[Region] = Field([], description="UN M49 region.")
    theme: list[str] = Field([], description="Theme code of the taxonomy.")
    meter: list[str] = Field([], description="METER pillar or sub-theme id.")
    stage: list[Stage] = Field([], description="Online-service stage.")
    year: list[int] = Field([], description="Year of the item.")
    language: list[Language] = Field([], description="Language of the item.")
    page: int = Field(1, ge=1, description="Page number, from 1.")
    per_page: int = Field(
        search.PER_PAGE, ge=1, le=search.MAX_PER_PAGE, description="Items per page."
    )
    sort: Literal["relevance", "year"] = Field(
        "relevance",
        description="relevance (with `q`; without, newest first) or year (newest first).",
    )

    def facet_filters(self) -> dict[str, list[str]]:
        """The filters as the search selector takes them: facet name → values."""
        return {
            "type": list(self.type),
            "country": [code.upper() for code in self.country],
            "region": list(self.region),
            "theme": list(self.theme),
            "meter": list(self.meter),
            "stage": list(self.stage),
            "year": [str(year) for year in self.year],
            "language": list(self.language),
        }


class ItemPageOut(Schema):
    total: int = Field(description="Items matching, across pages.")
    page: int
    per_page: int
    items: list[ItemSummaryOut]


class FacetValueOut(Schema):
    value: str = Field(description="What to send in the filter of the same name.")
    label: str
    count: int = Field(description="Items found with this value.")
    selected: bool = Field(description="Whether the request filters on it.")


class SearchHitOut(ItemSummaryOut):
    title_html: str = Field(description="The title as HTML, the words found in <mark>.")
    snippet: str = Field(
        description="Where the words were found (else the summary) as HTML: the text "
        "escaped, the words in <mark>."
    )


class SearchOut(Schema):
    query: str
    total: int
    page: int
    per_page: int
    items: list[SearchHitOut]
    facets: dict[str, list[FacetValueOut]] = Field(
        description="For each facet (type, country, region, theme, meter, stage, year, "
        "language), its values with their counts. A facet is counted with the other facets' "
        "filters applied but not its own, so its other values can still be added."
    )


def _search(filters: ItemFilters) -> search.SearchResult:
    return search.search_items(
        query=filters.q,
        filters=filters.facet_filters(),
        sort=filters.sort,
        page=filters.page,
        per_page=filters.per_page,
    )


@router.get(
    "/knowledge/items",
    response={200: ItemPageOut, **READ_ERRORS},
    summary="Published knowledge items, filtered",
    description="Published items, by relevance when `q` is given (the search syntax: words "
    'ANDed, `"a phrase"`, `or`, `-word`), else newest first. Filters combine with AND across '
    "names and OR within one name (`type=case_study&type=good_practice`). A page past the "
    "last answers the last.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def items(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    result = _search(filters)
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "items": [_summary(hit.item) for hit in result.hits],
    }


@router.get(
    "/knowledge/search",
    response={200: SearchOut, **READ_ERRORS},
    summary="Full-text search with facets and snippets",
    description="The item list's filters, ranked by relevance, with a highlighted snippet per "
    "item and the facet counts of the whole result.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def items_search(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    result = _search(filters)
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "items": [
            {**_summary(hit.item), "title_html": hit.title_html, "snippet": hit.snippet}
            for hit in result.hits
        ],
        "facets": {
            name: [
                {
                    "value": value.value,
                    "label": str(value.label),
                    "count": value.count,
                    "selected": value.selected,
                }
                for value in values
            ]
            for name, values in result.facets.items()
        },
    }


@router.get(
    "/knowledge/items/{slug}",
    response={200: ItemOut, **READ_ERRORS},
    summary="One knowledge item",
    description="The whole item: body, details of its type, tags, attachments with their "
    "download URLs, related items, its workshop and project. A draft or an item in review is "
    "shown only to its author and to editors; to anyone else it is 404.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def item(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    found, user = _visible_item(request, slug)
    return _detail(request, found, user)


@router.get(
    "/knowledge/items/{slug}/attachments/{pk}",
    response={404: ErrorOut, 422: ErrorOut},
    url_name="knowledge-attachment",
    summary="Download an attachment",
    description="The file as uploaded, as an attachment with its safe name; only for an item "
    "the caller may see.",
    openapi_extra={
        **READ_EXTRA,
        "responses": {
            "200": {
                "description": "The file.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        },
    },
)
@decorate_view(personal)
def attachment_download(request: HttpRequest, slug: Slug, pk: int) -> FileResponse:
    found, _user = _visible_item(request, slug)
    attachment = _attachment_of(found, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise unknown("missing-file", "stored file for attachment", "pk", pk) from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    # Never rendered by the browser, whatever it holds (as the page's download).
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _attachment_of(item: Item, pk: int) -> Attachment:
    attachment = next((a for a in item.attachments.all() if a.pk == pk), None)
    if attachment is None:
        raise unknown("unknown-attachment", "attachment", "pk", pk)
    return attachment


# --- items: writes -----------------------------------------------------------------------------


class ItemIn(Schema):
    """What an author writes. Codes are checked by the service, every problem at once."""

    type: str = Field(description="One of: " + ", ".join(get_args(ItemTypeCode)) + ".")
    title: str = Field(description="At most 300 characters.")
    summary: str = Field("", description="At most 600 characters; required to publish.")
    body_md: str = Field("", description="Markdown.")
    countries: list[str] = Field([], description="ISO3 codes.")
    regions: list[str] = Field([], description="Regions beyond those of the countries.")
    themes: list[str] = Field([], description="Theme codes of the taxonomy.")
    meter_tags: list[str] = Field([], description="METER pillar or sub-theme ids.")
    stage_tags: list[str] = Field([], description="emerging, enhanced, transactional, connected.")
    year: int | None = None
    language: str = Field("en", description="ar, zh, en, fr, ru, es or other.")
    source_organisation: str = ""
    source_url: str = Field("", description="An http or https address.")
    source_citation: str = ""
    licence: str = ""
    details: dict[str, Any] = Field({}, description="The fields of the type (spec §2).")
    workshop: str | None = Field(None, description="Workshop slug (required for an output).")
    session: int | None = Field(None, description="Order of the workshop session.")
    project: str | None = Field(None, description="Project slug.")
    related: list[str] = Field([], description="Slugs of related items.")

    def service_input(self) -> item_services.ItemInput:
        return item_services.ItemInput(**self.model_dump())


class ItemUpdateIn(ItemIn):
    note: str = Field("", description="Why, for the item's history.")

    def service_input(self) -> item_services.ItemInput:
        return item_services.ItemInput(**self.model_dump(exclude={"note"}))


class TransitionIn(Schema):
    action: Transition = Field(
        description="submit (draft → in review), return (in review → draft, note required), "
        "publish (in review → published), withdraw (published → draft, note required)."
    )
    note: str = ""


def _refreshed(request: HttpRequest, slug: str) -> dict[str, Any]:
    found, user = _visible_item(request, slug)
    return _detail(request, found, user)


@router.post(
    "/knowledge/items",
    auth=WRITE_AUTH,
    response={201: ItemOut, **WRITE_ERRORS},
    summary="Write a new item (a draft)",
    description="Contributors, editors and administrators; the item starts as a draft of the "
    "caller." + WRITE_NOTE,
)
@decorate_view(personal)
def item_create(request: HttpRequest, body: ItemIn) -> Status[dict[str, Any]]:
    made = item_services.item_create(data=body.service_input(), actor=writer(request))
    return Status(201, _refreshed(request, made.slug))


@router.put(
    "/knowledge/items/{slug}",
    auth=WRITE_AUTH,
    response={200: ItemOut, **WRITE_ERRORS},
    summary="Replace what an item says",
    description="The whole input, as for a new item; the status does not change. A "
    "contributor edits only their own drafts; editors any item." + WRITE_NOTE,
)
@decorate_view(personal)
def item_update(request: HttpRequest, slug: Slug, body: ItemUpdateIn) -> dict[str, Any]:
    found, _user = _visible_item(request, slug)
    item_services.item_update(
        item=found, data=body.service_input(), actor=writer(request), note=body.note
    )
    return _refreshed(request, slug)


@router.post(
    "/knowledge/items/{slug}/transitions",
    auth=WRITE_AUTH,
    response={200: ItemOut, **WRITE_ERRORS},
    summary="Move an item through the editorial workflow",
    description="`submit`: the author (or an editor) sends a draft for review. `return`: an "
    "editor sends an item in review back to draft, saying why. `publish`: an editor publishes "
    "an item in review. `withdraw`: an editor takes a published item back to draft, saying "
    "why." + WRITE_NOTE,
)
@decorate_view(personal)
def item_transition(request: HttpRequest, slug: Slug, body: TransitionIn) -> dict[str, Any]:
    found, _user = _visible_item(request, slug)
    item_services.item_transition(
        item=found, action=body.action, actor=writer(request), note=body.note
    )
    return _refreshed(request, slug)


@router.post(
    "/knowledge/items/{slug}/attachments",
    auth=WRITE_AUTH,
    response={201: AttachmentOut, **WRITE_ERRORS},
    summary="Attach a file",
    description="A multipart upload in the field `file`: PDF, DOC, XLS, PPT, DOCX, XLSX, "
    "PPTX, ODT, ODS or ODP, at most 20 MB, whose content must be what its name says. Who may "
    "edit the item may attach." + WRITE_NOTE,
)
@decorate_view(personal)
def attachment_add(
    request: HttpRequest, slug: Slug, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    found, _user = _visible_item(request, slug)
    actor = writer(request)
    name = file.name or ""
    size = file.size or 0
    if size > MAX_SIZE and policy.can_edit_item(actor, found):
        message = f"the file is {size / 1_048_576:.1f} MB; the limit is {MAX_SIZE // 1_048_576} MB"
        issue = Issue("invalid-attachment", message, "item", field="attachment", value=name)
        raise ServiceError("invalid-attachment", message, [issue])
    # Too large and not the caller's to edit: the service refuses it (403) before any check.
    content = file.read() if size <= MAX_SIZE else b""
    made = item_services.attachment_add(item=found, name=name, content=content, actor=actor)
    return Status(201, _attachment(request, made, slug))


@router.delete(
    "/knowledge/items/{slug}/attachments/{pk}",
    auth=WRITE_AUTH,
    response={204: None, **WRITE_ERRORS},
    summary="Remove an attachment",
    description="Who may edit the item may remove its files." + WRITE_NOTE,
)
@decorate_view(personal)
def attachment_remove(request: HttpRequest, slug: Slug, pk: int) -> Status[None]:
    found, _user = _visible_item(request, slug)
    attachment = _attachment_of(found, pk)
    item_services.attachment_remove(attachment=attachment, actor=writer(request))
    return Status(204, None)
