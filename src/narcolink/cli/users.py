"""``narcolink users``: list, add, disable and enable the node's users."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from narcolink.cli.context import AS_OPTION, acting, opened_node, out_console, read_password
from narcolink.model.roles import Role
from narcolink.services import accounts

app = typer.Typer(
    help="Manage the node's users (needs an administrator: --as ADMIN).",
    no_args_is_help=True,
)

ROLE_NAMES = ", ".join(r.value for r in Role)


@app.command("list")
def list_users(ctx: typer.Context, as_user: str = AS_OPTION) -> None:
    """List users with their agency, roles and whether they may log in.

    \b
    Example:
      narcolink users list --as admin
    """
    with opened_node(ctx) as node:
        rows = accounts.list_users(node, acting(node, as_user))
    table = Table()
    for column in ("username", "agency", "roles", "active", "full name"):
        table.add_column(column)
    for user in rows:
        table.add_row(
            user.username,
            user.agency,
            ", ".join(sorted(r.value for r in user.roles)),
            "yes" if user.active else "no",
            user.full_name,
        )
    out_console().print(table)


@app.command("add")
def add_user(
    ctx: typer.Context,
    username: str = typer.Argument(..., metavar="USERNAME", help="Login name, e.g. rkumar."),
    roles: str = typer.Option(..., "--roles", help=f"Comma-separated: {ROLE_NAMES}."),
    full_name: str = typer.Option("", "--full-name", help="Name shown in the audit and pages."),
    password_file: Path | None = typer.Option(
        None, "--password-file", help="File whose first line is the password (else a prompt)."
    ),
    as_user: str = AS_OPTION,
) -> None:
    """Create a user, with roles, in the acting administrator's agency.

    \b
    Example:
      narcolink users add rkumar --roles analyst,liaison --password-file pw.txt --as admin
    """
    password = read_password(password_file, None, f"Password for {username}")
    with opened_node(ctx) as node:
        actor = acting(node, as_user)
        user = accounts.create_user(
            node,
            actor,
            username,
            password,
            roles=[r for r in roles.split(",") if r.strip()],
            full_name=full_name or username,
        )
    roles_text = ", ".join(sorted(r.value for r in user.roles))
    typer.echo(f"User {user.username!r} created in agency {user.agency!r} with roles {roles_text}.")


def _set_active(ctx: typer.Context, username: str, as_user: str, active: bool) -> None:
    with opened_node(ctx) as node:
        accounts.set_active(node, acting(node, as_user), username, active)
    typer.echo(f"User {username!r} {'enabled' if active else 'disabled'}.")


@app.command("disable")
def disable_user(
    ctx: typer.Context,
    username: str = typer.Argument(..., metavar="USERNAME", help="Login name to disable."),
    as_user: str = AS_OPTION,
) -> None:
    """Stop a user from logging in and end their sessions (records and audit stay).

    \b
    Example:
      narcolink users disable rkumar --as admin
    """
    _set_active(ctx, username, as_user, False)


@app.command("enable")
def enable_user(
    ctx: typer.Context,
    username: str = typer.Argument(..., metavar="USERNAME", help="Login name to enable."),
    as_user: str = AS_OPTION,
) -> None:
    """Let a disabled user log in again.

    \b
    Example:
      narcolink users enable rkumar --as admin
    """
    _set_active(ctx, username, as_user, True)
