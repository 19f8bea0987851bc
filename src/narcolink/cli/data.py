"""Moving records in and out of the node: import, export."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from narcolink.cli.context import AS_OPTION, acting, err_console, opened_node
from narcolink.exc import BadRequest
from narcolink.model.markings import Markings
from narcolink.services import exports, imports


@contextmanager
def _working(description: str) -> Iterator[None]:
    """A spinner with elapsed time on stderr while a service call runs."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    ) as progress:
        progress.add_task(description, total=None)
        yield


def _markings(**given: str | None) -> Markings | None:
    if not any(given.values()):
        return None
    try:
        return Markings.parse(given)
    except ValueError as error:
        raise BadRequest(f"invalid marking: {error}") from None


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ...,
        metavar="FILE",
        exists=True,
        dir_okay=False,
        readable=True,
        help="CSV, JSON lines or FtM JSON file to load.",
    ),
    source: str = typer.Option(..., "--source", help="Name of the source system, e.g. ncb-cases."),
    fmt: str | None = typer.Option(
        None, "--format", help="csv, jsonl or ftm [default: from the file extension]."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", exists=True, dir_okay=False, help="Mapping file (column -> property)."
    ),
    tlp: str | None = typer.Option(
        None, "--tlp", help="TLP 2.0 label: CLEAR, GREEN, AMBER, AMBER+STRICT, RED [default AMBER]."
    ),
    pap: str | None = typer.Option(None, "--pap", help="PAP: CLEAR, GREEN, AMBER, RED."),
    handling: str | None = typer.Option(None, "--handling", help="Handling code H0-H3."),
    source_grading: str | None = typer.Option(
        None, "--source-grading", help="Source grading as scheme:code, e.g. admiralty:B."
    ),
    info_grading: str | None = typer.Option(
        None, "--info-grading", help="Information grading as scheme:code, e.g. admiralty:2."
    ),
    schema: str | None = typer.Option(
        None,
        "--schema",
        help="Schema of every row, when the file has no schema column and "
        "its name is not a schema (e.g. Person).",
    ),
    display_name: str | None = typer.Option(None, "--name", help="Name shown for this import."),
    as_user: str = AS_OPTION,
) -> None:
    """Validate a file and load it, all or nothing.

    A file with any problem writes nothing: it is loaded in one transaction or not at all.

    Re-importing the same file changes nothing. Problems are listed as a table with row,
    field and reason, and the command exits with code 2.

    \b
    Example:
      narcolink import seizures.csv --source ncb-seizures --tlp AMBER --as asha
    """
    markings = _markings(
        tlp=tlp,
        pap=pap,
        handling=handling,
        source_grading=source_grading,
        info_grading=info_grading,
    )
    with opened_node(ctx) as node:
        actor = acting(node, as_user)
        with _working(f"Importing {file.name}"):
            result = imports.import_file(
                node,
                actor,
                file,
                source=source,
                fmt=fmt,
                markings=markings,
                mapping=mapping,
                display_name=display_name,
                schema=schema,
            )
    if result.unchanged:
        typer.echo(f"{file.name}: already imported as batch {result.batch_id}; nothing changed.")
    else:
        typer.echo(
            f"{file.name}: imported {result.records} record(s), {result.statements} "
            f"statement(s) as batch {result.batch_id}."
        )


def export(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", dir_okay=False, help="File to write."),
    fmt: str = typer.Option("ftm", "--format", help="ftm (FtM JSON lines) or csv."),
    schema: str | None = typer.Option(None, "--schema", help="Only this schema, e.g. Person."),
    own_only: bool = typer.Option(
        False, "--own-only", help="Only your agency's own records, not those shared with it."
    ),
    as_user: str = AS_OPTION,
) -> None:
    """Write the records you may see, with their markings, to a file.

    The file appears only when the export has completed.

    \b
    Example:
      narcolink export --format ftm --out records.jsonl --as asha
    """
    if fmt not in ("ftm", "csv"):
        raise BadRequest(f"--format must be ftm or csv, not {fmt!r}")
    partial = out.with_name(f".{out.name}.partial")
    with opened_node(ctx) as node:
        actor = acting(node, as_user)
        try:
            with (
                _working(f"Exporting to {out}"),
                partial.open("w", encoding="utf-8", newline="") as fh,
            ):
                count = exports.export_entities(
                    node, actor, fh, fmt=fmt, schema=schema, own_only=own_only
                )
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    typer.echo(f"Exported {count} record(s) to {out}.")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
