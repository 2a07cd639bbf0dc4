"""``/meter/<pk>/``, the focal point's page, and the writes it posts to: only the assessment's
managers reach them, the settings, the personal link shown once, the problems of an invitation
beside their fields, removing a respondent, the state buttons, the audit trail, the progress
matrix and the lessons an editor makes draft items of."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from tests.web.meter.conftest import invite, publish, signed_in
from tests.web.meter.views.conftest import Accounts, ClientAs, as_reader, between, html_of

from egov.web.accounts.roles import Role
from egov.web.knowledge.models import Item
from egov.web.meter import services
from egov.web.meter.models import Answer, Assessment, Respondent
from egov.web.meter.services import AnswerInput

pytestmark = pytest.mark.django_db

KEY = re.compile(r"/meter/respond/([A-Za-z0-9_-]{20,})/")


@pytest.mark.parametrize("suffix", ["", "edit/"])
def test_an_assessments_pages_are_for_its_focal_point_and_editors(
    assessment: Assessment, client_as: ClientAs, suffix: str
) -> None:
    url = f"/meter/{assessment.pk}/{suffix}"
    anonymous = client_as(Role.READER).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    assert as_reader(Client()).get(url).status_code == 404
    other = signed_in("contributor2")
    assert other.get(url).status_code == 404
    assert client_as(Role.CONTRIBUTOR).get(url).status_code == 200
    assert client_as(Role.EDITOR).get(url).status_code == 200
    # A missing assessment looks the same as another's.
    assert other.get(f"/meter/{assessment.pk + 99}/{suffix}").status_code == 404


def test_the_writes_of_an_assessment_refuse_anyone_but_its_managers(
    opened: tuple[Assessment, Respondent, str], client_as: ClientAs
) -> None:
    assessment, respondent, _key = opened
    other = signed_in("contributor2")
    base = f"/meter/{assessment.pk}"
    for url, data in (
        (f"{base}/state/", {"to": "closed"}),
        (f"{base}/respondents/", {"name": "Intruder", "group": "business"}),
        (f"{base}/respondents/{respondent.pk}/rekey/", {}),
        (f"{base}/respondents/{respondent.pk}/remove/", {}),
    ):
        assert other.post(url, data).status_code == 404
        # After signing in, back to the assessment's page: a post's address answers only posts.
        anonymous = client_as(Role.READER).post(url, data)
        assert anonymous["Location"] == f"/accounts/login/?next={base}/"
    assessment.refresh_from_db()
    assert assessment.state == "open"
    assert list(assessment.respondents.values_list("name", flat=True)) == ["Aigerim"]


def test_the_focal_point_changes_the_settings(assessment: Assessment, client_as: ClientAs) -> None:
    client = client_as(Role.CONTRIBUTOR)
    url = f"/meter/{assessment.pk}/edit/"
    assert 'value="Kazakhstan 2026"' in html_of(client.get(url))
    posted = {
        "title": "Kazakhstan 2026, renamed",
        "include_experimental": "on",
        "target": "60",
        "listed": "on",
        "notes": "Second round.",
    }
    assert client.post(url, posted)["Location"] == f"/meter/{assessment.pk}/"
    assessment.refresh_from_db()
    assert (
        assessment.title,
        assessment.include_experimental,
        assessment.target,
        assessment.listed,
        assessment.notes,
    ) == ("Kazakhstan 2026, renamed", True, 60.0, True, "Second round.")


def test_a_published_assessment_keeps_its_scoring_settings(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client_as: ClientAs
) -> None:
    assessment, respondent, _key = opened
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3")])
    publish(assessment, accounts[Role.CONTRIBUTOR])
    html = html_of(
        client_as(Role.CONTRIBUTOR).post(
            f"/meter/{assessment.pk}/edit/", {"title": "Renamed", "target": "60"}
        ),
        400,
    )
    assert "fixed once published" in between(html, 'for="id_target"', "<input")
    assessment.refresh_from_db()
    assert (assessment.title, assessment.target) == ("Kazakhstan 2026", None)


def test_an_invitation_shows_the_personal_link_once(
    assessment: Assessment, client_as: ClientAs
) -> None:
    client = client_as(Role.CONTRIBUTOR)
    response = client.post(
        f"/meter/{assessment.pk}/respondents/",
        {
            "name": "Daniyar",
            "group": "business",
            "sub_group": "smes",
            "email": "daniyar@example.org",
            "organisation": "Chamber of SMEs",
        },
    )
    html = html_of(response)
    assert response["Cache-Control"] == "no-store"
    link = between(html, 'id="new-link"', "</div>")
    found = re.search(r'value="(http://testserver/meter/respond/([^/"]+)/)"', link)
    assert found, link
    key = found.group(2)
    respondent = Respondent.objects.get()
    assert (respondent.name, respondent.group, respondent.sub_group) == (
        "Daniyar",
        "business",
        "smes",
    )
    assert key not in html_of(client.get(f"/meter/{assessment.pk}/"))  # shown once
    assert "You answer as Daniyar" in html_of(Client().get(f"/meter/respond/{key}/"))

    # A new link replaces the old one, and is shown once too.
    html = html_of(client.post(f"/meter/{assessment.pk}/respondents/{respondent.pk}/rekey/"))
    renewed = KEY.search(between(html, 'id="new-link"', "</div>"))
    assert renewed
    assert renewed.group(1) != key
    assert Client().get(f"/meter/respond/{key}/").status_code == 404
    assert Client().get(f"/meter/respond/{renewed.group(1)}/").status_code == 200


def test_the_problems_of_an_invitation_show_beside_their_fields(
    assessment: Assessment, client_as: ClientAs
) -> None:
    html = html_of(
        client_as(Role.CONTRIBUTOR).post(
            f"/meter/{assessment.pk}/respondents/",
            {"name": " ", "group": "business", "sub_group": "ngos", "email": "no"},
        ),
        400,
    )
    assert not Respondent.objects.exists()
    assert 'id="new-link"' not in html
    assert "is required" in between(html, 'for="id_name"', "</div>")
    assert "one of large_enterprises, smes" in between(html, 'for="id_sub_group"', "</div>")
    assert "not an e-mail address" in between(html, 'for="id_email"', "</div>")


def test_a_respondent_without_answers_is_removed_and_one_with_answers_kept(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client_as: ClientAs
) -> None:
    assessment, respondent, _key = opened
    idle, _idle_key = invite(assessment, accounts[Role.CONTRIBUTOR], "Idle", "academia")
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "2")])
    client = client_as(Role.CONTRIBUTOR)
    client.post(f"/meter/{assessment.pk}/respondents/{idle.pk}/remove/")
    response = client.post(f"/meter/{assessment.pk}/respondents/{respondent.pk}/remove/")
    assert response.status_code == 302
    assert list(Respondent.objects.values_list("name", flat=True)) == ["Aigerim"]
    assert "has answered: their answers are kept" in html_of(client.get(response["Location"]))


def _moves(html: str) -> list[str]:
    return re.findall(r'id="move-(\w+)"', between(html, 'id="assessment-moves"', "</div>"))


def test_the_state_buttons_are_the_moves_the_state_allows(
    assessment: Assessment, accounts: Accounts, client_as: ClientAs
) -> None:
    client = client_as(Role.CONTRIBUTOR)
    url = f"/meter/{assessment.pk}/"
    html = html_of(client.get(url))
    assert _moves(html) == ["open"]
    links = between(html, 'id="assessment-links"', "</p>")
    for target in ("results/", "answers.csv", "answers.xlsx", "report.pdf"):
        assert f'href="{url}{target}"' in links
    refused = client.post(f"{url}state/", {"to": "open"})  # nobody is invited yet
    assert "invite at least one respondent first" in html_of(client.get(refused["Location"]))
    invite(assessment, accounts[Role.CONTRIBUTOR], "Aigerim", "government")
    client.post(f"{url}state/", {"to": "open"})
    html = html_of(client.get(url))
    assert 'data-state="open"' in html
    assert "respondents can answer" in html
    assert _moves(html) == ["closed"]
    client.post(f"{url}state/", {"to": "published"})  # not from open
    assessment.refresh_from_db()
    assert assessment.state == "open"
    client.post(f"{url}state/", {"to": "closed"})
    assert _moves(html_of(client.get(url))) == ["open", "published"]


def test_an_editor_follows_the_assessments_audit_trail_from_its_page(
    assessment: Assessment, client_as: ClientAs
) -> None:
    url = f"/meter/{assessment.pk}/"
    assert "Audit trail" not in html_of(client_as(Role.CONTRIBUTOR).get(url))
    editor = client_as(Role.EDITOR)
    links = between(html_of(editor.get(url)), 'id="assessment-links"', "</p>")
    found = re.search(r'href="([^"]+)">Audit trail<', links)
    assert found, links
    trail = unescape(found.group(1))
    assert trail == f"/accounts/audit/?target_type=meter.assessment&target_id={assessment.pk}"
    assert "meter.assessment.create" in html_of(editor.get(trail))


def test_the_progress_matrix_counts_answers_per_group_and_pillar(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client_as: ClientAs
) -> None:
    assessment, respondent, _key = opened
    business, _b = invite(assessment, accounts[Role.CONTRIBUTOR], "Daniyar", "business")
    services.answers_save(
        respondent=respondent,
        answers=[AnswerInput(f"C1.{n}", "3") for n in range(1, 13)] + [AnswerInput("L1.1", "2")],
    )
    services.answers_save(respondent=business, answers=[AnswerInput("C2.1", "1")])
    html = html_of(client_as(Role.CONTRIBUTOR).get(f"/meter/{assessment.pk}/"))
    matrix = between(html, 'id="progress-matrix"', "</table>")
    government = between(matrix, 'data-group="government"', "</tr>")
    assert '<td class="num" data-pillar="C">35%' in government  # 12 of the 34 statements
    assert "12/34" in government
    assert "1/10" in government
    row = between(matrix, 'data-group="business"', "</tr>")
    assert "1/17" in row  # C2's 17 statements are the observable ones of Commitment
    table = between(html, 'id="respondent-table"', "</table>")
    assert "13/109" in between(table, f'data-respondent="{respondent.pk}"', "</tr>")


def test_an_editor_makes_an_offered_lesson_a_draft_from_the_assessment_page(
    opened: tuple[Assessment, Respondent, str], client_as: ClientAs
) -> None:
    assessment, respondent, _key = opened
    services.answers_save(
        respondent=respondent,
        answers=[AnswerInput("C1.4", "1", comment="Train <staff> before launch.", lesson=True)],
    )
    answer = Answer.objects.get()
    url = f"/meter/{assessment.pk}/"
    focal = html_of(client_as(Role.CONTRIBUTOR).get(url))
    lessons = between(focal, 'id="lessons"', "</section>")
    assert "Train &lt;staff&gt; before launch." in lessons
    assert "promote" not in lessons  # a contributor cannot write the knowledge base's lessons
    promote = f"/meter/{assessment.pk}/lessons/{answer.pk}/promote/"
    assert client_as(Role.CONTRIBUTOR).post(promote).status_code == 302
    assert not Item.objects.exists()
    editor = client_as(Role.EDITOR)
    assert 'class="promote"' in html_of(editor.get(url))
    response = editor.post(promote)
    item = Item.objects.get()
    assert response["Location"] == f"/knowledge/items/{item.slug}/"
    assert (item.type, item.status) == ("lesson_learned", "draft")
    assert "In the knowledge base" in html_of(editor.get(url))
