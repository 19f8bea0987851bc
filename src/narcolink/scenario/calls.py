"""Call records (CDRs): ordinary calls between people of the population, and the calls of
the networks, in each agency's view (an agency holds the calls of its own country's numbers).
"""

from __future__ import annotations

from datetime import date

from narcolink.scenario.members import chance_in, member_id
from narcolink.scenario.network import Network
from narcolink.scenario.parcels import pool_of
from narcolink.scenario.rng import Stream
from narcolink.scenario.world import World


def _call_row(
    view_rid: str,
    caller: str,
    caller_no: str,
    receiver: str,
    receiver_no: str,
    day: date,
    rng: Stream,
) -> list[str]:
    seconds = int(5 + rng.random() ** 3 * 1800)
    stamp = f"{day.isoformat()}"
    return [view_rid, caller, caller_no, receiver, receiver_no, stamp, str(seconds)]


def background_calls(world: World) -> None:
    total = world.volume("calls")
    if not total:
        return
    rng = world.stream("calls")
    pools = {c: pool_of(world, c) for c in ("in", "us")}
    pools = {c: p for c, p in pools.items() if p.size}
    if not pools:
        return
    countries = sorted(pools)
    for n in range(total):
        home = countries[0] if len(countries) == 1 else ("in" if rng.chance(0.6) else "us")
        caller = pools[home].pick(rng)
        other = home
        if len(countries) > 1 and rng.chance(0.08):
            other = "us" if home == "in" else "in"
        receiver = pools[other].pick(rng)
        if receiver.index == caller.index:
            continue
        day = world.day(rng)
        entity = f"call-{n}"
        world.out.entity(entity, "call", "", home)
        for view in world.views.values():
            if view.country not in (caller.country, receiver.country):
                continue
            caller_id = view.person_id(caller.index, caller.country) if rng.chance(0.7) else ""
            receiver_id = (
                view.person_id(receiver.index, receiver.country) if rng.chance(0.7) else ""
            )
            view.emit(
                "calls",
                _call_row(
                    view.rid("calls", n),
                    caller_id,
                    caller.phone,
                    receiver_id,
                    receiver.phone,
                    day,
                    rng,
                ),
                entity,
            )


def network_calls(net: Network) -> None:
    world = net.world
    for n, spec in enumerate(net.spec.get("calls") or []):
        a_role, b_role = spec["between"]
        lefts = net.select(a_role, f".calls[{n}]")
        rights = net.select(b_role, f".calls[{n}]")
        rng = world.stream(net.name, "calls", n)
        start = end = None
        for m in range(int(spec.get("count", 1))):
            a, b = rng.pick(lefts), rng.pick(rights)
            if a is b or not a.phone or not b.phone:
                continue
            if rng.chance(0.5):
                a, b = b, a
            day = world.day(rng, start, end)
            entity = f"{net.name}-call-{n}-{m}"
            world.out.entity(entity, "call", "", a.country, net.name, "", True)
            for code in sorted(chance_in(net, spec.get("views"), f"call{n}", m)):
                view = world.views[code]
                view.emit(
                    "calls",
                    _call_row(
                        view.rid("calls", net.base + n * 10_000 + m),
                        member_id(view, a),
                        a.phone,
                        member_id(view, b),
                        b.phone,
                        day,
                        rng,
                    ),
                    entity,
                )
