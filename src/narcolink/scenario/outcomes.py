"""What a network leaves behind and what agencies pass on: seizures and arrests, the leads
an investigation starts from, and the records each agency shares with the other."""

from __future__ import annotations

from typing import Any

from narcolink.exc import BadRequest
from narcolink.scenario import lexicon
from narcolink.scenario.goods import chemical_plan, parcel_ids
from narcolink.scenario.members import chance_in, member_id
from narcolink.scenario.network import Network
from narcolink.scenario.world import View


def write_seizures(net: Network) -> None:
    world = net.world
    meds = lexicon.medicines()
    for n, spec in enumerate(net.spec.get("seizures") or []):
        sid = str(spec["id"])
        view = world.views.get(str(spec.get("agency")))
        if view is None:
            raise BadRequest(f"{net.where}.seizures.{sid}: unknown agency {spec.get('agency')!r}")
        entity = f"{net.name}-seizure-{sid}"
        world.out.entity(
            entity, "seizure", str(spec["name"]), str(spec.get("country", "")), net.name, "", True
        )
        persons = [member_id(view, m) for m in net.select(spec.get("persons") or [])]
        vehicles = [
            view.rid("vehicles", m.index)
            for m in net.select(spec.get("vehicles") or [])
            if view.code in m.vehicle_views
        ]
        parcels = [
            rid for sel in spec.get("consignments") or [] for rid in parcel_ids(net, view, sel)[-1:]
        ]
        index = net.base + 900_000 + n * 100
        view.emit(
            "seizures",
            [
                view.rid("seizures", index),
                str(spec["name"]),
                str(spec.get("case", "")),
                str(spec.get("date", "")),
                str(spec.get("location", "")),
                str(spec.get("country", "")),
                str(spec.get("seizing_agency", "")),
                str(spec.get("operation", "")),
                str(spec.get("trigger", "")),
                str(spec.get("concealment", "")),
                ";".join(p for p in persons if p),
                ";".join(vehicles),
                ";".join(parcels),
                "",
            ],
            entity,
        )
        for i, item in enumerate(spec.get("items") or []):
            med = meds.get(str(item.get("drug")))
            item_entity = f"{entity}-item-{i}"
            world.out.entity(
                item_entity, "seized_item", str(item.get("drug")), "", net.name, "", True
            )
            view.emit(
                "seized_items",
                [
                    view.rid("seized_items", index + i),
                    view.rid("seizures", index),
                    med.salt if med else str(item.get("drug")),
                    str(item.get("brand", med.brands[0] if med else "")),
                    str(item.get("quantity")),
                    str(item.get("unit", "")),
                    str(item.get("form", "")),
                    str(item.get("units", "")),
                    str(item.get("packaging", "")),
                ],
                item_entity,
            )
    for n, spec in enumerate(net.spec.get("events") or []):
        view = net.world.views[str(spec["agency"])]
        entity = f"{net.name}-event-{n}"
        world.out.entity(
            entity, "event", str(spec["name"]), str(spec.get("country", "")), net.name, "", True
        )
        involved = [member_id(view, m) for m in net.select(spec.get("involved") or [])]
        view.emit(
            "events",
            [
                view.rid("events", net.base + 950_000 + n),
                str(spec["name"]),
                str(spec.get("date")),
                str(spec.get("location", "")),
                str(spec.get("country", "")),
                ";".join(i for i in involved if i),
                str(spec.get("summary", "")),
            ],
            entity,
        )


def shares(net: Network) -> list[dict[str, Any]]:
    """The profile's shares, resolved to record ids of the sharing agency's view."""
    found = []
    for n, spec in enumerate(net.spec.get("shares") or []):
        view = net.world.views[str(spec["from"])]
        records: list[str] = []
        for item in spec.get("records") or []:
            kind, _, selector = str(item).partition(":")
            records.extend(_share_ids(net, view, kind, selector, f".shares[{n}]"))
        found.append(
            {
                "agency": view.code,
                "source": view.spec.source,
                "recipient": str(spec["to"]),
                "purpose": str(spec.get("purpose", "")),
                "records": list(dict.fromkeys(records)),
            }
        )
    return found


def leads(net: Network) -> list[dict[str, str]]:
    """The profile's starting points (``seizure:ID``), as records of the seizing agency."""
    found = []
    seizures = {str(s["id"]): s for s in net.spec.get("seizures") or []}
    for item in net.spec.get("leads") or []:
        kind, _, selector = str(item).partition(":")
        if kind != "seizure" or selector not in seizures:
            raise BadRequest(f"{net.where}.leads: {item!r} is not seizure:ID of a seizure")
        view = net.world.views[str(seizures[selector]["agency"])]
        (record,) = _share_ids(net, view, "seizure", selector, ".leads")
        found.append({"agency": view.code, "source": view.spec.source, "record": record})
    return found


def _share_ids(net: Network, view: View, kind: str, selector: str, where: str) -> list[str]:
    seizures = {str(s["id"]): i for i, s in enumerate(net.spec.get("seizures") or [])}
    if kind in ("seizure", "items"):
        if selector not in seizures:
            raise BadRequest(f"{net.where}{where}: no seizure {selector!r}")
        i = seizures[selector]
        index = net.base + 900_000 + i * 100
        if kind == "seizure":
            return [view.rid("seizures", index)]
        items = net.spec["seizures"][i].get("items") or []
        return [view.rid("seized_items", index + k) for k in range(len(items))]
    if kind == "shipments":
        return parcel_ids(net, view, selector)
    if kind == "chemicals":
        return [
            view.rid("chemical_shipments", item["index"])
            for item in chemical_plan(net)
            if item["kind"] == "shipment"
            and item["flow"] == selector
            and view.code
            in chance_in(net, item["views"], f"chem-{item['flow']}", item["n"] * 10 + item["part"])
        ]
    members = net.select(selector, where)
    if kind in ("persons", "companies"):
        return [rid for m in members if (rid := member_id(view, m))]
    if kind == "wallets":
        return [
            view.rid("crypto_wallets", w.index)
            for m in members
            for w in m.wallets
            if view.code in w.views
        ]
    if kind == "listings":
        ids = []
        for n, spec in enumerate(net.spec.get("listings") or []):
            owners = {m.label for m in net.select(spec["account"])}
            if owners & {m.label for m in members}:
                for k in range(int(spec.get("count", 1))):
                    if view.code in chance_in(net, spec.get("views"), f"listing{n}", k):
                        ids.append(view.rid("online_listings", net.base + n * 1000 + k))
        return ids
    raise BadRequest(f"{net.where}{where}: cannot share {kind!r} records")
