"""What the pages of every app share: a refused write's issues shown beside the fields they
name, and the answer to a reader without the right to a page."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from egov.errors import Issue, ServiceError


def error_field(issue: Issue, form: forms.Form) -> str | None:
    """The form field an issue names (``sessions.title`` → ``sessions``), or None for the
    form as a whole."""
    name = (issue.field or "").split(".", 1)[0].split("[", 1)[0]
    return name if name in form.fields else None


def issue_text(issue: Issue) -> str:
    """The issue's sentence, with its line for a list field."""
    if issue.row is not None:
        return gettext("line %(n)d: %(message)s") % {"n": issue.row, "message": issue.message}
    return issue.message


def show_issues(form: forms.Form, error: ServiceError) -> None:
    """Each issue of a refused write beside the field it names; above the form an issue of no
    field of the form (named in its text) or a refusal without issues."""
    issues: Iterable[Issue] = error.issues or (Issue(error.code, str(error), ""),)
    for issue in issues:
        field = error_field(issue, form)
        text = issue_text(issue)
        form.add_error(field, f"{issue.field}: {text}" if field is None and issue.field else text)


def forbidden_or_login(request: HttpRequest, message: str) -> HttpResponse:
    """Anonymous readers are sent to sign in; a signed-in reader without the right gets 403
    with ``message``."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(message)
