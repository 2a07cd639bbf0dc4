"""What the forms of workshops, projects and programmes share: list fields written one entry
a line (parts of a line split by ``|``) and the form page answered 400 while it shows errors
(a service's issues are shown beside their fields by :func:`egov.web.pages.show_issues`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from egov.web import pages


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


def form_response(
    request: HttpRequest, template: str, form: forms.Form, context: Mapping[str, Any]
) -> HttpResponse:
    """The page of ``form``: 400 while it shows errors, 200 otherwise."""
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def forbidden_or_login(request: HttpRequest) -> HttpResponse:
    """Anonymous readers are sent to sign in; a signed-in reader without the right gets 403."""
    return pages.forbidden_or_login(request, gettext("Only editors and administrators write this."))
