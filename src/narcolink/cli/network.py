"""``narcolink network``: from a lead to the network behind it, with the reasons."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import typer

from narcolink.cli.context import AS_OPTION, acting, opened_node
from narcolink.services import network

app = typer.Typer(
    help="Link analysis over the records your agency may see: expand a lead, explain the "
    "paths between two entities, find communities.",
    no_args_is_help=True,
)

SINCE = typer.Option(None, "--since", help="Leave out evidence dated before this (YYYY[-MM[-DD]]).")
UNTIL = typer.Option(None, "--until", help="Leave out evidence dated after this (YYYY[-MM[-DD]]).")
JSON = typer.Option(False, "--json", help="Print the full result, with evidence, as JSON.")


def _dump(value: Any) -> None:
    typer.echo(json.dumps(asdict(value), ensure_ascii=False, indent=1, default=str))


def _hop_text(link: Any) -> str:
    return link.evidence[0].describe() if link.evidence else "linked"


@app.command("expand")
def expand(
    ctx: typer.Context,
    entity_id: str = typer.Argument(..., metavar="ID", help="The lead: a record id."),
    hops: int = typer.Option(3, "--hops", min=1, max=6, help="How far to walk from the lead."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=500, help="How many to list."),
    schema: list[str] = typer.Option(
        [], "--schema", help="Only list entities of this type (and its subtypes), e.g. Person."
    ),
    since: str | None = SINCE,
    until: str | None = UNTIL,
    as_json: bool = JSON,
    as_user: str = AS_OPTION,
) -> None:
    """List the entities within --hops of a lead, best-ranked first, with the evidence
    path to each (which record, which property links each hop).

    \b
    Example:
      narcolink network expand ncb-0123456789abcdef01234567 --hops 3 --as analyst
    """
    with opened_node(ctx) as node:
        result = network.expand(
            node,
            acting(node, as_user),
            entity_id,
            hops,
            limit=limit,
            schemata=schema,
            since=since,
            until=until,
        )
    if as_json:
        _dump(result)
        return
    typer.echo(
        f"{result.lead.caption} ({result.lead.schema}, {result.lead.agency.upper()}): "
        f"{result.reached} entities within {hops} hops, ranked ({result.version})"
    )
    for n, r in enumerate(result.ranked, start=1):
        typer.echo(
            f"\n{n:3}. {r.score:.3f}  {r.node.caption} [{r.node.schema}, "
            f"{r.node.agency.upper()}] {r.hops} hop{'s' if r.hops > 1 else ''}  {r.node.id}"
        )
        for link in r.path:
            typer.echo(f"       | {_hop_text(link)}")
    for hub in result.hubs:
        typer.echo(f"not walked through (too many links): {hub.caption} [{hub.id}]")
    if result.truncated:
        typer.echo("the expansion was cut short at its size limit: narrow it with --since/--until")


@app.command("path")
def path(
    ctx: typer.Context,
    source: str = typer.Argument(..., metavar="A", help="Record id of one end."),
    target: str = typer.Argument(..., metavar="B", help="Record id of the other end."),
    max_hops: int = typer.Option(6, "--max-hops", min=1, max=8, help="Give up beyond this."),
    limit: int = typer.Option(5, "--limit", "-n", min=1, max=50, help="How many paths."),
    since: str | None = SINCE,
    until: str | None = UNTIL,
    as_json: bool = JSON,
    as_user: str = AS_OPTION,
) -> None:
    """Explain how two entities are connected: the shortest chains of evidence, strongest
    first, each hop with the record and property behind it.

    \b
    Example:
      narcolink network path ncb-0123456789abcdef01234567 dea-89abcdef0123456789abcdef --as analyst
    """
    with opened_node(ctx) as node:
        result = network.paths(
            node,
            acting(node, as_user),
            source,
            target,
            max_hops=max_hops,
            limit=limit,
            since=since,
            until=until,
        )
    if as_json:
        _dump(result)
        return
    if not result.paths:
        typer.echo(
            f"No path of at most {max_hops} hops between {result.source.caption} and "
            f"{result.target.caption} in the records you may see."
        )
        return
    typer.echo(f"{result.source.caption} → {result.target.caption}: {result.hops} hop(s)")
    for n, (strength, nodes, links) in enumerate(result.paths, start=1):
        typer.echo(f"\npath {n} (strength {strength:.3f})")
        for node_info, link in zip(nodes, links, strict=False):
            typer.echo(f"  {node_info.caption} [{node_info.schema}]")
            for ev in link.evidence:
                typer.echo(f"    | {ev.describe()}  (weight {ev.weight:.2f})")
        typer.echo(f"  {nodes[-1].caption} [{nodes[-1].schema}]")


@app.command("communities")
def communities(
    ctx: typer.Context,
    min_size: int = typer.Option(3, "--min-size", min=2, help="Smallest community listed."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500, help="How many to list."),
    since: str | None = SINCE,
    until: str | None = UNTIL,
    as_json: bool = JSON,
    as_user: str = AS_OPTION,
) -> None:
    """Find communities (Leiden, modularity) in everything your agency may see, largest
    first, each with its most connected members.

    \b
    Example:
      narcolink network communities --min-size 4 --as analyst
    """
    with opened_node(ctx) as node:
        result = network.communities(
            node, acting(node, as_user), min_size=min_size, limit=limit, since=since, until=until
        )
    if as_json:
        _dump(result)
        return
    typer.echo(f"{len(result.communities)} communities (modularity {result.modularity:.3f})")
    for c in result.communities:
        where = ", ".join(c.countries) or "no country"
        typer.echo(
            f"\ncommunity {c.number}: {c.size} entities, {c.internal_links} links, "
            f"agencies {', '.join(a.upper() for a in c.agencies)}, countries {where}"
        )
        for m in c.members[:10]:
            typer.echo(f"  {m.strength:6.2f}  {m.node.caption} [{m.node.schema}] {m.node.id}")
