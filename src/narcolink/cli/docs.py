"""``narcolink docs``: regenerate documentation that is derived from code."""

from __future__ import annotations

from pathlib import Path

import typer

from narcolink.cli.modeldoc import render_model_doc
from narcolink.exc import Conflict, NotFound
from narcolink.ingest import formatdoc

app = typer.Typer(help="Regenerate generated documentation.", no_args_is_help=True)


@app.command("model")
def model(
    out: Path = typer.Option(Path("docs/model.md"), "--out", help="File to write."),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 5 if the file is out of date."
    ),
) -> None:
    """Regenerate docs/model.md from the schema files.

    \b
    Example:
      narcolink docs model --out docs/model.md
    """
    text = render_model_doc()
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            raise Conflict(f"{out} is out of date; run 'narcolink docs model --out {out}'")
        typer.echo(f"{out} is up to date.")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {out}.")


@app.command("formats")
def formats(
    examples: Path = typer.Option(
        Path("examples"), "--examples", help="Folder of the reference example files."
    ),
    out: Path = typer.Option(Path("docs/formats.md"), "--out", help="File to update."),
) -> None:
    """Regenerate the record-type tables of docs/formats.md from the example files.

    \b
    Example:
      narcolink docs formats --examples examples --out docs/formats.md
    """
    for needed in (examples, out):
        if not needed.exists():
            raise NotFound(f"{needed} does not exist; run this in a narcolink checkout")
    formatdoc.update(examples, out)
    typer.echo(f"Updated {out}.")
