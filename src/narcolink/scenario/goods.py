"""What a network moves: parcels, chemical shipments and their pre-export notifications.

The plans are pure functions of the profile and seed, so the process that writes parcels
and the one that writes seizures and shares (which point at parcels) agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from narcolink.exc import BadRequest
from narcolink.scenario import lexicon
from narcolink.scenario.contact import render_address
from narcolink.scenario.members import chance_in, member_id
from narcolink.scenario.network import Member, Network
from narcolink.scenario.parcels import Parcel, Party, route_for, tracking, write_parcel
from narcolink.scenario.rng import Weighted, key
from narcolink.scenario.world import View

TABLET_KG = 0.00035  # one tablet with its share of strip and packing


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _window(net: Network, spec: dict[str, Any]) -> tuple[date | None, date | None]:
    window = spec.get("window")
    return (_day(window[0]), _day(window[1])) if window else (None, None)


def _party(net: Network, member: Member, fake: bool, rng: Any) -> Party:
    home = net.home(member)
    text = member.pin.get("address") or render_address(home, "canonical", rng)
    refs = {} if fake else {code: member_id(v, member) for code, v in net.world.views.items()}
    name = member.name
    if fake:  # parcels of a syndicate often carry invented sender names
        names = lexicon.indian_names()
        name = (
            f"{rng.pick(names.get('given', 'north', 'm')).latin} "
            f"{rng.pick(names.get('surname', 'north', '')).latin}"
        )
    return Party(
        name, home, str(text), member.phone, member.country, {k: v for k, v in refs.items() if v}
    )


def shipment_plan(net: Network) -> list[tuple[str, Member, Parcel]]:
    """(flow id, recipient member, parcel) for every parcel of the network, in order."""
    carriers = {c["name"]: c for c in lexicon.trade()["carriers"]}
    cover = lexicon.trade()["declared"]["cover"]
    meds = lexicon.medicines()
    plan = []
    for n, spec in enumerate(net.spec.get("shipments") or []):
        flow = str(spec["id"])
        senders = net.select(spec["from"], f".shipments.{flow}.from")
        recipients = net.select(spec["to"], f".shipments.{flow}.to")
        rng = net.world.stream(net.name, "shipments", flow)
        drugs = Weighted(
            [(meds[d], float(w)) for d, w in (spec.get("drugs") or {"Tramadol": 1}).items()]
        )
        low, high = spec.get("units", [100, 1000])
        pins = (spec.get("pinned") or []) if net.instance == 0 else []
        start, end = _window(net, spec)
        for m in range(int(spec.get("count", 1))):
            pin = pins[m] if m < len(pins) else {}
            recipient = net.select(pin["to"])[0] if "to" in pin else rng.pick(recipients)
            sender = rng.pick(senders)
            shipped = _day(pin["date"]) if "date" in pin else net.world.day(rng, start, end)
            name = rng.pick(spec.get("carrier") or ["India Post (EMS Speed Post)"])
            carrier = carriers.get(name, {"name": name, "us_name": name, "style": "digits:12"})
            serial = key(net.world.seed, net.name, flow, m) % 10**8
            number = str(
                pin.get("tracking")
                or tracking(
                    carrier["style"],
                    carrier.get("service", "E"),
                    serial,
                    rng,
                    "IN" if sender.country == "in" else "US",
                )
            )
            med = rng.weighted(drugs)
            units = rng.between(int(low), int(high))
            contents, hs = rng.pick(cover)
            contents = str(pin.get("declared", contents))
            weight = float(pin.get("weightKg", round(0.2 + units * TABLET_KG, 2)))
            value = float(pin.get("value", rng.between(15, 60)))
            origin, destination = sender.country, recipient.country
            if spec.get("views"):
                views = chance_in(net, spec["views"], f"ship-{flow}", m)
            else:
                views = {
                    c for c, v in net.world.views.items() if v.country in (origin, destination)
                }
            fake = not pin and not spec.get("domestic") and rng.chance(0.3)
            parcel = Parcel(
                f"{net.name}-{flow}-{m}",
                net.base + 500_000 + n * 10_000 + m,
                number,
                carrier["name"],
                carrier["us_name"],
                _party(net, sender, fake, rng),
                _party(net, recipient, False, rng),
                contents,
                hs,
                weight,
                value,
                1,
                origin,
                destination,
                route_for(origin, destination, rng),
                shipped,
                _day(pin["delivered"])
                if "delivered" in pin
                else shipped + timedelta(days=5 + rng.below(10)),
                views,
                True,
                net.name,
                f"{flow}: {med.name} x{units}",
            )
            plan.append((flow, recipient, parcel))
    return plan


def write_shipments(net: Network) -> None:
    rng = net.world.stream(net.name, "parcel-rows")
    for _, _, parcel in shipment_plan(net):
        write_parcel(net.world, parcel, rng)


def parcel_ids(net: Network, view: View, selector: str) -> list[str]:
    """Record ids in ``view`` of the parcels of ``flow@country`` or ``flow@role@k``."""
    flow, _, rest = selector.partition("@")
    found = []
    for plan_flow, recipient, parcel in shipment_plan(net):
        if plan_flow != flow or view.code not in parcel.views:
            continue
        if rest and len(rest) == 2 and parcel.destination != rest:
            continue
        if rest and len(rest) != 2 and recipient.label != rest:
            continue
        found.append((parcel.shipped, view.rid("consignments", parcel.index)))
    return [rid for _, rid in sorted(found)]


# --- chemicals ----------------------------------------------------------------------------


def chemical_plan(net: Network) -> list[dict[str, Any]]:
    """Every chemical shipment and pre-export notification of the network, as rows to write
    (pure, so shares can name them)."""
    chems = lexicon.chemicals()
    items: list[dict[str, Any]] = []
    for n, spec in enumerate(net.spec.get("chemicals") or []):
        flow = str(spec["id"])
        chemical = chems.get(spec["chemical"])
        if chemical is None:
            raise BadRequest(f"{net.where}.chemicals.{flow}: unknown chemical {spec['chemical']!r}")
        exporters = net.select(spec["exporter"], f".chemicals.{flow}.exporter")
        importers = net.select(spec["importer"], f".chemicals.{flow}.importer")
        rng = net.world.stream(net.name, "chemicals", flow)
        low, high = spec.get("quantity", [100, 500])
        start, end = _window(net, spec)
        split = int(spec.get("split", 1))
        for m in range(int(spec.get("count", 1))):
            exporter, importer = rng.pick(exporters), rng.pick(importers)
            day = net.world.day(rng, start, end)
            total = rng.between(int(low), int(high))
            index = net.base + 700_000 + n * 10_000 + m * 10
            if spec.get("pen"):
                items.append(
                    {
                        "kind": "pen",
                        "flow": flow,
                        "n": m,
                        "index": index,
                        "exporter": exporter,
                        "importer": importer,
                        "chemical": chemical,
                        "quantity": total * split,
                        "unit": spec.get("unit", "kg"),
                        "date": day,
                        "status": spec["pen"],
                        "views": spec.get("views"),
                    }
                )
                if spec["pen"] == "objection":
                    continue
            for part in range(split):
                items.append(
                    {
                        "kind": "shipment",
                        "flow": flow,
                        "n": m,
                        "part": part,
                        "index": index + part,
                        "exporter": exporter,
                        "importer": importer,
                        "chemical": chemical,
                        "declared": spec.get("declared_as", chemical.name),
                        "hs": spec.get("hs_declared", chemical.hs),
                        "quantity": total,
                        "unit": spec.get("unit", "kg"),
                        "date": day + timedelta(days=part * (1 + rng.below(4))),
                        "transit": ";".join(spec.get("transit") or []),
                        "views": spec.get("views"),
                        "invoice": f"INV/{day.year}/{rng.digits(5)}",
                        "bl": f"{rng.pick(('MAEU', 'MSCU', 'CMAU', 'HLCU'))}{rng.digits(9)}",
                    }
                )
    return items


def write_chemicals(net: Network) -> None:
    world = net.world
    for item in chemical_plan(net):
        chemical = item["chemical"]
        exporter, importer = item["exporter"], item["importer"]
        if item["kind"] == "pen":
            entity = f"{net.name}-pen-{item['flow']}-{item['n']}"
            world.out.entity(
                entity,
                "pre_export_notification",
                chemical.name,
                exporter.country,
                net.name,
                item["flow"],
                True,
            )
            for code in sorted(chance_in(net, item["views"], f"pen-{item['flow']}", item["n"])):
                view = world.views[code]
                day = item["date"]
                view.emit(
                    "pre_export_notifications",
                    [
                        view.rid("pre_export_notifications", item["index"]),
                        f"PEN/{exporter.country.upper()}/{day.year}/{item['index'] % 100000:05d}",
                        member_id(view, exporter),
                        member_id(view, importer),
                        exporter.country,
                        importer.country,
                        chemical.name,
                        chemical.cas,
                        str(item["quantity"]),
                        item["unit"],
                        item["status"],
                        day.isoformat(),
                        (day + timedelta(days=6)).isoformat(),
                        "Importer not known to the importing authority; no legitimate need shown."
                        if item["status"] == "objection"
                        else "",
                    ],
                    entity,
                )
            continue
        entity = f"{net.name}-chem-{item['flow']}-{item['n']}-{item['part']}"
        world.out.entity(
            entity,
            "chemical_shipment",
            chemical.name,
            exporter.country,
            net.name,
            item["flow"],
            True,
        )
        label = "mislabelled" if item["declared"] != chemical.name else ""
        for code in sorted(
            chance_in(net, item["views"], f"chem-{item['flow']}", item["n"] * 10 + item["part"])
        ):
            view = world.views[code]
            view.emit(
                "chemical_shipments",
                [
                    view.rid("chemical_shipments", item["index"]),
                    member_id(view, exporter),
                    member_id(view, importer),
                    item["declared"],
                    "" if label else chemical.cas,
                    item["hs"],
                    str(item["quantity"]),
                    item["unit"],
                    exporter.country,
                    importer.country,
                    item["transit"],
                    item["invoice"],
                    item["bl"],
                    "",
                    item["date"].isoformat(),
                ],
                entity,
                label,
            )
