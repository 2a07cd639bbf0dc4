"""The knowledge API: reads and what they hide, search, error shapes, the two credentials.

Who may write what is pinned cell by cell in ``test_knowledge_matrix.py``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.crypto import get_random_string
from pytest_django import Settings
from tests.fixtures.meter_assessments import meter_assessment

from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.accounts.services import token_create, token_revoke, user_active_set
from egov.web.knowledge.models import Item
from egov.web.knowledge.services.items import (
    ItemInput,
    attachment_add,
    item_create,
    item_transition,
)

PDF: Final = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
ISSUE_KEYS: Final = {"code", "message", "file", "row", "field", "value"}
ITEMS: Final = "/api/v1/knowledge/items"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Attachments in a folder of the test; accounts with a fast hasher (many are made)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def _published(data: ItemInput, accounts: dict[Role, User], *, pdf: bool = False) -> Item:
    item = item_create(data=data, actor=accounts[Role.CONTRIBUTOR])
    if pdf:
        attachment_add(item=item, name="slides.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR])
    item_transition(item=item, action="submit", actor=accounts[Role.CONTRIBUTOR])
    return item_transition(item=item, action="publish", actor=accounts[Role.EDITOR])


@pytest.fixture
def library(countries: None, accounts: dict[Role, User]) -> dict[str, Item]:
    """Three published items, a draft and an item in review, all by ``contributor``."""
    korea = _published(
        ItemInput(
            type="case_study",
            title="Korea's path to smart government",
            summary="How Korea moved from e-government to smart government with mobile services.",
            body_md="Korea built a **smart government** on its e-government backbone.",
            countries=["KOR"],
            year=2012,
            source_organisation="Ministry of Public Administration and Security",
        ),
        accounts,
        pdf=True,
    )
    kazakhstan = _published(
        ItemInput(
            type="policy_or_strategy",
            title="Kazakhstan's e-government roadmap",
            summary="The stages of Kazakhstan's national e-government programme.",
            countries=["KAZ"],
            year=2013,
            language="ru",
        ),
        accounts,
    )
    colombia = _published(
        ItemInput(
            type="good_practice",
            title="Colombia's centre for innovation in e-government",
            summary="An observatory of e-government innovations for the region.",
            countries=["COL"],
            year=2013,
        ),
        accounts,
    )
    draft = item_create(
        data=ItemInput(
            type="lesson_learned",
            title="Training CIOs with Afghanistan",
            summary="What a three-year CIO training cycle taught.",
            countries=["AFG"],
            year=2013,
            related=[korea.slug],
        ),
        actor=accounts[Role.CONTRIBUTOR],
    )
    in_review = item_create(
        data=ItemInput(type="case_study", title="Smart government in review", summary="Pending."),
        actor=accounts[Role.CONTRIBUTOR],
    )
    in_review = item_transition(item=in_review, action="submit", actor=accounts[Role.CONTRIBUTOR])
    return {
        "korea": korea,
        "kazakhstan": kazakhstan,
        "colombia": colombia,
        "draft": draft,
        "in_review": in_review,
    }


def _error(response: Any, status: int, code: str) -> list[dict[str, Any]]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "Cache-Control" not in response
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "code", "errors"}
    assert (body["ok"], body["code"]) == (False, code)
    assert body["errors"]
    for issue in body["errors"]:
        assert set(issue) == ISSUE_KEYS
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# --- reads -------------------------------------------------------------------------------------


def _slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


@pytest.mark.django_db
def test_item_list_shows_published_items_only(library: dict[str, Item], client: Client) -> None:
    response = client.get(ITEMS)

    assert set(_slugs(response)) == {
        library[name].slug for name in ("korea", "kazakhstan", "colombia")
    }
    body = response.json()
    assert (body["total"], body["page"], body["per_page"]) == (3, 1, 20)
    korea = next(item for item in body["items"] if item["slug"] == library["korea"].slug)
    assert korea["countries"] == ["KOR"]
    assert korea["regions"] == ["Asia"]
    assert (korea["type"], korea["year"], korea["status"]) == ("case_study", 2012, "published")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=good_practice", {"colombia"}),
        ("type=good_practice&type=case_study", {"colombia", "korea"}),
        ("country=kor", {"korea"}),
        ("region=Asia", {"korea", "kazakhstan"}),
        ("region=Asia&year=2013", {"kazakhstan"}),
        ("language=ru", {"kazakhstan"}),
        ("year=2011", set()),
    ],
)
def test_item_list_filters(
    library: dict[str, Item], client: Client, query: str, expected: set[str]
) -> None:
    assert set(_slugs(client.get(f"{ITEMS}?{query}"))) == {library[n].slug for n in expected}


@pytest.mark.django_db
def test_item_list_pages(library: dict[str, Item], client: Client) -> None:
    first = client.get(f"{ITEMS}?per_page=2").json()
    second = client.get(f"{ITEMS}?per_page=2&page=2").json()

    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert not {i["slug"] for i in first["items"]} & {i["slug"] for i in second["items"]}


@pytest.mark.django_db
def test_item_detail_is_the_whole_item(library: dict[str, Item], client: Client) -> None:
    korea = library["korea"]

    response = client.get(f"{ITEMS}/{korea.slug}")

    assert response.status_code == 200
    item = response.json()
    assert item["body_md"].startswith("Korea built a **smart government**")
    assert item["source_organisation"] == "Ministry of Public Administration and Security"
    assert (item["workshop"], item["project"], item["related"]) == (None, None, [])
    (attachment,) = item["attachments"]
    assert (attachment["name"], attachment["kind"], attachment["size"]) == (
        "slides.pdf",
        "pdf",
        len(PDF),
    )
    download = client.get(attachment["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "slides.pdf" in download["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.READER, False),
        (Role.CONTRIBUTOR, True),  # the author
        (Role.EDITOR, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_drafts_are_shown_to_their_author_and_editors_only(
    library: dict[str, Item], client_as: Any, role: Role, sees: bool
) -> None:
    client = client_as(role)
    for name in ("draft", "in_review"):
        response = client.get(f"{ITEMS}/{library[name].slug}")
        if sees:
            assert response.status_code == 200
            assert response.json()["status"] == library[name].status
        else:
            (issue,) = _error(response, 404, "unknown-item")
            assert (issue["field"], issue["value"]) == ("slug", library[name].slug)
    assert library["draft"].slug not in _slugs(client.get(ITEMS))


@pytest.mark.django_db
def test_another_contributor_does_not_see_a_draft(library: dict[str, Item], client: Client) -> None:
    client.force_login(User.objects.get(username="contributor2"))

    _error(client.get(f"{ITEMS}/{library['draft'].slug}"), 404, "unknown-item")


@pytest.mark.django_db
def test_related_items_hide_drafts_from_readers(
    library: dict[str, Item], client: Client, accounts: dict[Role, User]
) -> None:
    korea = library["korea"]
    korea.related.add(library["draft"], library["colombia"])

    shown = client.get(f"{ITEMS}/{korea.slug}").json()["related"]
    client.force_login(accounts[Role.EDITOR])
    shown_to_editor = client.get(f"{ITEMS}/{korea.slug}").json()["related"]

    assert [r["slug"] for r in shown] == [library["colombia"].slug]
    assert {r["slug"] for r in shown_to_editor} == {
        library["colombia"].slug,
        library["draft"].slug,
    }


@pytest.mark.django_db
def test_attachment_of_a_draft_is_not_served_to_readers(
    countries: None, accounts: dict[Role, User], client: Client
) -> None:
    draft = item_create(
        data=ItemInput(type="presentation", title="Draft slides"), actor=accounts[Role.CONTRIBUTOR]
    )
    attachment = attachment_add(
        item=draft, name="draft.pdf", content=PDF, actor=accounts[Role.CONTRIBUTOR]
    )

    url = f"{ITEMS}/{draft.slug}/attachments/{attachment.pk}"
    _error(client.get(url), 404, "unknown-item")
    client.force_login(accounts[Role.CONTRIBUTOR])
    assert client.get(url).status_code == 200
    _error(
        client.get(f"{ITEMS}/{draft.slug}/attachments/{attachment.pk + 1}"),
        404,
        "unknown-attachment",
    )


@pytest.mark.django_db
def test_search_ranks_highlights_and_counts_facets(
    library: dict[str, Item], client: Client
) -> None:
    response = client.get("/api/v1/knowledge/search?q=smart+government")

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "smart government"
    assert body["items"][0]["slug"] == library["korea"].slug
    assert "<mark>" in body["items"][0]["snippet"]
    assert library["in_review"].slug not in {hit["slug"] for hit in body["items"]}
    types = {value["value"]: value["count"] for value in body["facets"]["type"]}
    assert types.get("case_study") == 1
    assert set(body["facets"]) >= {"type", "country", "region", "theme", "year", "language"}


@pytest.mark.django_db
def test_search_facets_follow_the_filters(library: dict[str, Item], client: Client) -> None:
    body = client.get("/api/v1/knowledge/search?region=Asia").json()

    assert body["total"] == 2
    countries = {value["value"]: value["count"] for value in body["facets"]["country"]}
    assert countries == {"KOR": 1, "KAZ": 1}


@pytest.mark.django_db
def test_read_cache_headers_depend_on_the_caller(
    library: dict[str, Item], client: Client, accounts: dict[Role, User]
) -> None:
    anonymous = client.get(f"{ITEMS}/{library['korea'].slug}")
    assert "public" in anonymous["Cache-Control"]
    assert "max-age=60" in anonymous["Cache-Control"]
    assert "ETag" not in anonymous
    assert "Authorization" in anonymous["Vary"]

    client.force_login(accounts[Role.EDITOR])
    for url in (ITEMS, f"{ITEMS}/{library['korea'].slug}", f"{ITEMS}/{library['draft'].slug}"):
        assert client.get(url)["Cache-Control"] == "no-store", url
    _key_token, key = token_create(user=accounts[Role.CONTRIBUTOR], name="script")
    assert Client().get(ITEMS, **_bearer(key))["Cache-Control"] == "no-store"


# --- error shapes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invalid_item_reports_every_field_at_once(countries: None, client_as: Any) -> None:
    body = {
        "type": "memo",
        "title": " ",
        "countries": ["KOR", "XXX"],
        "year": 1800,
        "language": "xx",
        "source_url": "javascript:alert(1)",
    }

    response = client_as(Role.CONTRIBUTOR).post(ITEMS, body, content_type="application/json")

    errors = _error(response, 422, "invalid-item")
    found = {(e["field"], e["code"], e["value"]) for e in errors}
    assert found == {
        ("type", "unknown-type", "memo"),
        ("title", "required", None),
        ("countries", "unknown-country", "XXX"),
        ("year", "out-of-range", "1800"),
        ("language", "unknown-language", "xx"),
        ("source_url", "invalid-url", "javascript:alert(1)"),
    }
    assert {e["file"] for e in errors} == {"item"}
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_malformed_body_is_invalid_parameters(countries: None, client_as: Any) -> None:
    response = client_as(Role.CONTRIBUTOR).post(
        ITEMS, {"title": "No type", "year": "soon"}, content_type="application/json"
    )

    errors = _error(response, 422, "invalid-parameters")
    assert {(e["field"], e["code"]) for e in errors} == {
        ("type", "missing"),
        ("year", "int-parsing"),
    }


@pytest.mark.django_db
def test_refused_steps_name_the_reason(library: dict[str, Item], client_as: Any) -> None:
    editor = client_as(Role.EDITOR)
    url = f"{ITEMS}/{library['in_review'].slug}/transitions"

    (issue,) = _error(
        editor.post(url, {"action": "return"}, content_type="application/json"),
        422,
        "invalid-step",
    )
    assert (issue["field"], issue["code"]) == ("note", "required")
    (issue,) = _error(
        editor.post(url, {"action": "archive"}, content_type="application/json"),
        422,
        "invalid-parameters",
    )
    assert (issue["field"], issue["code"]) == ("action", "literal-error")
    (issue,) = _error(
        client_as(Role.CONTRIBUTOR).post(
            url, {"action": "publish"}, content_type="application/json"
        ),
        403,
        "forbidden",
    )
    assert issue["message"] == "you may not publish this item while it is In review"
    assert Item.objects.get(pk=library["in_review"].pk).status == "in_review"


@pytest.mark.django_db
def test_attachment_whose_content_lies_is_refused(library: dict[str, Item], client_as: Any) -> None:
    upload = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script>", "application/pdf")

    response = client_as(Role.CONTRIBUTOR).post(
        f"{ITEMS}/{library['draft'].slug}/attachments", {"file": upload}
    )

    (issue,) = _error(response, 422, "invalid-attachment")
    assert (issue["field"], issue["value"]) == ("attachment", "report.pdf")
    assert not library["draft"].attachments.exists()


@pytest.mark.django_db
def test_write_without_credentials_is_401(library: dict[str, Item], client: Client) -> None:
    url = f"{ITEMS}/{library['korea'].slug}/transitions"

    (issue,) = _error(
        client.post(url, {"action": "withdraw", "note": "x"}, content_type="application/json"),
        401,
        "unauthorised",
    )
    assert (issue["file"], issue["field"]) == (url, "Authorization")
    assert issue["message"].startswith("this write needs credentials")


# --- API keys ----------------------------------------------------------------------------------


def _new_item(client: Client, **headers: str) -> Any:
    body = {"type": "good_practice", "title": "Citizen feedback in every service"}
    return client.post(ITEMS, body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_live_key_writes_as_its_account(countries: None, accounts: dict[Role, User]) -> None:
    token, key = token_create(user=accounts[Role.CONTRIBUTOR], name="import script")

    response = _new_item(Client(enforce_csrf_checks=True), **_bearer(key))

    assert response.status_code == 201, response.content
    made = Item.objects.get(slug=response.json()["slug"])
    assert made.created_by == accounts[Role.CONTRIBUTOR]
    entry = AuditEntry.objects.filter(action="item.created").get()
    assert entry.actor_name == "contributor"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["revoked", "inactive", "unknown", "empty", "basic"])
def test_a_dead_key_is_401(countries: None, accounts: dict[Role, User], case: str) -> None:
    user = accounts[Role.EDITOR]
    token, key = token_create(user=user, name="script")
    header = f"Bearer {key}"
    if case == "revoked":
        token_revoke(token=token, actor=user)
    elif case == "inactive":
        user_active_set(user=user, active=False, actor=accounts[Role.ADMINISTRATOR])
    elif case == "unknown":
        header = "Bearer egov_" + "x" * 43
    elif case == "empty":
        header = "Bearer "
    elif case == "basic":
        header = "Basic ZWRpdG9yOmEtTG9uZy1wYXNzLXBocmFzZS00Mg=="

    response = _new_item(Client(), HTTP_AUTHORIZATION=header)

    (issue,) = _error(response, 401, "unauthorised")
    assert issue["field"] == "Authorization"
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_a_wrong_key_is_not_rescued_by_the_session(
    countries: None, accounts: dict[Role, User]
) -> None:
    client = Client()
    client.force_login(accounts[Role.EDITOR])

    _error(_new_item(client, **_bearer("egov_wrong")), 401, "unauthorised")


@pytest.mark.django_db
def test_a_key_reads_its_authors_draft(
    library: dict[str, Item], accounts: dict[Role, User]
) -> None:
    _token, key = token_create(user=accounts[Role.CONTRIBUTOR], name="script")
    url = f"{ITEMS}/{library['draft'].slug}"

    assert Client().get(url, **_bearer(key)).status_code == 200
    _error(Client().get(url), 404, "unknown-item")
    _error(Client().get(url, **_bearer("egov_wrong")), 401, "unauthorised")


@pytest.mark.django_db
def test_keys_are_not_sign_ins_for_axes(countries: None, accounts: dict[Role, User]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    _token, key = token_create(user=accounts[Role.CONTRIBUTOR], name="script")
    for _ in range(10):
        _error(_new_item(Client(), **_bearer("egov_guess")), 401, "unauthorised")

    assert _new_item(Client(), **_bearer(key)).status_code == 201
    assert AccessAttempt.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0


# --- browser session ---------------------------------------------------------------------------


def _with_csrf(client: Client) -> dict[str, str]:
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    return {"HTTP_X_CSRFTOKEN": secret}


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(countries: None, accounts: dict[Role, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts[Role.CONTRIBUTOR])

    (issue,) = _error(_new_item(client), 403, "csrf-failed")
    assert issue["field"] == "X-CSRFToken"
    assert not Item.objects.exists()

    response = _new_item(client, **_with_csrf(client))
    assert response.status_code == 201, response.content
    assert Item.objects.get().created_by == accounts[Role.CONTRIBUTOR]


@pytest.mark.django_db
def test_session_reads_need_no_csrf_token(
    library: dict[str, Item], accounts: dict[Role, User]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts[Role.CONTRIBUTOR])

    assert client.get(f"{ITEMS}/{library['draft'].slug}").status_code == 200


@pytest.mark.django_db
def test_anonymous_write_is_401_even_without_csrf(countries: None) -> None:
    client = Client(enforce_csrf_checks=True)

    _error(_new_item(client), 401, "unauthorised")


@pytest.mark.django_db
def test_disabled_account_session_is_401(countries: None, accounts: dict[Role, User]) -> None:
    client = Client()
    client.force_login(accounts[Role.CONTRIBUTOR])
    User.objects.filter(pk=accounts[Role.CONTRIBUTOR].pk).update(is_active=False)

    _error(_new_item(client), 401, "unauthorised")
    assert not Item.objects.exists()


# --- the OpenAPI document ----------------------------------------------------------------------


def test_every_knowledge_operation_is_documented(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        if path.startswith("/api/v1/knowledge/")
        for method, operation in methods.items()
    ]

    assert len(operations) >= 12
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {"type": "http", "scheme": "bearer"}
    assert schemes["BrowserSession"]["in"] == "cookie"
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert operation["summary"], where
        assert operation["description"], where
        assert operation["tags"] == ["Knowledge base"], where
        responses = set(operation["responses"])
        if method == "get":
            assert {"200", "404"} <= responses, where
            assert {} in operation["security"], where
        else:
            assert {"401", "403", "404", "422"} <= responses, where
            assert responses & {"200", "201", "204"}, where
            assert {"ApiKey": []} in operation["security"], where
            assert {} not in operation["security"], where
        for status in responses - {"200", "201", "204"}:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, where


# --- workshops and projects --------------------------------------------------------------------


@pytest.fixture
def cooperation(library: dict[str, Item], accounts: dict[Role, User]) -> dict[str, Any]:
    """A workshop whose first output is delivered by the published Korea study and by the
    draft, and two projects, one of them running the workshop."""
    from egov.web.knowledge.services import projects, workshops

    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(
        data=workshops.WorkshopInput(
            title="E-Government: From Policy to Practice",
            year=2012,
            organisers=["E-Government Branch, DPADM/UN DESA"],
            status="held",
            sessions=[
                workshops.SessionInput(order=0, title="UN E-Government Survey 2012 findings"),
                workshops.SessionInput(order=1, title="Policies and strategies for results"),
            ],
            participants=[workshops.ParticipantInput("Ministry of Interior", "KOR", "CIOs")],
            expected_outputs=[
                workshops.OutputInput(1, "Presentations added to UNPACS", ["presentation"]),
                workshops.OutputInput(2, "A compendium of best practices", ["case_study"]),
            ],
        ),
        actor=editor,
    )
    output = workshop.expected_outputs.get(order=1)
    for item in (library["korea"], library["draft"]):
        workshops.expected_output_deliver(output=output, item=item, actor=editor)
    colombia = projects.project_create(
        data=projects.ProjectInput(
            country="COL",
            title="Centre for Innovation on E-Government Development",
            purpose="Support for the National Development Plan and e-Gov. Strategy",
            status="implementing",
            start_year=2013,
            budget_amount=Decimal("800000"),
            budget_currency="USD",
            budget_per="year",
            workshops=[workshop.slug],
            milestones=[projects.MilestoneInput("Dec 2012", "Workshop on best practices")],
        ),
        actor=editor,
    )
    qatar = projects.project_create(
        data=projects.ProjectInput(
            country="QAT",
            title="E-government support and capacity building",
            purpose="Provide e-Government support and capacity building",
            status="signed",
            start_year=2013,
        ),
        actor=editor,
    )
    return {"workshop": workshop, "colombia": colombia, "qatar": qatar}


@pytest.mark.django_db
def test_workshop_detail_lists_what_the_caller_may_see(
    cooperation: dict[str, Any],
    library: dict[str, Item],
    client: Client,
    accounts: dict[Role, User],
) -> None:
    slug = cooperation["workshop"].slug

    listed = client.get("/api/v1/knowledge/workshops").json()
    shown = client.get(f"/api/v1/knowledge/workshops/{slug}").json()
    client.force_login(accounts[Role.EDITOR])
    shown_to_editor = client.get(f"/api/v1/knowledge/workshops/{slug}").json()

    assert [
        (w["slug"], w["session_count"], w["output_count"], w["delivered_count"]) for w in listed
    ] == [(slug, 2, 2, 1)]
    assert [s["order"] for s in shown["sessions"]] == [0, 1]
    assert shown["participants"] == [
        {"organisation": "Ministry of Interior", "country": "KOR", "category": "CIOs"}
    ]
    first = shown["expected_outputs"][0]
    assert (first["status"], first["target_types"]) == ("delivered", ["presentation"])
    assert [i["slug"] for i in first["delivered_items"]] == [library["korea"].slug]
    assert {i["slug"] for i in shown_to_editor["expected_outputs"][0]["delivered_items"]} == {
        library["korea"].slug,
        library["draft"].slug,
    }
    assert shown["projects"] == [
        {
            "slug": cooperation["colombia"].slug,
            "title": cooperation["colombia"].title,
            "country": "COL",
        }
    ]
    _error(client.get("/api/v1/knowledge/workshops/no-such-workshop"), 404, "unknown-workshop")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["colombia", "qatar"]),
        ("?country=col", ["colombia"]),
        ("?status=signed", ["qatar"]),
        ("?country=QAT&status=implementing", []),
    ],
)
def test_project_list_filters(
    cooperation: dict[str, Any], client: Client, query: str, expected: list[str]
) -> None:
    response = client.get(f"/api/v1/knowledge/projects{query}")

    assert response.status_code == 200
    assert [p["slug"] for p in response.json()] == [cooperation[name].slug for name in expected]


@pytest.mark.django_db
def test_project_detail(cooperation: dict[str, Any], client: Client) -> None:
    project = client.get(f"/api/v1/knowledge/projects/{cooperation['colombia'].slug}").json()

    assert (project["country"], project["country_name"], project["status"]) == (
        "COL",
        "Colombia",
        "implementing",
    )
    assert (project["budget_amount"], project["budget_currency"], project["budget_per"]) == (
        "800000.00",
        "USD",
        "year",
    )
    assert [m["when"] for m in project["milestones"]] == ["Dec 2012"]
    assert [w["slug"] for w in project["workshops"]] == [cooperation["workshop"].slug]


@pytest.mark.django_db
def test_project_filter_errors(cooperation: dict[str, Any], client: Client) -> None:
    (issue,) = _error(client.get("/api/v1/knowledge/projects?country=XXX"), 400, "unknown-country")
    assert (issue["field"], issue["value"]) == ("country", "XXX")
    (issue,) = _error(
        client.get("/api/v1/knowledge/projects?status=finished"), 422, "invalid-parameters"
    )
    assert issue["field"] == "status"


@pytest.mark.django_db
def test_invalid_project_reports_every_field(countries: None, client_as: Any) -> None:
    body = {"country": "XXX", "title": "", "purpose": "", "status": "done", "start_year": 1900}

    response = client_as(Role.EDITOR).post(
        "/api/v1/knowledge/projects", body, content_type="application/json"
    )

    errors = _error(response, 422, "invalid-project")
    assert {(e["file"], e["field"], e["code"]) for e in errors} >= {
        ("project", "country", "unknown-country"),
        ("project", "title", "required"),
        ("project", "purpose", "required"),
        ("project", "status", "unknown-status"),
        ("project", "start_year", "out-of-range"),
    }


@pytest.mark.django_db
def test_project_detail_shows_scope_funder_and_the_assessments_the_caller_may_see(
    countries: None, accounts: dict[Role, User], client: Client
) -> None:
    from egov.web.knowledge.services import projects

    focal = accounts[Role.CONTRIBUTOR]
    published = meter_assessment(focal, "COL", "Colombia 2026", published=True)
    draft = meter_assessment(focal, "COL", "Colombia 2027")
    made = projects.project_create(
        data=projects.ProjectInput(
            country="COL",
            title="Centre for Innovation on E-Government Development",
            purpose="Integrate the National Development Plan with the e-government plan.",
            status="implementing",
            start_year=2014,
            scope=["local", "national", "regional", "international"],
            budget_amount=Decimal("800000"),
            budget_currency="USD",
            budget_per="year",
            budget_funded_by="MINTIC",
            meter_assessments=[published.pk, draft.pk],
        ),
        actor=accounts[Role.EDITOR],
    )
    url = f"/api/v1/knowledge/projects/{made.slug}"

    shown = client.get(url).json()
    client.force_login(focal)
    shown_to_focal = client.get(url).json()

    assert shown["scope"] == ["local", "national", "regional", "international"]
    assert shown["budget_funded_by"] == "MINTIC"
    [assessment] = shown["meter_assessments"]
    assert assessment == {
        "id": published.pk,
        "country": "COL",
        "title": "Colombia 2026",
        "state": "published",
        "published_at": assessment["published_at"],
        "results_url": f"http://testserver/meter/{published.pk}/results/",
    }
    assert assessment["published_at"] is not None
    assert [(a["id"], a["state"]) for a in shown_to_focal["meter_assessments"]] == [
        (draft.pk, "draft"),
        (published.pk, "published"),
    ]


@pytest.mark.django_db
def test_a_project_is_recorded_with_scope_funder_and_assessments_of_its_country(
    countries: None, accounts: dict[Role, User], client_as: Any
) -> None:
    focal = accounts[Role.CONTRIBUTOR]
    bahamas = meter_assessment(focal, "BHS", "The Bahamas 2026", published=True)
    panama = meter_assessment(focal, "PAN", "Panama 2026", published=True)
    body = {
        "country": "BHS",
        "title": "Project Formulation Mission",
        "purpose": "Project Formulation Mission METER Workshop",
        "status": "document_approved",
        "start_year": 2013,
        "end_year": 2014,
        "scope": ["national"],
        "budget_amount": "120000",
        "budget_currency": "USD",
        "budget_per": "total",
        "budget_funded_by": "UNDP",
    }
    editor = client_as(Role.EDITOR)

    refused = editor.post(
        "/api/v1/knowledge/projects",
        {**body, "meter_assessments": [bahamas.pk, panama.pk]},
        content_type="application/json",
    )
    made = editor.post(
        "/api/v1/knowledge/projects",
        {**body, "meter_assessments": [bahamas.pk]},
        content_type="application/json",
    )

    (issue,) = _error(refused, 422, "invalid-project")
    assert (issue["file"], issue["field"], issue["code"], issue["value"]) == (
        "project",
        "meter_assessments",
        "other-country",
        str(panama.pk),
    )
    assert made.status_code == 201, made.content
    project = made.json()
    assert (project["scope"], project["budget_funded_by"]) == (["national"], "UNDP")
    assert [a["id"] for a in project["meter_assessments"]] == [bahamas.pk]
    entry = AuditEntry.objects.get(action="project.create")
    assert entry.after is not None
    assert entry.after["meter_assessments"] == [bahamas.pk]


@pytest.mark.django_db
def test_a_workshop_is_recorded_and_read_with_its_format_kind(
    countries: None, client_as: Any
) -> None:
    editor = client_as(Role.EDITOR)

    made = editor.post(
        "/api/v1/knowledge/workshops",
        {
            "title": "Regional e-Government workshop",
            "year": 2014,
            "format_kind": "roundtable",
            "chair": "A Chairperson keeps the flow.",
        },
        content_type="application/json",
    )
    too_long = editor.post(
        "/api/v1/knowledge/workshops",
        {"title": "Another workshop", "year": 2014, "format_kind": "x" * 101},
        content_type="application/json",
    )

    assert made.status_code == 201, made.content
    assert made.json()["format_kind"] == "roundtable"
    shown = client_as(Role.READER).get(f"/api/v1/knowledge/workshops/{made.json()['slug']}")
    assert (shown.json()["format_kind"], shown.json()["chair"]) == (
        "roundtable",
        "A Chairperson keeps the flow.",
    )
    (issue,) = _error(too_long, 422, "invalid-workshop")
    assert (issue["field"], issue["code"]) == ("format_kind", "too-long")


# --- programmes --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_programme_progress_per_step_and_actor(
    countries: None, accounts: dict[Role, User], client: Client
) -> None:
    from egov.web.knowledge.services.programmes import ProgrammeInput, programme_create

    editor = Client()
    editor.force_login(accounts[Role.EDITOR])
    made = programme_create(
        data=ProgrammeInput(country="KAZ", title="Digital Kazakhstan"), actor=accounts[Role.EDITOR]
    )
    url = f"/api/v1/knowledge/programmes/{made.slug}"
    steps = [
        {"action": "start", "step": 1, "on": "2013-01-15", "lead_actor": "ministries_agencies",
         "participating_actors": ["business"]},
        {"action": "complete", "step": 1, "on": "2013-03-01"},
        {"action": "start", "step": 2, "on": "2013-03-02", "lead_actor": "business"},
    ]  # fmt: skip
    for body in steps:
        response = editor.post(f"{url}/steps", body, content_type="application/json")
        assert response.status_code == 200, response.content

    (listed,) = client.get("/api/v1/knowledge/programmes").json()
    shown = client.get(url).json()

    assert (listed["slug"], listed["completed"], listed["share"], listed["open_step"]) == (
        made.slug,
        1,
        0.1,
        2,
    )
    assert (shown["completed"], shown["open_step"], shown["next_step"]) == ([1], 2, None)
    first, second = shown["steps"][:2]
    assert (first["state"], first["record"]["completed"], first["outside_matrix"]) == (
        "completed",
        "2013-03-01",
        [],
    )
    assert (second["state"], second["outside_matrix"]) == ("started", ["business"])
    business = next(actor for actor in shown["actors"] if actor["code"] == "business")
    assert (business["steps"], business["counted"], business["share"]) == ([1, 3, 5, 9], [1], 0.25)

    response = editor.post(
        f"{url}/steps",
        {"action": "start", "step": 4, "on": "2013-04-01", "lead_actor": "nobody"},
        content_type="application/json",
    )
    errors = _error(response, 422, "invalid-programme")
    assert {(e["field"], e["code"]) for e in errors} == {
        ("step", "previous-incomplete"),
        ("lead_actor", "unknown-actor"),
    }
    _error(client.get("/api/v1/knowledge/programmes/no-such"), 404, "unknown-programme")
