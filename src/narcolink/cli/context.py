"""What every command shares: the settings chosen by the global options, opening the node,
acting as a named user, and printing errors the same way everywhere."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from narcolink.exc import BadRequest, ValidationReport
from narcolink.model.roles import Actor
from narcolink.services.node import Node
from narcolink.services.setup import operator_actor
from narcolink.settings import Settings

REPORT_ROWS = 50

AS_OPTION = typer.Option(
    ...,
    "--as",
    envvar="NARCOLINK_AS",
    metavar="USERNAME",
    help="Act as this user of the node (its agency and roles apply; audited under its name).",
)


@dataclass
class CliState:
    """Set by the global options before any command runs."""

    settings: Settings
    debug: bool = False
    data_dir_option: Path | None = None  # --data-dir as given, for the demo's default


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):  # pragma: no cover - the root callback always sets it
        raise RuntimeError("global options were not parsed")
    return obj


def err_console() -> Console:
    """Rich output on stderr (looked up when printing, so test runners can capture it)."""
    return Console(file=sys.stderr, soft_wrap=True)


def out_console() -> Console:
    return Console(file=sys.stdout, soft_wrap=True)


@contextmanager
def opened_node(ctx: typer.Context) -> Iterator[Node]:
    """The node named by the settings, migrated to the newest schema, closed afterwards."""
    node = Node.open(state(ctx).settings)
    try:
        yield node
    finally:
        node.close()


def acting(node: Node, username: str) -> Actor:
    return operator_actor(node, username)


def print_report(report: ValidationReport) -> None:
    """The validation report as a table on stderr: one line per problem, located."""
    table = Table(title=f"Validation report: {report.file}", title_justify="left")
    table.add_column("row", justify="right")
    table.add_column("field")
    table.add_column("reason")
    for issue in report.issues[:REPORT_ROWS]:
        table.add_row("" if issue.row is None else str(issue.row), issue.field or "", issue.reason)
    console = err_console()
    console.print(table)
    hidden = len(report.issues) - REPORT_ROWS
    if hidden > 0:
        console.print(f"... and {hidden} more problem(s) not shown")
    console.print(f"{report.rows_read} row(s) read.")


def read_password(password_file: Path | None, env_var: str | None, prompt: str) -> str:
    """From the file's first line, else the environment, else a prompt; never silently empty.

    With no file, no variable and no terminal to ask on, this fails rather than guess.
    """
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise BadRequest(
                f"cannot read password file {password_file}: {error.strerror}"
            ) from None
        if not lines or not lines[0]:
            raise BadRequest(f"password file {password_file} is empty")
        return lines[0]
    from_env = os.environ.get(env_var) if env_var else None
    if from_env:
        return from_env
    if sys.stdin.isatty():
        value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
        return value
    where = f", set {env_var}" if env_var else ""
    raise BadRequest(
        f"no password: give --password-file FILE{where}, or run in a terminal to be asked"
    )
