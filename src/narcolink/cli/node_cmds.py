"""Commands that create or run a node: init, serve, demo."""

from __future__ import annotations

import socket
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from narcolink.cli.context import err_console, out_console, read_password, state
from narcolink.exc import Conflict
from narcolink.services import demo as demo_service
from narcolink.services import setup
from narcolink.settings import Settings, load_settings

PASSWORD_ENV = "NARCOLINK_ADMIN_PASSWORD"  # noqa: S105 - the variable's name
DEFAULT_DEMO_DIR = Path("./var/demo")


def init(
    ctx: typer.Context,
    agency: str = typer.Option(..., "--agency", help="Code of this node's agency, e.g. ncb."),
    agency_name: str = typer.Option(
        ..., "--agency-name", help="Full name, e.g. 'Narcotics Control Bureau'."
    ),
    country: str = typer.Option(..., "--country", help="ISO 3166-1 alpha-2 code, e.g. in."),
    admin: str = typer.Option("admin", "--admin", help="Username of the first administrator."),
    admin_name: str = typer.Option("", "--admin-name", help="Full name of the administrator."),
    password_file: Path | None = typer.Option(
        None,
        "--password-file",
        help=f"File whose first line is the administrator's password (else ${PASSWORD_ENV}, "
        "else a prompt).",
    ),
) -> None:
    """Create the store, this node's agency and its first administrator.

    \b
    Example:
      narcolink init --agency ncb --agency-name "Narcotics Control Bureau" \\
          --country in --admin asha --password-file /run/secrets/admin
    """
    password = read_password(password_file, PASSWORD_ENV, "Password for the administrator")
    result = setup.init_node(
        state(ctx).settings,
        setup.AgencySpec(agency, agency_name, country),
        setup.AdminSpec(admin, password, admin_name),
    )
    typer.echo(f"Initialised node for agency {result.agency!r}; store {result.store_url}")
    typer.echo(
        f"Administrator {result.admin!r} created. "
        f"Next: narcolink users add NAME --roles analyst --as {result.admin}"
    )


def _serve_settings(settings: Settings, host: str | None, port: int | None) -> Settings:
    update: dict[str, object] = {}
    if host:
        update["host"] = host
    if port:
        update["port"] = port
    return settings.model_copy(update=update) if update else settings


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise Conflict(f"{host}:{port} is already in use; choose another with --port") from None


def _run_web(settings: Settings) -> None:
    import uvicorn

    from narcolink.web.app import create_app

    _check_port_free(settings.host, settings.port)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Bind address [default: setting host]."),
    port: int | None = typer.Option(None, "--port", help="Port [default: setting port, 8765]."),
) -> None:
    """Run the web app (pages and API) until interrupted.

    \b
    Example:
      narcolink --data-dir /srv/narcolink serve --port 8765
    """
    _run_web(_serve_settings(state(ctx).settings, host, port))


def demo(
    ctx: typer.Context,
    port: int | None = typer.Option(None, "--port", help="Port for the web app [default 8765]."),
    no_serve: bool = typer.Option(
        False, "--no-serve", help="Build the demo world and print the logins, then stop."
    ),
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        help=f"Where the demo store goes (wiped first) [default {DEFAULT_DEMO_DIR}].",
    ),
    scale: float = typer.Option(
        demo_service.DEMO_SCALE,
        "--scale",
        help="Size of the synthetic world (1: tens of thousands of records; 0.02: a quick look).",
    ),
) -> None:
    """Build a fresh demo node (two agencies, the synthetic world) and serve it.

    The demo store is wiped and rebuilt on every run, always as embedded SQLite. Logins
    and passwords are printed and are for this demo only.

    \b
    Example:
      narcolink demo --port 8800
    """
    cli = state(ctx)
    target = data_dir or cli.data_dir_option or DEFAULT_DEMO_DIR
    settings = load_settings(data_dir=target, database_url=None)
    settings = _serve_settings(settings, None, port)
    if not no_serve:
        _check_port_free(settings.host, settings.port)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console(),
        transient=False,
    ) as progress:
        task = progress.add_task("Building the demo node", total=None)

        def on_step(description: str, done: int, total: int) -> None:
            progress.update(task, description=description, completed=done, total=total)

        outcome = demo_service.build_demo(settings, on_step=on_step, scale=scale)
    _print_demo(outcome, settings, serving=not no_serve)
    if not no_serve:
        _run_web(settings)


def _print_demo(outcome: demo_service.DemoOutcome, settings: Settings, serving: bool) -> None:
    console = out_console()
    logins = outcome.logins
    console.print(f"Demo store: {settings.data_dir.resolve()} (wiped and rebuilt each run)")
    for line in logins.summary:
        console.print(f"  {line}")
    console.print("Analyses run:" if logins.analyses else "Analyses run: none yet")
    for line in logins.analyses:
        console.print(f"  {line}")
    console.print(f"Not yet: {logins.not_yet}")
    table = Table(
        title="Demo logins — DEMO ONLY, never reuse these passwords", title_justify="left"
    )
    for column in ("agency", "username", "password", "roles"):
        table.add_column(column)
    for login in logins.logins:
        table.add_row(login.agency, login.username, login.password, ", ".join(login.roles))
    console.print(table)
    console.print(f"The logins are also in {outcome.logins_file}")
    if serving:
        console.print(f"Open http://{settings.host}:{settings.port}/ (Ctrl-C stops the demo)")


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("serve")(serve)
    app.command("demo")(demo)
