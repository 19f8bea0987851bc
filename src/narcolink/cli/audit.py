"""``narcolink audit``: verify the hash chain, read the newest rows."""

from __future__ import annotations

import typer

from narcolink.cli.context import AS_OPTION, acting, opened_node
from narcolink.exc import AuditBroken
from narcolink.services import auditing

app = typer.Typer(help="Check and read the append-only audit log.", no_args_is_help=True)


@app.command("verify")
def verify(ctx: typer.Context, as_user: str = AS_OPTION) -> None:
    """Check that no audit row was edited, deleted or reordered (exit 0 intact, 6 broken).

    \b
    Example:
      narcolink audit verify --as auditor
    """
    with opened_node(ctx) as node:
        verdict = auditing.verify(node, acting(node, as_user))
    if verdict.intact:
        typer.echo(f"Audit chain intact: {verdict.rows} row(s) verified.")
        return
    for problem in verdict.problems:
        typer.echo(f"problem: {problem}", err=True)
    typer.echo(
        f"error: audit chain broken: {len(verdict.problems)} problem(s) in {verdict.rows} row(s)",
        err=True,
    )
    raise typer.Exit(AuditBroken.exit_code)


@app.command("tail")
def tail(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=1000, help="How many rows."),
    as_user: str = AS_OPTION,
) -> None:
    """Show the newest audit rows of your agency, newest first, one per line.

    Columns are separated by tabs, so the output can be filtered with grep, cut or awk.

    \b
    Example:
      narcolink audit tail -n 50 --as auditor
    """
    with opened_node(ctx) as node:
        entries = auditing.recent(node, acting(node, as_user), limit)
    typer.echo("\t".join(("seq", "at (UTC)", "actor", "agency", "action", "object", "detail")))
    for e in entries:
        obj = f"{e.object_type or ''} {e.object_id or ''}".strip()
        when = e.at.strftime("%Y-%m-%d %H:%M:%S")
        typer.echo("\t".join((str(e.seq), when, e.actor, e.agency or "", e.action, obj, e.detail)))
