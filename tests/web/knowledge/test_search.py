"""Full-text search of knowledge items (``egov.web.knowledge.search``) on whichever database the
suite runs on: the index follows the editorial workflow, facets count the usual way, snippets
are escaped, hostile queries are only text, relevance puts the right item first; and the page.

Items are written through the item services (``_item_create``, ``item_transition``), the path
every real item takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from tests.web.conftest import PASSWORD

from egov.web.accounts.roles import Role
from egov.web.accounts.services import user_create
from egov.web.knowledge import search
from egov.web.knowledge.models import Item
from egov.web.knowledge.search import SearchResult, search_items
from egov.web.knowledge.services.items import ItemInput, _item_create, item_transition

Publish = Callable[..., Item]

KOREA = ItemInput(
    type="case_study",
    title="Korea's path to smart government",
    summary="How the Republic of Korea moved from e-government to smart government: mobile "
    "services, a single window and data shared across ministries.",
    body_md="## From e-government to smart government\n\nAfter leading the **UN E-Government "
    "Survey** in 2010 and 2012, Korea turned to mobile and smart services.\n\n- one portal\n"
    "- public data opened to citizens",
    countries=["KOR"],
    themes=["smart_government"],
    meter_tags=["C2"],
    stage_tags=["connected"],
    year=2012,
    source_organisation="Ministry of Public Administration and Security",
)
KAZAKHSTAN = ItemInput(
    type="policy_or_strategy",
    title="Kazakhstan's e-government roadmap",
    summary="The stages of Kazakhstan's national e-government programme, from the portal to "
    "transactional services.",
    body_md="The roadmap sets the portal, the payment gateway and e-licensing in order.",
    countries=["KAZ"],
    themes=["implementation"],
    meter_tags=["C1"],
    stage_tags=["transactional"],
    year=2013,
    language="ru",
)
COLOMBIA = ItemInput(
    type="good_practice",
    title="Colombia's centre for innovation in e-government",
    summary="An observatory and laboratory of public innovation for the region, with the "
    "ministry of information technologies.",
    body_md="The centre tests new digital services with citizens before they are scaled.",
    countries=["COL"],
    themes=["open_data"],
    meter_tags=["C"],
    year=2013,
)
AFGHANISTAN = ItemInput(
    type="training_material",
    title="Training chief information officers with Afghanistan",
    summary="A CIO training cycle on e-government strategy, delivered with UNPOG.",
    body_md="Modules on leadership, architecture and project management for CIOs.",
    countries=["AFG"],
    themes=["capacity_building"],
    year=2013,
)


@pytest.fixture
def editor(countries: None) -> User:
    return user_create(username="editor", password=PASSWORD, role=Role.EDITOR)


@pytest.fixture
def publish(editor: User) -> Publish:
    """Write ``data`` as a draft and take it through review to published."""

    def make(data: ItemInput, *, status: str = "published") -> Item:
        item = _item_create(data=data, actor=editor)
        if status in ("in_review", "published"):
            item = item_transition(item=item, action="submit", actor=editor)
        if status == "published":
            item = item_transition(item=item, action="publish", actor=editor)
        return item

    return make


@pytest.fixture
def library(publish: Publish) -> dict[str, Item]:
    return {
        "korea": publish(KOREA),
        "kazakhstan": publish(KAZAKHSTAN),
        "colombia": publish(COLOMBIA),
        "afghanistan": publish(AFGHANISTAN),
    }


def _find(query: str = "", **filters: list[str]) -> SearchResult:
    return search_items(query=query, filters=filters)


def _slugs(result: SearchResult) -> list[str]:
    return [hit.slug for hit in result.hits]


def _counts(result: SearchResult, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[facet]}


# --- the index follows the workflow -----------------------------------------------------------


@pytest.mark.django_db
def test_only_published_items_are_found_and_withdrawing_removes_one(
    publish: Publish, editor: User
) -> None:
    draft = publish(replace(KOREA, title="Korea draft on smart cities"), status="draft")
    in_review = publish(replace(KOREA, title="Korea smart cities under review"), status="in_review")
    assert _find("smart cities").total == 0

    published = item_transition(item=in_review, action="publish", actor=editor)
    assert _slugs(_find("smart cities")) == [published.slug]
    assert draft.slug not in _slugs(_find("korea"))

    item_transition(item=published, action="withdraw", actor=editor, note="outdated")
    result = _find("smart cities")
    assert (result.total, result.hits) == (0, [])
    assert _find().total == 0


@pytest.mark.django_db
def test_an_edit_of_a_published_item_is_searchable_at_once(
    library: dict[str, Item], editor: User
) -> None:
    from egov.web.knowledge.services.items import _item_update, item_input

    korea = library["korea"]
    data = replace(item_input(korea), title="Korea's chatbot for public services")
    _item_update(item=korea, data=data, actor=editor)

    assert _slugs(_find("chatbot")) == [korea.slug]
    assert korea.slug not in _slugs(_find("path"))


@pytest.mark.django_db
def test_reindex_all_rebuilds_the_same_index(library: dict[str, Item]) -> None:
    before = [(_slugs(_find(q)), _find(q).total) for q in ("government", "korea", "training")]

    assert search.reindex_all() == 4

    assert [(_slugs(_find(q)), _find(q).total) for q in ("government", "korea", "training")] == (
        before
    )


# --- facets -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facets_count_every_published_item_without_a_query(library: dict[str, Item]) -> None:
    result = _find()

    assert result.total == 4
    assert _counts(result, "type") == {
        "case_study": 1,
        "policy_or_strategy": 1,
        "good_practice": 1,
        "training_material": 1,
    }
    assert _counts(result, "year") == {"2013": 3, "2012": 1}
    assert _counts(result, "language") == {"en": 3, "ru": 1}
    assert _counts(result, "region") == {"Asia": 3, "Americas": 1}
    assert _counts(result, "stage") == {"connected": 1, "transactional": 1}
    korea = next(value for value in result.facets["country"] if value.value == "KOR")
    assert (korea.count, korea.selected) == (1, False)
    assert korea.label  # the country's name, not its code
    assert [value.value for value in result.facets["year"]] == ["2013", "2012"]


@pytest.mark.django_db
def test_a_facet_selection_narrows_the_other_facets_but_not_its_own(
    library: dict[str, Item],
) -> None:
    result = _find(region=["Asia"])

    assert result.total == 3
    assert _counts(result, "region") == {"Asia": 3, "Americas": 1}  # a second region can be picked
    assert _counts(result, "country") == {"KOR": 1, "KAZ": 1, "AFG": 1}
    assert _counts(result, "year") == {"2013": 2, "2012": 1}
    asia = next(value for value in result.facets["region"] if value.value == "Asia")
    assert asia.selected


@pytest.mark.django_db
def test_values_of_one_facet_are_ored_and_facets_anded(library: dict[str, Item]) -> None:
    either = _find(country=["KOR", "COL"])
    assert sorted(_slugs(either)) == sorted([library["korea"].slug, library["colombia"].slug])

    both = _find(country=["KOR", "COL"], year=["2013"])
    assert _slugs(both) == [library["colombia"].slug]
    # year's counts ignore the year filter, country's ignore the country filter
    assert _counts(both, "year") == {"2012": 1, "2013": 1}
    assert _counts(both, "country") == {"COL": 1, "KAZ": 1, "AFG": 1, "KOR": 0}  # KOR selected


@pytest.mark.django_db
def test_facets_are_counted_over_the_matches_of_the_query(library: dict[str, Item]) -> None:
    result = _find("e-government", year=["2013"])

    assert result.total == 3
    assert _counts(result, "year") == {"2012": 1, "2013": 3}
    assert _counts(result, "type") == {
        "policy_or_strategy": 1,
        "good_practice": 1,
        "training_material": 1,
    }


@pytest.mark.django_db
def test_a_meter_sub_theme_counts_for_its_pillar(library: dict[str, Item]) -> None:
    result = _find()
    assert _counts(result, "meter") == {"C": 3, "C1": 1, "C2": 1}
    assert [value.value for value in result.facets["meter"]] == ["C", "C1", "C2"]

    pillar = _find(meter=["C"])
    assert pillar.total == 3
    assert library["afghanistan"].slug not in _slugs(pillar)
    assert _slugs(_find(meter=["C2"])) == [library["korea"].slug]


@pytest.mark.django_db
def test_a_selected_value_without_items_is_still_listed(library: dict[str, Item]) -> None:
    result = _find("korea", country=["COL"])

    assert result.total == 0
    colombia = next(value for value in result.facets["country"] if value.value == "COL")
    assert (colombia.count, colombia.selected) == (0, True)
    assert _counts(result, "country")["KOR"] == 1


# --- snippets ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_snippets_mark_the_words_found(library: dict[str, Item]) -> None:
    hit = _find("mobile services").hits[0]

    assert hit.slug == library["korea"].slug
    assert "<mark>mobile</mark>" in hit.snippet
    assert "<mark>services</mark>" in hit.snippet


@pytest.mark.django_db
def test_markup_in_an_item_is_shown_as_text(publish: Publish) -> None:
    publish(
        replace(
            KOREA,
            title='<script>alert("x")</script> Open data portal',
            summary="<img src=x onerror=alert(1)> The open data portal & its <b>users</b>.",
            body_md="",
        )
    )

    hit = _find("open data").hits[0]

    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in hit.title_html
    assert "<mark>Open</mark>" in hit.title_html
    assert "<img" not in hit.snippet
    assert "<b>" not in hit.snippet
    assert "onerror=alert(1)&gt;" in hit.snippet
    assert "&amp; its &lt;b&gt;users&lt;/b&gt;" in hit.snippet
    assert "<mark>open</mark>" in hit.snippet


def test_unbalanced_markers_are_closed_or_dropped() -> None:
    assert search.marked("a \x02b & c") == "a <mark>b &amp; c</mark>"
    assert search.marked("a\x03 <b>") == "a &lt;b&gt;"


# --- hostile queries --------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "korea*",
    "NEAR",
    "NEAR(korea smart)",
    "korea NEAR smart",
    "AND OR NOT",
    "korea AND",
    "OR korea",
    "NOT korea",
    "(korea",
    "korea)",
    "((()))",
    "title:korea",
    ":",
    "-",
    "--korea",
    "-korea",
    "- -",
    "korea -",
    '"korea',
    'smart "',
    "korea & | ! <-> :* \\",
    "'korea':* & !smart",
    "e-government’s Côte d’Ivoire",
    "한국 전자정부",
    "الحكومة الإلكترونية",
    "электронное правительство",
    "智慧政府",
    "abcабв",
    "\x00\x01\x02\x03",
    "\u202egovernment",
    "%_%",
    "'; DROP TABLE knowledge_item; --",
    "korea " * 200,
    "x" * 1000,
    "a " * 500,
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_text_and_never_raise(library: dict[str, Item], query: str) -> None:
    for sort in ("relevance", "year"):
        result = search_items(query=query, filters={"country": ["KOR"]}, sort=sort)
        assert result.total == len(result.hits) <= 1
        assert search_items(query=query, filters={}).total <= 4
    assert Item.objects.count() == 4


@pytest.mark.django_db
def test_operators_in_queries_are_words(library: dict[str, Item]) -> None:
    assert _slugs(_find("korea -smart")) == []
    assert _slugs(_find("NOT korea")) == [library["korea"].slug]  # "not" is just a word
    assert _slugs(_find("-korea -kazakhstan -colombia")) == [library["afghanistan"].slug]
    either = _find("korea or colombia")
    assert sorted(_slugs(either)) == sorted([library["korea"].slug, library["colombia"].slug])


# --- relevance --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_like_queries_find_their_case_first(library: dict[str, Item]) -> None:
    assert _slugs(_find("Korea smart government"))[0] == library["korea"].slug
    assert _slugs(_find("Kazakhstan roadmap"))[0] == library["kazakhstan"].slug
    assert _slugs(_find("Colombia innovation centre"))[0] == library["colombia"].slug
    assert _slugs(_find("CIO training Afghanistan"))[0] == library["afghanistan"].slug
    assert _slugs(_find("observatory"))[0] == library["colombia"].slug


@pytest.mark.django_db
def test_a_title_match_outranks_a_body_only_match(publish: Publish) -> None:
    body_only = publish(
        ItemInput(
            type="analytical_paper",
            title="National portals in small island States",
            summary="What twelve portals offer their citizens.",
            body_md="Some portals add interoperability layers between registries.",
            year=2014,
        )
    )
    in_title = publish(
        ItemInput(
            type="analytical_paper",
            title="Interoperability frameworks for registries",
            summary="How governments connect their base registries.",
            body_md="Frameworks, standards and the agencies that keep them.",
            year=2010,
        )
    )

    assert _slugs(_find("interoperability")) == [in_title.slug, body_only.slug]


@pytest.mark.django_db
def test_an_exact_phrase_outranks_the_same_words_scattered(publish: Publish) -> None:
    scattered = publish(
        ItemInput(
            type="lesson_learned",
            title="Lessons from coordination reforms",
            summary="Whole agencies merged while the government kept its service levels.",
            year=2015,
        )
    )
    phrase = publish(
        ItemInput(
            type="lesson_learned",
            title="Lessons from coordination reforms",
            summary="A whole of government approach kept the agencies' service levels.",
            year=2011,
        )
    )

    assert _slugs(_find("whole of government")) == [phrase.slug, scattered.slug]
    assert _slugs(_find('"whole of government"')) == [phrase.slug]


@pytest.mark.django_db
def test_equal_scores_go_newest_first_then_by_title(publish: Publish) -> None:
    def note(title: str, year: int) -> Item:
        return publish(
            ItemInput(
                type="lesson_learned", title=title, summary="Notes.", body_md="A quokka.", year=year
            )
        )

    beta, alpha, gamma = note("Beta note", 2012), note("Alpha note", 2012), note("Gamma note", 2014)

    result = _find("quokka ")
    assert len({hit.score for hit in result.hits}) == 1  # the same words, the same lengths
    assert _slugs(result) == [gamma.slug, alpha.slug, beta.slug]


@pytest.mark.django_db
def test_the_word_being_typed_matches_as_a_prefix(library: dict[str, Item]) -> None:
    assert _slugs(_find("kaz")) == [library["kazakhstan"].slug]
    assert _slugs(_find("smart govern"))[0] == library["korea"].slug
    # past the stem ("governm" is not a prefix of the stem "govern"): still found
    assert _slugs(_find("smart governm"))[0] == library["korea"].slug
    assert _find("kaz ").total == 0  # a finished word is a word


@pytest.mark.django_db
def test_context_words_find_an_item(library: dict[str, Item]) -> None:
    # the country's name and the source organisation are indexed with the item
    assert _slugs(_find("Republic of Korea")) == [library["korea"].slug]
    assert _slugs(_find("ministry public administration security")) == [library["korea"].slug]


@pytest.mark.django_db
def test_year_sort_and_empty_query_list_newest_first_then_title(library: dict[str, Item]) -> None:
    of_2013 = sorted(
        (library[name].title, library[name].slug)
        for name in ("colombia", "kazakhstan", "afghanistan")
    )
    expected = [slug for _title, slug in of_2013] + [library["korea"].slug]

    assert _slugs(_find()) == expected
    # all four say "e-government": by year, they come in the same order
    assert _slugs(search_items(query="e-government", filters={}, sort="year")) == expected


# --- pagination -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_split_the_results(publish: Publish) -> None:
    for n in range(23):
        publish(
            ItemInput(
                type="good_practice",
                title=f"Digital identity practice {n:02d}",
                summary="A digital identity scheme and what it made possible.",
                year=2000 + n,
            )
        )

    first = search_items(query="digital identity", filters={}, per_page=10)
    third = search_items(query="digital identity", filters={}, page=3, per_page=10)
    beyond = search_items(query="digital identity", filters={}, page=99, per_page=10)

    assert (first.total, first.pages, len(first.hits)) == (23, 3, 10)
    assert (third.page, len(third.hits)) == (3, 3)
    assert beyond.page == 3
    everything = search_items(query="digital identity", filters={}, per_page=100)
    pages = [
        search_items(query="digital identity", filters={}, page=n, per_page=10) for n in (1, 2, 3)
    ]
    assert [hit.slug for page in pages for hit in page.hits] == _slugs(everything)


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_lists_results_with_facets_and_keeps_the_state_in_the_url(
    library: dict[str, Item], client: Client
) -> None:
    url = reverse("knowledge:search")
    response = client.get(url, {"q": "e-government", "region": "Asia"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="q" id="search-q" value="e-government"' in page
    assert 'name="region" value="Asia" checked' in page
    assert "Kazakhstan&#x27;s <mark>e" in page
    assert "</mark> roadmap" in page
    assert "centre for innovation" not in page  # Colombia is in the Americas
    assert "Kazakhstan</span>" in page  # the country facet's label


@pytest.mark.django_db
def test_the_page_escapes_item_text(publish: Publish, client: Client) -> None:
    publish(replace(KOREA, title="<script>alert(1)</script> Open data", summary="Open data."))

    page = client.get(reverse("knowledge:search"), {"q": "open"}).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_htmx_gets_the_results_alone(library: dict[str, Item], client: Client) -> None:
    response = client.get(reverse("knowledge:search"), {"q": "korea"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="search-results"' in page
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?page=x&sort=nonsense&per_page=-1", "?q=%22&year=abc"])
def test_the_page_accepts_any_parameters(
    library: dict[str, Item], client: Client, query: str
) -> None:
    assert client.get(reverse("knowledge:search") + query).status_code == 200
