"""``egov user`` and ``egov token``: accounts, roles and API tokens from the shell.

A thin client of :mod:`egov.web.accounts.services`, like the rest of the ``egov`` command;
writes made here are recorded in the audit trail with no actor ("the system"). Registered on
the main app in :mod:`egov.cli`, whose helpers these commands borrow when they run.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

user_app = typer.Typer(help="Accounts and their roles.", no_args_is_help=True)
token_app = typer.Typer(
    help="API tokens of accounts (for scripts writing through the API).", no_args_is_help=True
)


class RoleName(StrEnum):
    reader = "reader"
    contributor = "contributor"
    editor = "editor"
    administrator = "administrator"


def _account(username: str) -> Any:
    from django.contrib.auth.models import User

    from egov.cli import err

    user = User.objects.filter(username=username).first()
    if user is None:
        err.print(f"[red]error:[/red] no account named {username!r}", highlight=False)
        raise typer.Exit(1)
    return user


def _role(name: RoleName) -> Any:
    from egov.web.accounts.roles import Role

    return Role[name.value.upper()]


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="The new account's username.")],
    role: Annotated[RoleName, typer.Option(help="The account's role.")] = RoleName.contributor,
    email: Annotated[str, typer.Option(help="The account's email address.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the password from the first line of standard input."
        ),
    ] = False,
) -> None:
    """Create an account holding a role. The password is asked for (twice), or read from
    standard input with --password-stdin; it must pass the configured validators."""
    from egov.cli import _django, _reported, out

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _django()
    from egov.web.accounts import services

    with _reported(writes=True):
        user = services.user_create(
            username=username, password=password, role=_role(role), email=email
        )
    out.print(f"Created {user.username} ({role.value}).", highlight=False)


@user_app.command("role")
def user_role(
    username: Annotated[str, typer.Argument(help="An existing account.")],
    role: Annotated[RoleName, typer.Argument(help="The role it will hold.")],
) -> None:
    """Give an account exactly one role (its other role groups are removed)."""
    from egov.cli import _django, _reported, out

    _django()
    from egov.web.accounts import services

    user = _account(username)
    with _reported(writes=True):
        services.user_role_set(user=user, role=_role(role))
    out.print(f"{user.username} is now {role.value}.", highlight=False)


@user_app.command("list")
def user_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Every account with its role and whether it is active."""
    from egov.cli import _django, out

    _django()
    from egov.web.accounts import selectors
    from egov.web.accounts.roles import role_held

    rows: list[dict[str, Any]] = [
        {
            "username": user.username,
            "email": user.email,
            "role": role_held(user).name.lower(),
            "active": user.is_active,
        }
        for user in selectors.users()
    ]
    if as_json:
        out.print_json(data=rows)
        return
    table = Table("username", "email", "role", "active")
    for row in rows:
        table.add_row(row["username"], row["email"], row["role"], "yes" if row["active"] else "no")
    out.print(table)


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The account the token acts as.")],
    name: Annotated[str, typer.Argument(help="What the token is for.")],
) -> None:
    """Create an API token and print its key, alone on standard output. The key is shown
    this once; only its SHA-256 is kept."""
    from egov.cli import _django, _reported, err, out

    _django()
    from egov.web.accounts import services

    user = _account(username)
    with _reported(writes=True):
        token, key = services.token_create(user=user, name=name)
    out.print(key, highlight=False, markup=False, soft_wrap=True)
    err.print(
        f"Token {token.name!r} for {user.username}: keep the key now, it is not shown again.",
        highlight=False,
        markup=False,
    )
