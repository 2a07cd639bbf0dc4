"""The knowledge base over HTTP: items and search (:mod:`.items`); workshops, projects and
programmes (:mod:`.workshops`, :mod:`.projects`, :mod:`.programmes`).

Reads are open to everyone and honour credentials when sent (:func:`egov.api.v1.auth.caller`):
an author reads their own draft, an editor every draft; a draft the caller may not see is 404,
as if it did not exist. Writes need an API key or the browser session
(:data:`egov.api.v1.auth.WRITE_AUTH`), and each calls one service of
:mod:`egov.web.knowledge.services`, which checks the role and the object's state
(:mod:`egov.web.knowledge.policy`): a refusal is 403 ``forbidden``, a bad input 422 with every
issue (:mod:`egov.api.v1.errors`).

Knowledge changes as it is written, so nothing here carries an ``ETag``: an anonymous read
may be kept a minute by caches, anything answered to a signed-in caller is ``no-store``.
"""

from __future__ import annotations

from ninja import Router

from . import items, programmes, projects, workshops

router = Router()  # each area's router carries the tag
router.add_router("", items.router)
router.add_router("", workshops.router)
router.add_router("", projects.router)
router.add_router("", programmes.router)

__all__ = ["router"]
