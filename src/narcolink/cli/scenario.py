"""``narcolink scenario``: write a seeded synthetic world (both agencies' files, chain
exports, a manifest and the ground truth) for demos, tests and benchmarks."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from narcolink.cli.context import out_console
from narcolink.scenario import generate, load_profile, profile_names

app = typer.Typer(
    help="Synthetic worlds with ground truth (see docs/scenario.md).", no_args_is_help=True
)


@app.command("generate")
def generate_command(
    out: Path = typer.Option(
        ...,
        "--out",
        help="Directory to write (empty, new, or written "
        "by this command before: it is then replaced).",
    ),
    profile: str = typer.Option(
        "medmax",
        "--profile",
        help="A packaged profile name (see 'narcolink scenario profiles') or a profile .yml file.",
    ),
    seed: int = typer.Option(7, "--seed", min=0, help="Same seed, same world, byte for byte."),
    scale: float = typer.Option(
        1.0,
        "--scale",
        help="1 is the demo world (tens of thousands "
        "of records); volumes grow linearly, networks do not.",
    ),
    workers: int = typer.Option(
        2, "--workers", min=1, max=2, help="Processes (the output is the same either way)."
    ),
) -> None:
    """Write a synthetic world: each agency's files in narcolink's import formats, chain
    exports, manifest.yml (what to import, with which source and markings, and what to
    share) and truth/ (which records are the same real entity, networks, roles).

    \b
    Example:
      narcolink scenario generate --profile medmax --seed 7 --scale 1 --out world/
      narcolink import world/ncb/persons.csv --source ncb-scenario --as asha
    """
    started = time.perf_counter()
    summary = generate(profile, seed, scale, out, workers=workers)
    elapsed = time.perf_counter() - started
    table = Table(title=f"{summary.profile} world, seed {seed}, scale {scale:g}")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for name, rows in summary.counts.items():
        table.add_row(name, f"{rows:,}")
    console = out_console()
    console.print(table)
    console.print(
        f"{summary.records:,} records in {elapsed:.1f} s "
        f"({summary.records / max(elapsed, 1e-9):,.0f} records/s); "
        f"manifest: {summary.manifest}"
    )


@app.command("profiles")
def profiles_command() -> None:
    """List the packaged profiles.

    \b
    Example:
      narcolink scenario profiles
    """
    table = Table()
    table.add_column("profile")
    table.add_column("what")
    for name in profile_names():
        table.add_row(name, load_profile(name).title)
    out_console().print(table)
