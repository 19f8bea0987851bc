"""Entry point of the ``narcolink`` command and the one place errors become exit codes.

Every narcolink error is printed to stderr as one line (plus the validation report for
invalid input) and the process exits with that error class's ``exit_code``; scripts can
rely on the codes listed in docs/user-guide.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError
from typer.core import TyperGroup

from narcolink.cli import audit, chem, data, docs, network, node_cmds, resolve, scenario, users
from narcolink.cli.context import CliState, print_report
from narcolink.exc import BadRequest, InvalidInput, NarcolinkError
from narcolink.settings import load_settings

UNEXPECTED_EXIT = 1


def _settings_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        name = ".".join(str(p) for p in item["loc"]) or "settings"
        parts.append(f"NARCOLINK_{name.upper()} ({name}): {item['msg']}")
    return "invalid setting: " + "; ".join(parts)


class NarcolinkGroup(TyperGroup):
    """Maps narcolink errors raised anywhere below it to a one-line message and exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except NarcolinkError as error:
            if _debug(ctx):
                raise
            message = error.detail
            if isinstance(error, InvalidInput):
                print_report(error.report)
                report = error.report
                message = f"{len(report.issues)} problem(s) in {report.file}; nothing was written"
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(error.exit_code) from None
        except ValidationError as error:
            typer.echo(f"error: {_settings_error(error)}", err=True)
            raise typer.Exit(BadRequest.exit_code) from None
        except Exception as error:
            if _debug(ctx):
                raise
            typer.echo(
                f"error: unexpected {type(error).__name__}: {error} "
                "(run with --debug for the traceback)",
                err=True,
            )
            raise typer.Exit(UNEXPECTED_EXIT) from None


def _debug(ctx: Any) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))


app = typer.Typer(
    cls=NarcolinkGroup,
    name="narcolink",
    help="narcolink: counter-narcotics cooperation between agencies.\n\n"
    "Start with 'narcolink demo', or 'narcolink init' for a real node. "
    "Exit codes: 0 ok, 1 unexpected, 2 invalid input, 3 not allowed, 4 not found, "
    "5 conflict, 6 audit chain broken.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def global_options(
    ctx: typer.Context,
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        help="Directory of the node's store and key files [env NARCOLINK_DATA_DIR; default ./var].",
    ),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://narcolink@db/narcolink "
        "[env NARCOLINK_DATABASE_URL; default SQLite in the data dir].",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one line."),
) -> None:
    """Options that apply to every command; they override NARCOLINK_* settings."""
    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    ctx.obj = CliState(settings=load_settings(**overrides), debug=debug, data_dir_option=data_dir)


node_cmds.register(app)
data.register(app)
app.add_typer(users.app, name="users")
app.add_typer(audit.app, name="audit")
app.add_typer(docs.app, name="docs")
app.add_typer(chem.app, name="chem")
app.add_typer(resolve.app, name="resolve")
app.add_typer(network.app, name="network")
app.add_typer(scenario.app, name="scenario")


def main() -> None:
    """Console-script entry point (``narcolink``)."""
    app(prog_name="narcolink")
