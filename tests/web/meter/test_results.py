"""The results of an assessment as the page and the PDF show them (:mod:`egov.web.meter.report`):
scores per group and combined, divergence, the way forward with its knowledge items, the
corroboration with the real 2024 edition, the distribution of other published assessments and
the comparison of two assessments of one country."""

from __future__ import annotations

from typing import Final

import pytest
from django.contrib.auth.models import User
from tests.web.meter.conftest import answers_to_all, invite, publish, published_item

from egov.frameworks import load_meter
from egov.web.accounts.roles import Role
from egov.web.meter import report, services
from egov.web.meter.models import Assessment

pytestmark = pytest.mark.django_db

FRAMEWORK: Final = load_meter("meter-eo-1.0")


def _published(
    iso3: str,
    actor: User,
    *,
    government: str,
    business: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Assessment:
    """Published: a government respondent answered every statement ``government`` (a
    sub-theme of ``overrides`` its own value) and, with ``business``, a business respondent
    Commitment's observable statements."""
    assessment = services.assessment_create(actor=actor, iso3=iso3, title=f"{iso3} readiness")
    official, _key = invite(assessment, actor, "Official", "government")
    services.assessment_transition(actor=actor, assessment=assessment, to="open")
    value = (overrides or {}).get
    services.answers_save(
        respondent=official,
        answers=answers_to_all("government", lambda s: value(s.split(".")[0], government)),
    )
    if business is not None:
        firm, _key = invite(assessment, actor, "Firm", "business")
        services.answers_save(
            respondent=firm, answers=answers_to_all("business", business, pillars="C")
        )
    return publish(assessment, actor)


def test_the_report_shows_groups_divergence_gaps_items_and_corroboration(
    imported: list[object], accounts: dict[Role, User]
) -> None:
    editor = accounts[Role.EDITOR]
    on_gap = published_item(
        editor, title="Uzbekistan's e-signature law", meter_tags=["L1"], countries=["UZB"]
    )
    published_item(editor, title="Legal reform in Chile", meter_tags=["L"], countries=["CHL"])
    assessment = _published(
        "KAZ", accounts[Role.CONTRIBUTOR], government="1", business="4", overrides={"M1": "DK"}
    )
    found = report.assessment_report(assessment)

    assert found.scopes == ("government", "business", "combined")
    assert found.respondents == {"government": 1, "business": 1}
    observable = sum(
        s.perspective == "observable" for t in FRAMEWORK.pillar("C").subthemes for s in t.statements
    )
    dont_know = len(FRAMEWORK.subtheme("M1").statements)  # Marketing: outside the overall
    assert found.answers == len(FRAMEWORK.statements()) - dont_know + observable
    # Government scores every statement 25; business only Commitment's observable statements.
    commitment = next(p for p in found.pillars if p.id == "C")
    assert commitment.scores["government"].score == pytest.approx(25.0)
    c2 = next(row for row in found.subthemes if row.id == "C2")
    assert c2.scores["business"].score == pytest.approx(100.0)
    assert c2.scores["combined"].score == pytest.approx(62.5)
    assert c2.divergent
    assert (c2.lowest_group, c2.highest_group) == ("government", "business")
    assert [row.id for row in found.divergent] == [
        row.id for row in found.subthemes if row.divergent
    ]
    legal = next(p for p in found.pillars if p.id == "L")
    assert not legal.scores["business"].shown  # business was not asked Legal: no score
    # Legal's two sub-themes weigh 1/2 each in their pillar: the first gaps.
    assert [gap.subtheme for gap in found.way_forward[:2]] == ["L1", "L2"]
    assert found.way_forward[0].shortfall == pytest.approx(50.0)
    assert found.way_forward[0].priority == pytest.approx(0.2 * 0.5 * 50)
    assert found.way_forward[0].action == FRAMEWORK.subtheme("L1").action
    slugs = [item.slug for item in found.way_forward[0].items]
    assert slugs[0] == on_gap.slug  # tagged with the sub-theme itself: +3
    assert "sub-theme" in [str(r) for r in found.way_forward[0].items[0].reasons]
    assert len(found.way_forward) == FRAMEWORK.scoring.way_forward_size
    # Corroboration against the real 2024 edition.
    assert found.corroboration_year == 2024
    technology = next(row for row in found.corroboration if row.pillar == "T")
    assert technology.objective_score is not None
    assert {i.code for i in technology.indicators} >= {"tii"}
    assert all(i.region == "Asia" for i in technology.indicators)
    assert found.flagged == tuple(row for row in found.corroboration if row.flag)
    # One published assessment: no distribution to show.
    assert found.distribution_others == 0
    assert not found.distribution_shown
    radar = found.radar()
    assert [p["id"] for p in radar["pillars"]] == ["C", "L", "P", "O", "T", "M"]
    assert radar["series"][0]["values"][0] == pytest.approx(25.0)


def test_the_distribution_needs_three_other_published_assessments(
    imported: list[object], accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    for iso3, value in (("BRA", "2"), ("CHL", "3"), ("URY", "4")):
        _published(iso3, actor, government=value)
    own = _published("KAZ", actor, government="1")
    found = report.assessment_report(own)
    assert found.distribution_others == 3
    assert found.distribution_shown
    overall = next(row for row in found.distribution if row.measure == "overall")
    assert (overall.minimum, overall.median, overall.maximum) == pytest.approx((50, 75, 100))
    assert overall.own == pytest.approx(25.0)
    assert overall.percentile == pytest.approx(0.0)


def test_two_assessments_of_a_country_compare_side_by_side(
    imported: list[object], accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    earlier = _published("KAZ", actor, government="1")
    later = _published("KAZ", actor, government="2", overrides={"C1": "4"})
    rows = report.assessments_comparison(earlier, later)
    overall = next(row for row in rows if row.level == "overall")
    assert overall.change is not None
    assert overall.change > 0
    c1 = next(row for row in rows if row.subtheme == "C1")
    assert (c1.earlier, c1.later, c1.change) == pytest.approx((25.0, 100.0, 75.0))
    assert c1.name == "Access to training resources"
    assert not any(row.statements_differ for row in rows)
