"""``narcolink chem``: screen chemicals against the controlled-substance knowledge base."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import typer

from narcolink.cli.context import AS_OPTION, acting, err_console, opened_node
from narcolink.exc import BadRequest
from narcolink.services import chemistry

app = typer.Typer(
    help="Screen chemicals: controlled where and since when, or a designer-precursor risk.",
    no_args_is_help=True,
)

FLAGGED_EXIT = 0


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise BadRequest(f"--as-of {text!r} is not a date like 2024-12-03") from None


@app.command("screen")
def screen(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ...,
        metavar="FILE",
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV (a smiles/inchi/cas/name column), SDF or molfile, or text with one name, "
        "CAS number, SMILES or InChI per line.",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Screen against the lists as they stood on this date [today]."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", dir_okay=False, help="Write every result to this CSV file."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
    processes: int | None = typer.Option(
        None, "--processes", min=1, help="Worker processes [all cores for files of 5,000+ items]."
    ),
    as_user: str = AS_OPTION,
) -> None:
    """Screen every chemical in FILE and print what is controlled or a risk.

    Each flagged line says where it is controlled and since when, or how many synthetic
    steps (which ones) lead to a controlled substance. The exit code is 0 whether or not
    something was flagged; use --out or --json for the full results.

    \b
    Examples:
      narcolink chem screen invoice.csv --as precursor-officer
      narcolink chem screen shipment.sdf --as-of 2021-01-01 --out results.csv --as ravi
    """
    with opened_node(ctx) as node:
        actor = acting(node, as_user)
        with err_console().status(f"screening {file.name}"):
            report = chemistry.screen_file(
                node, actor, file, as_of=_date(as_of), processes=processes
            )
    if out is not None:
        out.write_text(chemistry.report_csv(report), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return
    counts = report.counts
    typer.echo(
        f"{file.name}: {len(report.results)} screened as of {report.as_of} "
        f"(knowledge base {report.kb_version}): "
        + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    )
    for r in report.results:
        if r.verdict.flagged or r.error:
            name = f" {r.label}" if r.label else ""
            typer.echo(f"row {r.row}{name}: {r.verdict.value} ({r.confidence:.2f}): {r.summary}")


@app.command("lookup")
def lookup(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="Name, synonym, street name or CAS."),
    as_user: str = AS_OPTION,
) -> None:
    """Find knowledge-base entries by name, synonym, brand or street name, or CAS number.

    \b
    Example:
      narcolink chem lookup BMK --as ravi
    """
    with opened_node(ctx) as node:
        hits = chemistry.lookup(node, acting(node, as_user), name)
    if not hits:
        typer.echo(f"nothing in the knowledge base matches {name!r}", err=True)
        raise typer.Exit(4)
    for h in hits:
        lists = "; ".join(h.lists) or "not controlled today"
        typer.echo(f"{h.id}\t{h.name}\t{h.cas or '-'}\t{lists}")
