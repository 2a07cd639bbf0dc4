"""A country's knowledge and "learn from peers" (spec §5 rules 3 and 5): the scoring by known
answers without a database, then the reads on real countries with items written through the
services."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.contrib.auth.models import User
from pytest_django import DjangoAssertNumQueries

from egov.web.accounts.roles import Role
from egov.web.knowledge.models import Item
from egov.web.knowledge.selectors.peers import (
    Candidate,
    Reason,
    Standing,
    country_knowledge,
    peer_suggestions,
    rank_suggestions,
    suggestion_reasons,
    suggestion_score,
)
from egov.web.knowledge.services.items import ItemInput, _item_create, item_transition

# The scoring, pure -------------------------------------------------------------------------------

#: Kazakhstan (Asia, High) in a made-up latest edition, in 2025, read in English.
STANDING = Standing(
    iso3="KAZ",
    regions={"KAZ": "Asia", "KOR": "Asia", "AFG": "Asia", "DNK": "Europe", "COL": "Americas"},
    groups={"KAZ": "H", "KOR": "V", "AFG": "L", "DNK": "V", "COL": "H"},
    year=2025,
    language="en",
)


def _candidate(
    title: str, countries: Sequence[str], year: int | None = 2010, language: str = "fr"
) -> Candidate:
    return Candidate(
        slug=title.lower().replace(" ", "-"),
        title=title,
        type="case_study",
        year=year,
        language=language,
        countries=tuple(countries),
    )


def _scored(candidate: Candidate, standing: Standing = STANDING) -> tuple[int, list[str]]:
    reasons = suggestion_reasons(candidate, standing)
    return suggestion_score(reasons), [str(reason) for reason in reasons]


def test_same_region_counts_two() -> None:
    assert _scored(_candidate("Afghan CIO training", ["AFG"])) == (2, ["same-region"])


def test_a_country_in_a_higher_egdi_group_counts_two() -> None:
    assert _scored(_candidate("Danish portal", ["DNK"])) == (2, ["higher-group"])


def test_the_same_group_is_not_higher() -> None:
    assert _scored(_candidate("Colombian centre", ["COL"])) == (0, [])


def test_a_lower_group_in_the_same_region_counts_only_the_region() -> None:
    assert _scored(_candidate("Afghan plan", ["AFG"]))[1] == ["same-region"]


def test_recent_means_the_current_year_and_the_four_before() -> None:
    assert _scored(_candidate("a", ["COL"], year=2021)) == (1, ["recent"])
    assert _scored(_candidate("b", ["COL"], year=2025)) == (1, ["recent"])
    assert _scored(_candidate("c", ["COL"], year=2020)) == (0, [])
    assert _scored(_candidate("d", ["COL"], year=None)) == (0, [])


def test_the_readers_language_counts_one() -> None:
    assert _scored(_candidate("a", ["COL"], language="en")) == (1, ["language"])
    without = Standing(STANDING.iso3, STANDING.regions, STANDING.groups, 2025, language=None)
    assert _scored(_candidate("a", ["COL"], language="en"), without) == (0, [])


def test_every_term_together_makes_six() -> None:
    korea = _candidate("Smart government", ["KOR"], year=2024, language="en")

    assert _scored(korea) == (6, ["same-region", "higher-group", "recent", "language"])


def test_an_item_about_several_countries_takes_each_term_from_any_of_them() -> None:
    both = _candidate("Two countries", ["COL", "KOR"])

    assert _scored(both) == (4, ["same-region", "higher-group"])


def test_a_country_without_a_group_has_no_higher_group() -> None:
    ungrouped = Standing("KAZ", STANDING.regions, {"DNK": "V"}, 2025, "en")

    assert _scored(_candidate("Danish portal", ["DNK"]), ungrouped) == (0, [])


def test_only_peers_items_are_kept_whatever_their_other_terms() -> None:
    # Colombia is neither in Asia nor in a higher group: recent and in English scores 2, but
    # it is no peer's item. Afghanistan's old French item scores 2 as a peer's.
    not_a_peer = _candidate("Colombian centre", ["COL"], year=2024, language="en")
    peer = _candidate("Afghan CIO training", ["AFG"], year=2010, language="fr")

    found = rank_suggestions([not_a_peer, peer], STANDING)

    assert [(s.title, s.score) for s in found] == [("Afghan CIO training", 2)]


def test_best_score_first_then_latest_year_then_title() -> None:
    candidates = [
        _candidate("Bravo", ["AFG"], year=2012),
        _candidate("Alpha", ["AFG"], year=2012),
        _candidate("Undated", ["AFG"], year=None),
        _candidate("Later", ["AFG"], year=2015),
        _candidate("Korea", ["KOR"], year=2024, language="en"),
        _candidate("Denmark", ["DNK"], year=2024),
    ]

    found = rank_suggestions(candidates, STANDING, limit=10)

    assert [(s.title, s.score) for s in found] == [
        ("Korea", 6),
        ("Denmark", 3),
        ("Later", 2),
        ("Alpha", 2),
        ("Bravo", 2),
        ("Undated", 2),
    ]


def test_at_most_limit_suggestions() -> None:
    candidates = [_candidate(f"Item {n}", ["AFG"], year=2000 + n) for n in range(8)]

    assert [s.year for s in rank_suggestions(candidates, STANDING)] == [
        2007,
        2006,
        2005,
        2004,
        2003,
    ]
    assert len(rank_suggestions(candidates, STANDING, limit=2)) == 2


def test_items_about_the_country_itself_are_left_out() -> None:
    own = _candidate("Kazakhstan and Korea", ["KAZ", "KOR"], year=2024, language="en")

    assert rank_suggestions([own], STANDING) == []


def test_suggestions_carry_their_reasons_and_country_names() -> None:
    korea = _candidate("Smart government", ["KOR"], year=2024, language="en")

    (found,) = rank_suggestions([korea], STANDING, names={"KOR": "Republic of Korea"})

    assert found.reasons == (
        Reason.SAME_REGION,
        Reason.HIGHER_GROUP,
        Reason.RECENT,
        Reason.LANGUAGE,
    )
    assert found.reason_labels == [
        "same region",
        "country in a higher EGDI group",
        "recent",
        "in your language",
    ]
    assert [(c.iso3, c.name) for c in found.countries] == [("KOR", "Republic of Korea")]


# The reads ---------------------------------------------------------------------------------------


def _item(
    editor: User,
    title: str,
    *,
    countries: Sequence[str],
    type: str = Item.Type.CASE_STUDY,
    themes: Sequence[str] = (),
    year: int | None = 2012,
    language: str = "en",
    publish: bool = True,
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
    if publish:
        item_transition(item=item, action="submit", actor=editor)
        item_transition(item=item, action="publish", actor=editor)
    return item


@pytest.fixture
def editor(countries: None, accounts: dict[Role, User]) -> User:
    return accounts[Role.EDITOR]


@pytest.mark.django_db
def test_drafts_items_in_review_and_other_types_are_not_suggested(editor: User) -> None:
    _item(editor, "Published case", countries=["KOR"])
    _item(editor, "Draft case", countries=["KOR"], publish=False)
    in_review = _item(editor, "Case in review", countries=["KOR"], publish=False)
    item_transition(item=in_review, action="submit", actor=editor)
    _item(editor, "An analytical paper", countries=["KOR"], type=Item.Type.ANALYTICAL_PAPER)
    _item(editor, "Lesson from Japan", countries=["JPN"], type=Item.Type.LESSON_LEARNED)

    found = peer_suggestions(iso3="KAZ")

    assert [s.title for s in found] == ["Lesson from Japan", "Published case"]
    assert all(s.reasons == (Reason.SAME_REGION,) for s in found)  # no edition: no groups


@pytest.mark.django_db
def test_the_countrys_own_items_and_other_regions_are_not_suggested(editor: User) -> None:
    _item(editor, "Kazakhstan's roadmap", countries=["KAZ"])
    _item(editor, "Kazakhstan and Korea", countries=["KAZ", "KOR"])
    _item(editor, "Danish portal", countries=["DNK"])
    _item(editor, "Korea's awards", countries=["KOR"])

    assert [s.title for s in peer_suggestions(iso3="kaz")] == ["Korea's awards"]


@pytest.mark.django_db
def test_suggestions_share_a_theme_with_the_countrys_own_items(editor: User) -> None:
    _item(editor, "Korea's open data", countries=["KOR"], themes=["open_data"])
    _item(editor, "Korea's smart government", countries=["KOR"], themes=["smart_government"])
    _item(editor, "Japan's untagged case", countries=["JPN"])

    before = {s.title for s in peer_suggestions(iso3="KAZ")}
    _item(editor, "Kazakhstan's roadmap", countries=["KAZ"], themes=["smart_government"])
    after = [s.title for s in peer_suggestions(iso3="KAZ")]

    assert before == {"Korea's open data", "Korea's smart government", "Japan's untagged case"}
    assert after == ["Korea's smart government"]


@pytest.mark.django_db
def test_a_draft_of_the_country_does_not_restrict_the_themes(editor: User) -> None:
    _item(editor, "Korea's open data", countries=["KOR"], themes=["open_data"])
    _item(
        editor, "Kazakhstan's draft", countries=["KAZ"], themes=["smart_government"], publish=False
    )

    assert [s.title for s in peer_suggestions(iso3="KAZ")] == ["Korea's open data"]


@pytest.mark.django_db
def test_the_readers_language_raises_an_item(editor: User) -> None:
    _item(editor, "A Korean case", countries=["KOR"], language="en")
    _item(editor, "Un cas japonais", countries=["JPN"], language="fr")

    assert [s.title for s in peer_suggestions(iso3="KAZ", language="en")] == [
        "A Korean case",
        "Un cas japonais",
    ]
    assert [s.title for s in peer_suggestions(iso3="KAZ", language="fr")] == [
        "Un cas japonais",
        "A Korean case",
    ]


@pytest.mark.django_db
def test_country_knowledge_lists_items_by_type_newest_first(editor: User) -> None:
    _item(editor, "Roadmap 2010", countries=["KAZ"], type=Item.Type.POLICY_OR_STRATEGY, year=2010)
    _item(editor, "Roadmap 2014", countries=["KAZ"], type=Item.Type.POLICY_OR_STRATEGY, year=2014)
    _item(editor, "A case", countries=["KAZ", "KOR"], year=2013)
    _item(editor, "A draft", countries=["KAZ"], publish=False)
    _item(editor, "About Korea", countries=["KOR"])

    found = country_knowledge(iso3="KAZ")

    assert [(g.type, [i.title for i in g.items]) for g in found.item_groups] == [
        ("case_study", ["A case"]),
        ("policy_or_strategy", ["Roadmap 2014", "Roadmap 2010"]),
    ]
    assert found.item_count == 3
    assert not found.empty
    assert country_knowledge(iso3="DNK").empty


@pytest.mark.django_db
def test_country_knowledge_has_projects_workshops_and_programmes(editor: User) -> None:
    from egov.web.knowledge.services.programmes import ProgrammeInput, programme_create
    from egov.web.knowledge.services.projects import ProjectInput, _project_create
    from egov.web.knowledge.services.workshops import (
        ParticipantInput,
        WorkshopInput,
        _workshop_create,
    )

    _workshop_create(
        data=WorkshopInput(
            title="Regional workshop",
            year=2013,
            participants=[
                ParticipantInput("Ministry of ICT", country="AFG", category="Government")
            ],
        ),
        actor=editor,
    )
    reported = _workshop_create(
        data=WorkshopInput(title="Reported workshop", year=2014), actor=editor
    )
    _workshop_create(data=WorkshopInput(title="Unrelated workshop", year=2015), actor=editor)
    output = _item_create(
        data=ItemInput(
            type=Item.Type.WORKSHOP_OUTPUT,
            title="Conclusions on Afghanistan",
            summary="What was concluded.",
            countries=["AFG"],
            workshop=reported.slug,
            details={"output_kind": "conclusions"},
        ),
        actor=editor,
    )
    item_transition(item=output, action="submit", actor=editor)
    item_transition(item=output, action="publish", actor=editor)
    _item_create(
        data=ItemInput(
            type=Item.Type.WORKSHOP_OUTPUT,
            title="Draft about Afghanistan",
            countries=["AFG"],
            workshop="unrelated-workshop",
            details={"output_kind": "report"},
        ),
        actor=editor,
    )
    _project_create(
        data=ProjectInput(
            country="AFG",
            title="CIO training",
            purpose="Train chief information officers.",
            status="completed",
            start_year=2013,
            end_year=2014,
        ),
        actor=editor,
    )
    programme_create(data=ProgrammeInput(country="AFG", title="Connected services"), actor=editor)

    found = country_knowledge(iso3="AFG")

    assert [(p.title, p.status) for p in found.projects] == [("CIO training", "completed")]
    assert [w.title for w in found.workshops] == ["Reported workshop", "Regional workshop"]
    assert [p.title for p in found.programmes] == ["Connected services"]
    assert country_knowledge(iso3="KAZ").empty


@pytest.mark.django_db
def test_country_knowledge_costs_four_queries_whatever_the_counts(
    editor: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(4):
        _item(editor, f"Case {n}", countries=["KAZ"], type=Item.Type.CASE_STUDY)
        _item(editor, f"Policy {n}", countries=["KAZ"], type=Item.Type.POLICY_OR_STRATEGY)

    with django_assert_num_queries(4):
        country_knowledge(iso3="KAZ")
    with django_assert_num_queries(4):
        country_knowledge(iso3="DNK")
