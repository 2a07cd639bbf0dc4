"""``/meter/respond/<key>/``, the questionnaire: only the key's respondent reaches it, a pillar
saved without JavaScript (each problem beside its statement, nothing saved) and a statement at
a time with htmx, read-only once closed, "I have finished", and the internal statements
optional outside government."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from tests.web.meter.conftest import invite
from tests.web.meter.views.conftest import Accounts, ClientAs, between, html_of

from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Answer, Assessment, Respondent
from egov.web.meter.services import AnswerInput

pytestmark = pytest.mark.django_db


def test_a_respondent_reaches_only_their_own_questionnaire(
    opened: tuple[Assessment, Respondent, str], client: Client
) -> None:
    _assessment, _respondent, key = opened
    html = html_of(client.get(f"/meter/respond/{key}/"))
    assert "You answer as Aigerim" in html
    assert 'id="statement-C1-1"' in html
    assert client.get(f"/meter/respond/{key[:-1]}x/").status_code == 404
    assert client.get("/meter/respond/not-a-key/").status_code == 404
    assert client.post(f"/meter/respond/{key}x/answer/", {"statement": "C1.1"}).status_code == 404


def test_a_pillar_saved_without_javascript_shows_each_problem_beside_its_statement(
    opened: tuple[Assessment, Respondent, str], client: Client
) -> None:
    _assessment, respondent, key = opened
    url = f"/meter/respond/{key}/?pillar=C"
    posted = {
        "pillar": "C",
        "value-C1.1": "3",
        "comment-C1.1": "A plan exists.",
        "value-C1.2": "NA",  # needs a comment
        "value-C1.3": "2",
        "evidence_url-C1.3": "ftp://example.org/x",  # not http(s)
        "value-C2.1": "4",
        "lesson-C2.1": "1",  # a lesson needs a comment
    }
    html = html_of(client.post(url, posted), 400)
    assert not Answer.objects.exists()
    assert 'id="respond-errors"' in html
    c12 = between(html, 'id="statement-C1-2"', "</fieldset>")
    assert "a comment is needed with NA" in between(c12, 'id="error-C1-2-comment"', "</div>")
    c13 = between(html, 'id="statement-C1-3"', "</fieldset>")
    assert "an http or https address" in between(c13, 'id="error-C1-3-evidence_url"', "</div>")
    c21 = between(html, 'id="statement-C2-1"', "</fieldset>")
    assert "a lesson needs a comment" in c21
    c11 = between(html, 'id="statement-C1-1"', "</fieldset>")
    assert "errorlist" not in c11
    # What was posted stays on the page to be corrected.
    assert 'value="3" checked' in c11
    assert "A plan exists." in c11
    assert 'value="ftp://example.org/x"' in c13

    posted |= {
        "comment-C1.2": "No such training.",
        "evidence_url-C1.3": "https://example.org/x",
        "comment-C2.1": "The portal works.",
    }
    response = client.post(url, posted)
    assert response.status_code == 302
    assert response["Location"] == url
    stored = {a.statement: (a.value, a.comment, a.lesson) for a in respondent.answers.all()}
    assert stored == {
        "C1.1": ("3", "A plan exists.", False),
        "C1.2": ("NA", "No such training.", False),
        "C1.3": ("2", "", False),
        "C2.1": ("4", "The portal works.", True),
    }
    html = html_of(client.get(url))
    assert "Your answers on Commitment are saved." in html
    assert 'id="count-C">4/34<' in html
    # Resuming: the answers fill the page.
    c21 = between(html, 'id="statement-C2-1"', "</fieldset>")
    assert 'value="4" checked' in c21
    assert 'name="lesson-C2.1" value="1" checked' in c21


def test_a_comment_without_an_answer_is_not_lost(
    opened: tuple[Assessment, Respondent, str], client: Client
) -> None:
    _assessment, _respondent, key = opened
    html = html_of(
        client.post(
            f"/meter/respond/{key}/?pillar=L",
            {
                "pillar": "L",
                "value-L1.1": "2",
                "comment-L1.2": "Only in the draft law.",
                "value-L1.3": "NA",
            },
        ),
        400,
    )
    assert not Answer.objects.exists()
    l12 = between(html, 'id="statement-L1-2"', "</fieldset>")
    assert "an answer is needed to keep a comment or link" in unescape(l12)
    assert "Only in the draft law." in l12
    # The other problems of the same save show at once, not on the next one.
    assert "a comment is needed with NA" in between(html, 'id="statement-L1-3"', "</fieldset>")


def test_htmx_saves_one_statement_and_swaps_in_its_state(
    opened: tuple[Assessment, Respondent, str], client: Client
) -> None:
    _assessment, respondent, key = opened
    url = f"/meter/respond/{key}/answer/"
    # htmx posts the whole pillar form; the statement that changed is named.
    response = client.post(
        url,
        {"statement": "C1.1", "value-C1.1": "3", "value-C1.2": "1", "comment-C1.1": "Funded."},
        HTTP_HX_REQUEST="true",
    )
    html = html_of(response)
    assert html.startswith('<span class="saved">Saved')
    assert '<span class="count" id="count-C" hx-swap-oob="true">1/34</span>' in html
    assert '<div class="field-errors" id="error-C1-1-comment" hx-swap-oob="true"></div>' in html
    assert [(a.statement, a.value, a.comment) for a in respondent.answers.all()] == [
        ("C1.1", "3", "Funded.")
    ]

    refused = client.post(url, {"statement": "C1.2", "value-C1.2": "NA"}, HTTP_HX_REQUEST="true")
    html = html_of(refused, 422)
    assert "Not saved" in html
    assert "a comment is needed with NA" in between(html, 'id="error-C1-2-comment"', "</div>")
    assert respondent.answers.count() == 1

    taken_back = client.post(url, {"statement": "C1.1", "value-C1.1": ""}, HTTP_HX_REQUEST="true")
    assert "Answer taken back" in html_of(taken_back)
    assert not respondent.answers.exists()

    for unknown in ("Z9.9", ""):
        html = html_of(client.post(url, {"statement": unknown, f"value-{unknown}": "3"}), 422)
        assert html.count("no such statement") == 1, unknown


def test_a_closed_assessment_shows_the_answers_read_only(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client: Client
) -> None:
    assessment, respondent, key = opened
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3", "Yes.")])
    services.assessment_transition(
        actor=accounts[Role.CONTRIBUTOR], assessment=assessment, to="closed"
    )
    html = html_of(client.get(f"/meter/respond/{key}/"))
    assert 'id="respond-closed"' in html
    assert 'id="pillar-save"' not in html
    assert "hx-post" not in html
    assert 'id="finished"' not in html
    c11 = between(html, 'id="statement-C1-1"', "</fieldset>")
    assert 'value="3" checked disabled' in c11
    assert "Yes." in c11
    refused = client.post(
        f"/meter/respond/{key}/answer/",
        {"statement": "C1.1", "value-C1.1": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "the assessment is not open" in html_of(refused, 409).lower()
    saved = client.post(f"/meter/respond/{key}/", {"pillar": "C", "value-C1.1": "1"})
    assert saved.status_code == 302
    assert respondent.answers.get().value == "3"


def test_a_respondent_says_they_have_finished(
    opened: tuple[Assessment, Respondent, str], client: Client, client_as: ClientAs
) -> None:
    assessment, respondent, key = opened
    response = client.post(f"/meter/respond/{key}/finish/", {"finished": "1", "pillar": "L"})
    assert response["Location"] == f"/meter/respond/{key}/?pillar=L"
    respondent.refresh_from_db()
    assert respondent.finished_at is not None
    assert 'id="not-finished"' in html_of(client.get(response["Location"]))
    row = between(
        html_of(client_as(Role.CONTRIBUTOR).get(f"/meter/{assessment.pk}/")),
        f'data-respondent="{respondent.pk}"',
        "</tr>",
    )
    assert '<td class="finished"><span class="muted">no' not in row


def test_internal_statements_are_optional_outside_government(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client: Client
) -> None:
    assessment, _government, government_key = opened
    _business, key = invite(assessment, accounts[Role.CONTRIBUTOR], "Daniyar", "business")
    html = html_of(client.get(f"/meter/respond/{key}/?pillar=C"))
    assert "optional" in between(html, 'id="statement-C1-1"', "</fieldset>")  # internal
    assert "optional" not in between(html, 'id="statement-C2-1"', "</fieldset>")  # observable
    assert 'id="count-C">0/17<' in html
    html = html_of(client.get(f"/meter/respond/{government_key}/?pillar=C"))
    assert "badge optional" not in html
