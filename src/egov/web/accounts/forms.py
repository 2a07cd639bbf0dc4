"""Forms of the accounts pages. They check what a page can tell the author field by field (a
taken username, a weak password) before the service is asked; the service checks again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .roles import Role


def role_choices() -> list[tuple[str, str]]:
    return [(role.name.lower(), role.label) for role in Role]


def role_named(name: str) -> Role:
    return Role[name.upper()]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “nightly import script”."),
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=role_choices, initial="contributor")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validators_help_texts())

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("The username “%(username)s” is taken."),
                code="taken",
                params={"username": username},
            )
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                validate_password(password, probe)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=role_choices)


class AuditFilterForm(forms.Form):
    """The audit trail's filters; every field optional, the state kept in the URL."""

    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("The start of an action: “item.” or “item.publish”."),
    )
    target_type = forms.CharField(
        label=_("Target type"),
        required=False,
        max_length=40,
        help_text=_("e.g. knowledge.item, auth.user"),
    )
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
