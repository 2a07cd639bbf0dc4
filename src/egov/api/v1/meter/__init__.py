"""METER over HTTP: the framework, assessments, their respondents, progress, answers and
scores (for the focal point and editors), and the answering itself (for each respondent).

Two kinds of caller:

- **Accounts**, as in the knowledge API (:mod:`egov.api.v1.auth`): reads honour credentials
  when sent (a published assessment is anyone's; a focal point sees their own, an editor every
  one; an assessment the caller may not see is 404), writes and the managers' reads need an API
  key or the browser session with its CSRF token. Each write calls one service of
  :mod:`egov.web.meter.services`, which checks the role (:mod:`egov.web.meter.policy`).
- **Respondents**, who have no account: their personal key, sent as ``X-Respondent-Key``
  (:class:`RespondentKey`). No cookie is used, so these writes need no CSRF token. Answers are
  written by :func:`egov.web.meter.services.answers_save` only.

A refusal for the assessment's state (not open, closed to new respondents, no answer to
publish, a move the workflow has not) is 409 with the service's code; a role that may not is
403 ``forbidden``; a bad input 422 with every issue, each naming its field and, in a list of
answers, its row (:mod:`egov.api.v1.errors`). An anonymous read may be kept a minute by
caches; an answer for a signed-in caller or a respondent is ``no-store``.

Modules: :mod:`.framework`, :mod:`.assessments`, :mod:`.respondents` (invitations, progress,
answers), :mod:`.scores`, :mod:`.respond` (the respondents' own endpoints), :mod:`.common`.
"""

from __future__ import annotations

from ninja import Router

from . import assessments, framework, respond, respondents, scores

router = Router()  # each area's router carries the tag
router.add_router("", framework.router)
router.add_router("", assessments.router)
router.add_router("", respondents.router)
router.add_router("", scores.router)
router.add_router("", respond.router)

__all__ = ["router"]
