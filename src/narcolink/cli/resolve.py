"""``narcolink resolve``: find the same person or company across records and agencies."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from narcolink.cli.context import AS_OPTION, acting, opened_node, out_console
from narcolink.exc import BadRequest
from narcolink.services import resolution

app = typer.Typer(
    help="Entity resolution: run it, review uncertain pairs, confirm, reject, split, undo.",
    no_args_is_help=True,
)

SCHEMA = typer.Option("Person", "--schema", help="Person or Company (also Organization).")


def _spec(path: Path | None, schema: str) -> resolution.ResolutionSpec | None:
    if path is None:
        return None
    try:
        return resolution.ResolutionSpec.from_json(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadRequest(f"cannot read spec {path}: {error.strerror}") from None


@app.command("run")
def run(
    ctx: typer.Context,
    schema: str = SCHEMA,
    spec: Path | None = typer.Option(None, "--spec", help="A spec JSON file (see 'spec')."),
    reuse_model: bool = typer.Option(
        False, "--reuse-model", help="Score with the last run's trained model (no training)."
    ),
    as_user: str = AS_OPTION,
) -> None:
    """Resolve every visible record of a schema (your own and what partners shared).

    \b
    Example:
      narcolink resolve run --schema Person --as analyst
    """
    with opened_node(ctx) as node:
        summary = resolution.run(
            node, acting(node, as_user), schema, _spec(spec, schema), reuse_model=reuse_model
        )
    typer.echo(
        f"Run {summary.id}: {summary.records} {schema} record(s), {summary.pairs} scored "
        f"pair(s), {summary.clusters} cluster(s) joining {summary.linked_records} record(s)."
    )


@app.command("queue")
def queue(
    ctx: typer.Context,
    schema: str = SCHEMA,
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=200, help="How many pairs."),
    as_user: str = AS_OPTION,
) -> None:
    """Show undecided pairs of the latest run, most uncertain first, with their evidence.

    \b
    Example:
      narcolink resolve queue -n 10 --as analyst
    """
    with opened_node(ctx) as node:
        items = resolution.queue(node, acting(node, as_user), schema, limit)
    if not items:
        typer.echo("Nothing to review.")
        return
    table = Table()
    for column in ("probability", "left", "right", "evidence (log2 weight)"):
        table.add_column(column)
    for item in items:
        evidence = ", ".join(
            f"{f['field']}: {f['level']} ({f['weight']:+.1f})"
            for f in item.explanation
            if f["level"] != "missing"
        )
        table.add_row(
            f"{item.probability:.3f}",
            f"{item.left.caption} [{item.left.agency}] {item.left.id}",
            f"{item.right.caption} [{item.right.agency}] {item.right.id}",
            evidence,
        )
    out_console().print(table)


@app.command("judge")
def judge(
    ctx: typer.Context,
    left: str = typer.Argument(..., help="One record id."),
    right: str = typer.Argument(..., help="The other record id."),
    verdict: str = typer.Argument(..., help="confirm or reject."),
    note: str = typer.Option("", "--note", help="Why (kept with the judgement)."),
    as_user: str = AS_OPTION,
) -> None:
    """Confirm or reject that two records are the same entity (later runs respect it).

    \b
    Example:
      narcolink resolve judge ncb-0123... dea-4567... confirm --note "same passport" --as analyst
    """
    with opened_node(ctx) as node:
        made = resolution.judge(node, acting(node, as_user), left, right, verdict, note)
    typer.echo(f"Judgement {made.id}: {made.verdict} {made.left_id} {made.right_id}")


@app.command("split")
def split(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help="The record to take out of its cluster."),
    note: str = typer.Option("", "--note", help="Why."),
    as_user: str = AS_OPTION,
) -> None:
    """Take a record out of its cluster; it rejoins only through pairs you confirm.

    \b
    Example:
      narcolink resolve split ncb-0123... --as analyst
    """
    with opened_node(ctx) as node:
        made = resolution.split(node, acting(node, as_user), entity, note)
    typer.echo(f"Judgement {made.id}: split {made.left_id}")


@app.command("undo")
def undo(
    ctx: typer.Context,
    judgement_id: int = typer.Argument(..., help="The judgement to cancel."),
    as_user: str = AS_OPTION,
) -> None:
    """Cancel a judgement (an undo row is appended; nothing is deleted).

    \b
    Example:
      narcolink resolve undo 12 --as analyst
    """
    with opened_node(ctx) as node:
        made = resolution.undo(node, acting(node, as_user), judgement_id)
    typer.echo(f"Judgement {made.id}: undo of {judgement_id}")


@app.command("cluster")
def cluster(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help="Any record of the cluster."),
    schema: str = SCHEMA,
    as_user: str = AS_OPTION,
) -> None:
    """Show the canonical entity a record belongs to: members and the pairs that link them.

    \b
    Example:
      narcolink resolve cluster ncb-0123... --as analyst
    """
    with opened_node(ctx) as node:
        found = resolution.cluster_of(node, acting(node, as_user), entity, schema)
    typer.echo(f"Cluster {found.id} (run {found.run_id or 'none'}):")
    for member in found.members:
        typer.echo(f"  {member.id}  [{member.agency}]  {member.caption}")
    for pair in found.pairs:
        typer.echo(f"  {pair['left_id']} ~ {pair['right_id']}: p={pair['probability']:.3f}")


@app.command("spec")
def spec(schema: str = SCHEMA) -> None:
    """Print the default spec of a schema as JSON (edit it and pass it to 'run --spec').

    \b
    Example:
      narcolink resolve spec --schema Company > company-spec.json
    """
    typer.echo(resolution.default_spec(schema).to_json())
