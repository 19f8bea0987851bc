"""Legitimate trade: licensed manufacturers and distributors shipping listed precursors and
controlled medicines' active ingredients, with pre-export notifications that importing
countries clear, in quantities that keep each importing country within its (illustrative)
annual legitimate requirement, with a seasonal rhythm.

The requirement ledger is one number per (country, chemical, year): bounded, whatever the
scale. Orders that would exceed a requirement are cut to what is left.
"""

from __future__ import annotations

from datetime import date

from narcolink.scenario import lexicon
from narcolink.scenario.companies import Company
from narcolink.scenario.rng import Stream, Weighted
from narcolink.scenario.world import World

SECTOR_OF = {"chemical": ("chemical",), "medicine": ("pharma",)}
TRADERS = 300  # companies per (country, sector, agencies) that trade listed goods
UNITS = {
    "Acetic anhydride": "l",
    "Acetone": "l",
    "Toluene": "l",
    "Methyl ethyl ketone": "l",
    "Sulphuric acid": "l",
    "Hydrochloric acid": "l",
}


class Traders:
    """Companies that trade a kind of good between two countries, known to the agencies that
    see the trade: a bounded set per (country, sectors, agencies), found once."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.pools: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[Company]] = {}

    def pick(
        self, rng: Stream, country: str, sectors: tuple[str, ...], known: list[str]
    ) -> Company | None:
        key_ = (country, sectors, tuple(known))
        pool = self.pools.get(key_)
        if pool is None:
            pool = self.pools[key_] = self._find(*key_)
        return rng.pick(pool) if pool else None

    def _find(
        self, country: str, sectors: tuple[str, ...], known: tuple[str, ...]
    ) -> list[Company]:
        registry = self.world.companies
        if country == "in":
            low, high = 0, registry.n_in
        elif country == "us":
            low, high = registry.n_in, registry.n_in + registry.n_us
        else:
            low, high = registry.n_in + registry.n_us, registry.size
        found: list[Company] = []
        span = high - low
        step = max(1, span // (TRADERS * 8))  # a spread sample of the index range
        for index in range(low, high, step):
            company = registry.company(index)
            if (
                company.country == country
                and company.sector in sectors
                and all(registry.known_to(company, c) for c in known)
            ):
                found.append(company)
                if len(found) >= TRADERS:
                    break
        return found


def legitimate_trade(world: World) -> None:
    total = world.volume("chemical_shipments")
    if not total:
        return
    spec = world.profile.trade
    rng = world.stream("trade")
    chems = lexicon.chemicals()
    meds = lexicon.medicines()
    requirements: dict[str, dict[str, float]] = spec.get("requirements", {})
    season = [float(x) for x in spec.get("seasonality", [1.0] * 12)]
    goods = [(name, "chemical") for name in requirements] + [
        (name, "medicine") for name in spec.get("medicines", [])
    ]
    table = Weighted([(g, 3.0 if g[1] == "chemical" else 1.0) for g in goods])
    used: dict[tuple[str, str, int], float] = {}
    world_countries = sorted({c for r in requirements.values() for c in r} - {"in", "us"})
    traders = Traders(world)
    for n in range(total):
        day = world.day(rng)
        if rng.random() > season[day.month - 1] / max(season):
            day = world.day(rng)  # thin the quiet months
        good, kind = rng.weighted(table)
        if kind == "chemical":
            importers = [c for c in requirements[good] if c != "in"] or ["us"]
        else:
            importers = ["us", *world_countries]
        if rng.chance(0.65):
            origin, destination = "in", rng.pick(importers)
        else:
            origin = rng.pick(["us", *world_countries])
            destination = "in" if rng.chance(0.7) else ("us" if origin != "us" else "de")
        known = [v.country for v in world.views.values() if v.country in (origin, destination)]
        exporter = traders.pick(rng, origin, SECTOR_OF[kind], known)
        importer = traders.pick(rng, destination, SECTOR_OF[kind] + ("trade",), known)
        if exporter is None or importer is None or not known:
            continue
        if kind == "chemical":
            chem = chems[good]
            name, cas, hs = chem.name, chem.cas, chem.hs
            unit = UNITS.get(good, "kg")
            limit = requirements[good].get(destination, 0.0)
            quantity = round(limit * rng.uniform(0.002, 0.02) * season[day.month - 1])
            key = (destination, good, day.year)
            quantity = int(min(quantity, max(0.0, limit - used.get(key, 0.0))))
            if quantity <= 0:
                continue
            used[key] = used.get(key, 0.0) + quantity
        else:
            med = meds[good]
            name, cas, hs, unit = f"{med.salt} (API)", med.cas, "2922.50", "kg"
            quantity = rng.between(5, 250)
        entity = f"trade-{n}"
        world.out.entity(entity, "chemical_shipment", name, origin)
        listed = kind == "medicine" or bool(chems.get(good) and chems[good].un_table)
        pen_entity = f"pen-{n}"
        if listed:
            world.out.entity(pen_entity, "pre_export_notification", name, origin)
        for view in world.views.values():
            if view.country not in (origin, destination):
                continue
            exporter_id, importer_id = view.company_id(exporter), view.company_id(importer)
            pen_id = ""
            if listed:
                pen_id = view.rid("pre_export_notifications", n)
                response = date.fromordinal(day.toordinal() - rng.between(3, 15))
                view.emit(
                    "pre_export_notifications",
                    [
                        pen_id,
                        f"PEN/{origin.upper()}/{day.year}/{n:06d}",
                        exporter_id,
                        importer_id,
                        origin,
                        destination,
                        name,
                        cas,
                        str(quantity),
                        unit,
                        "no-objection",
                        date.fromordinal(response.toordinal() - rng.between(5, 20)).isoformat(),
                        response.isoformat(),
                        "",
                    ],
                    pen_entity,
                )
            view.emit(
                "chemical_shipments",
                [
                    view.rid("chemical_shipments", n),
                    exporter_id,
                    importer_id,
                    name,
                    cas,
                    hs,
                    str(quantity),
                    unit,
                    origin,
                    destination,
                    "",
                    f"INV/{day.year}/{n:06d}",
                    f"MAEU{n:09d}",
                    pen_id,
                    day.isoformat(),
                ],
                entity,
            )
