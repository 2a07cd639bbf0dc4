"""What the forms of workshops, projects and programmes share: list fields written one entry
a line (parts of a line split by ``|``), a service's issues shown beside their fields, and the
form page answered 400 while it shows errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from egov.errors import Issue, ServiceError


def lines(text: str) -> list[str]:
    """The non-empty lines of a textarea, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def join_lines(values: Iterable[str]) -> str:
    return "\n".join(values)


def parts(line: str, count: int) -> list[str]:
    """``count`` parts of ``line`` split at ``|``, stripped; missing parts are empty and
    anything past the last part stays in it."""
    found = [part.strip() for part in line.split("|", count - 1)]
    return found + [""] * (count - len(found))


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
    """Each issue of a refused write beside the field it names (atop the form otherwise)."""
    for issue in error.issues:
        form.add_error(error_field(issue, form), issue_text(issue))


def form_response(
    request: HttpRequest, template: str, form: forms.Form, context: Mapping[str, Any]
) -> HttpResponse:
    """The page of ``form``: 400 while it shows errors, 200 otherwise."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def forbidden_or_login(request: HttpRequest) -> HttpResponse:
    """Anonymous readers are sent to sign in; a signed-in reader without the right gets 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(gettext("Only editors and administrators write this."))
