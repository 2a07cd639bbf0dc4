"""The country profile's "Knowledge and cooperation" and "Learn from peers" sections, on the 12
published editions (the EGDI groups of 2024 decide who is a peer)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from egov.web.accounts.roles import Role
from egov.web.knowledge.models import Item
from egov.web.knowledge.services.items import ItemInput, _item_create, item_transition
from egov.web.knowledge.services.programmes import ProgrammeInput, programme_create
from egov.web.knowledge.services.projects import ProjectInput, _project_create
from egov.web.knowledge.services.workshops import ParticipantInput, WorkshopInput, _workshop_create

pytestmark = pytest.mark.django_db

#: What the section may cost: the country's items, projects, workshops and programmes, and the
#: peers' items on its themes (the latest ranking comes with the profile).
KNOWLEDGE_QUERIES = 5


def _item(
    editor: User,
    title: str,
    *,
    countries: Sequence[str],
    type: str,
    year: int,
    language: str = "en",
    themes: Sequence[str] = ("capacity_building",),
) -> Item:
    item = _item_create(
        data=ItemInput(
            type=type,
            title=title,
            summary=f"What {title} teaches.",
            countries=countries,
            themes=themes,
            year=year,
            language=language,
        ),
        actor=editor,
    )
    item_transition(item=item, action="submit", actor=editor)
    return item_transition(item=item, action="publish", actor=editor)


@pytest.fixture
def afghanistan(imported: list[Path], accounts: dict[Role, User]) -> None:
    """Afghanistan (Asia, Low in 2024) with a training item, a project, a workshop and a
    programme of its own, and the items of its peers and of others on the same theme."""
    editor = accounts[Role.EDITOR]
    recent = timezone.now().year - 1
    _item(
        editor,
        "Afghanistan's CIO training",
        countries=["AFG"],
        type=Item.Type.TRAINING_MATERIAL,
        year=2013,
    )
    _project_create(
        data=ProjectInput(
            country="AFG",
            title="Capacity for the CIO office",
            purpose="Train chief information officers.",
            status="implementing",
            start_year=2013,
            end_year=2014,
        ),
        actor=editor,
    )
    _workshop_create(
        data=WorkshopInput(
            title="Regional CIO workshop",
            year=2013,
            place="Incheon",
            participants=[ParticipantInput("Ministry of Communications", country="AFG")],
        ),
        actor=editor,
    )
    programme_create(data=ProgrammeInput(country="AFG", title="Connected services"), actor=editor)
    # Korea: Asia and Very high, recent, English: 2 + 2 + 1 + 1.
    _item(
        editor, "Korean CIO academy", countries=["KOR"], type=Item.Type.GOOD_PRACTICE, year=recent
    )
    # India: Asia and High, 2012, French: 2 + 2.
    _item(
        editor,
        "Indian e-skills",
        countries=["IND"],
        type=Item.Type.CASE_STUDY,
        year=2012,
        language="fr",
    )
    # Denmark: Europe but Very high, recent, French: 2 + 1; Colombia: Very high, 2012,
    # English: 2 + 1; the same score, the later year first.
    _item(
        editor,
        "Danish digital skills",
        countries=["DNK"],
        type=Item.Type.LESSON_LEARNED,
        year=recent,
        language="fr",
    )
    _item(
        editor,
        "Colombian training policy",
        countries=["COL"],
        type=Item.Type.POLICY_OR_STRATEGY,
        year=2012,
    )
    # Not suggested: South Sudan is in Africa and in the Low group; Korea's other case is on
    # no shared theme; an analytical paper is not a type to learn from.
    _item(
        editor, "South Sudan's training", countries=["SSD"], type=Item.Type.CASE_STUDY, year=recent
    )
    _item(
        editor,
        "Korea's open data",
        countries=["KOR"],
        type=Item.Type.CASE_STUDY,
        year=recent,
        themes=["open_data"],
    )
    _item(
        editor,
        "Korea's training slides",
        countries=["KOR"],
        type=Item.Type.ANALYTICAL_PAPER,
        year=recent,
    )


def _between(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at : page.index(end, at)]


def test_the_section_lists_the_countrys_items_and_projects_and_its_peers_items(
    afghanistan: None, client: Client
) -> None:
    page = client.get("/countries/AFG/").content.decode()

    section = _between(page, 'id="country-knowledge"', "</section>")
    assert "Knowledge and cooperation" in section
    own = Item.objects.get(title="Afghanistan's CIO training")
    assert f'<a href="{reverse("knowledge:item", kwargs={"slug": own.slug})}">' in section
    assert "Afghanistan&#x27;s CIO training" in section
    projects = _between(section, 'id="country-projects"', "</table>")
    assert "Capacity for the CIO office" in projects
    assert (
        reverse("knowledge:project", kwargs={"slug": "afg-capacity-for-the-cio-office"}) in projects
    )
    assert "2013–2014" in projects
    assert "Implementing" in projects
    workshops = _between(section, 'id="country-workshops"', "</ul>")
    assert "Regional CIO workshop" in workshops
    assert "2013, Incheon" in workshops
    programmes = _between(section, 'id="country-programmes"', "</ul>")
    assert "Connected services" in programmes
    assert "Korean CIO academy" not in section

    peers = _between(page, 'id="peer-suggestions"', "</ol>")
    titles = [chunk.split("</a>")[0].split(">")[-1] for chunk in peers.split("<li ")[1:]]
    assert titles == [
        "Korean CIO academy",
        "Indian e-skills",
        "Danish digital skills",
        "Colombian training policy",
    ]
    assert [chunk.split('data-score="')[1].split('"')[0] for chunk in peers.split("<li ")[1:]] == [
        "6",
        "4",
        "3",
        "3",
    ]
    korea = peers.split("<li ")[1]
    assert "Republic of Korea" in korea
    assert "same region, country in a higher EGDI group, recent, in your language" in korea


def test_a_country_without_knowledge_shows_the_empty_state_and_a_search_link(
    afghanistan: None, client: Client
) -> None:
    page = client.get("/countries/NGA/").content.decode()

    section = _between(page, 'id="country-knowledge"', "</section>")
    assert 'id="country-knowledge-empty"' in section
    assert f'href="{reverse("knowledge:search")}"' in section
    # Nigeria (Africa, Middle in 2024): South Sudan's item is from its region, the others from
    # countries of higher groups; with no item of its own there is no theme to keep to.
    peers = _between(page, 'id="peer-suggestions"', "</ol>")
    for title in ("Korean CIO academy", "Korea&#x27;s open data", "South Sudan&#x27;s training"):
        assert title in peers
    assert "Korea&#x27;s training slides" not in peers
    assert "Afghanistan" not in peers  # Afghanistan is in Asia and in the Low group


def test_the_section_costs_a_fixed_number_of_queries(
    afghanistan: None, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client.get("/countries/DNK/")  # builds what is kept per published version (robustness)
    counts = []
    for code in ("AFG", "KOR", "NGA"):  # with items and a project, with items, with nothing
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/countries/{code}/").status_code == 200
        counts.append(
            (
                len(queries),
                sum("knowledge_" in query["sql"] for query in queries.captured_queries),
            )
        )
    assert len(set(counts)) == 1
    assert counts[0][1] <= KNOWLEDGE_QUERIES
    with django_assert_max_num_queries(10 + KNOWLEDGE_QUERIES):
        client.get("/countries/AFG/")
