"""Who is calling: an API key or the browser session.

Writes take ``auth=WRITE_AUTH``: a key sent as ``Authorization: Bearer <key>`` (made with
``egov token create`` or on the account page, checked by
:func:`egov.web.accounts.selectors.token_user`), else the session of a signed-in browser, whose
unsafe requests must carry the CSRF token as the site's forms do (``X-CSRFToken`` header or
``csrfmiddlewaretoken`` field). Neither is a sign-in: a key is looked up, never passed to
``django.contrib.auth.authenticate``, so django-axes neither counts nor locks it.

==========================================  =============================================
request                                     answer
==========================================  =============================================
no key, no session                          401 ``unauthorised``
a key that is unknown, revoked, or of a     401 ``unauthorised`` (the session is not tried:
disabled account                            the caller said who they are, wrongly)
a live key                                  the key's account (no CSRF: no cookie is used)
session, unsafe method, no CSRF token       403 ``csrf-failed``
session with its CSRF token                 the signed-in account
==========================================  =============================================

Reads need no credentials but honour them (:func:`caller`): an author reads their own draft,
an editor every draft. A wrong key is refused on reads too.
"""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from egov.api.v1.errors import ApiError
from egov.errors import Issue
from egov.web.accounts.selectors import token_user

#: The scheme word of the ``Authorization`` header, compared without case.
_SCHEME: Final = "bearer"
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


_CSRF_ISSUE: Final = Issue(
    "csrf-failed",
    "a write signed in by the browser session needs its CSRF token (X-CSRFToken header); "
    "scripts use an API key instead",
    "",
    field="X-CSRFToken",
)


def _unauthorised(message: str) -> ApiError:
    return ApiError(
        401, "unauthorised", [Issue("unauthorised", message, "", field="Authorization")]
    )


def _bearer_key(request: HttpRequest) -> str | None:
    """The key of an ``Authorization: Bearer`` header; None without one; 401 for another scheme
    or an empty key."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != _SCHEME or not key.strip():
        raise _unauthorised('send the API key as "Authorization: Bearer <key>"')
    return key.strip()


def _key_account(key: str) -> User:
    user = token_user(key)
    if user is None:
        raise _unauthorised("the API key is unknown, revoked, or its account is disabled")
    return user


class ApiKey(HttpBearer):
    """``Authorization: Bearer <key>``: an API token of an active account."""

    def __call__(self, request: HttpRequest) -> User | None:
        key = _bearer_key(request)
        return None if key is None else self.authenticate(request, key)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        return _key_account(token)


class BrowserSession(APIKeyCookie):
    """The session of a browser signed in on the site; unsafe methods need the CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check runs in authenticate(), only for a signed-in session: an anonymous
        # request has nothing to forge and gets 401, not 403.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in _SAFE_METHODS and not exempt and check_csrf(request) is not None:
            raise ApiError(403, "csrf-failed", [_CSRF_ISSUE])
        return user


#: The credentials a write accepts, in the order tried.
WRITE_AUTH: Final = [ApiKey(), BrowserSession()]

#: The OpenAPI ``security`` of a read: anonymous, or either credential.
READ_SECURITY: Final[list[dict[str, list[Any]]]] = [
    {},
    {ApiKey.__name__: []},
    {BrowserSession.__name__: []},
]


def caller(request: HttpRequest) -> User | AnonymousUser:
    """The account a request speaks for: the key's, else the session's, else anonymous.

    On a write, the account django-ninja authenticated (``request.auth``)."""
    authenticated = getattr(request, "auth", None)
    if isinstance(authenticated, User):
        return authenticated
    key = _bearer_key(request)
    if key is not None:
        return _key_account(key)
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return AnonymousUser()


def writer(request: HttpRequest) -> User:
    """The account a write was authenticated as by :data:`WRITE_AUTH`."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # an endpoint without auth=WRITE_AUTH: a programming error
        raise _unauthorised("this write needs credentials")
    return user


def depends_on_caller(request: HttpRequest) -> bool:
    """Whether an answer may differ by caller (credentials sent): then it is not to be stored."""
    return "Authorization" in request.headers or bool(
        getattr(request, "user", None) and request.user.is_authenticated
    )


__all__ = [
    "READ_SECURITY",
    "WRITE_AUTH",
    "ApiKey",
    "BrowserSession",
    "caller",
    "depends_on_caller",
    "writer",
]
