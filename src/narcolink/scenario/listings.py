"""Ordinary online listings (B2B marketplace pages of lawful sellers, as the NCB's platform
monitoring records them), and the small background seizures that look like the syndicate's
(tramadol tablets and codeine syrup in Indian cities, counterfeit pills in the US) without
belonging to it.
"""

from __future__ import annotations

from datetime import timedelta

from narcolink.scenario import lexicon
from narcolink.scenario.parcels import pool_of
from narcolink.scenario.world import World

ACCOUNT_BASE = 10**13  # listing accounts of ordinary sellers, apart from network accounts


def background_listings(world: World) -> None:
    total = world.volume("listings")
    view = world.view_for("in")
    registry = world.companies
    if not total or view is None or not registry.n_in:
        return
    rng = world.stream("listings")
    titles = lexicon.trade()["listing_text"]["legit_title"]
    platforms = lexicon.trade()["platforms"]["b2b"]
    for n in range(total):
        company = registry.company(rng.below(registry.n_in))
        platform = rng.pick(platforms)
        handle = "".join(c for c in company.core.lower() if c.isalnum())[:18]
        title = rng.pick(titles)
        posted = world.day(rng)
        entity, account_entity = f"listing-{n}", f"account-l{n}"
        world.out.entity(entity, "listing", title, "in")
        world.out.entity(account_entity, "account", handle, "in")
        account_id = view.rid("user_accounts", ACCOUNT_BASE + n)
        view.emit(
            "user_accounts",
            [
                account_id,
                handle,
                platform["name"],
                company.name,
                company.phone,
                company.email,
                view.company_id(company),
                "in",
            ],
            account_entity,
        )
        view.emit(
            "online_listings",
            [
                view.rid("online_listings", n),
                f"https://{platform['host']}/{handle}/{n}",
                title,
                platform["name"],
                account_id,
                company.name,
                title.split(" - ")[0],
                f"{rng.uniform(0.5, 40):.2f}",
                "USD",
                "in",
                "us;gb;ae;de",
                company.phone,
                handle,
                "bank transfer",
                posted.isoformat(),
                (posted + timedelta(days=rng.below(90))).isoformat(),
                "",
            ],
            entity,
        )


def background_seizures(world: World) -> None:
    total = world.volume("seizures")
    if not total:
        return
    rng = world.stream("seizures")
    meds = lexicon.medicines()
    places_in = lexicon.indian_places()[0]
    places_us = lexicon.us_places()[0]
    pools = {c: pool_of(world, c) for c in ("in", "us")}
    for n in range(total):
        view = rng.pick(list(world.views.values()))
        pool = pools.get(view.country)
        if pool is None or not pool.size:
            continue
        day = world.day(rng)
        if view.country == "in":
            place = rng.pick(places_in)
            where, agency = (
                f"{rng.pick(place.localities)}, {place.city}",
                (f"NCB {place.city} Zonal Unit" if rng.chance(0.5) else f"{place.state} Police"),
            )
            drug = meds[rng.pick(("Tramadol", "Tramadol", "Codeine", "Alprazolam"))]
            quantity, unit = (
                (rng.between(20, 400), "bottles")
                if drug.name == "Codeine"
                else (round(rng.uniform(0.2, 2.5), 1), "kg")
            )
            trigger = rng.pick(
                ("tip-off", "vehicle check", "raid on a medical store", "parcel inspection")
            )
        else:
            place_us = rng.pick(places_us)
            where, agency = f"{place_us.city}, {place_us.state}", "DEA field division"
            drug = meds[rng.pick(("Tramadol", "Alprazolam", "Tapentadol"))]
            quantity, unit = rng.between(200, 6000), "tablets"
            trigger = rng.pick(("traffic stop", "search warrant", "parcel interdiction"))
        suspects = [pool.pick(rng) for _ in range(1 + rng.below(2))]
        ids = [view.person_id(p.index, p.country) for p in suspects]
        entity = f"seizure-{n}"
        world.out.entity(
            entity, "seizure", f"{drug.name} seizure, {where}", view.country, "", "", True
        )
        index = n * 4
        view.emit(
            "seizures",
            [
                view.rid("seizures", index),
                f"{trigger.capitalize()}, {where}: {drug.name.lower()}",
                f"{view.code.upper()}/{day.year}/{n:05d}",
                day.isoformat(),
                where,
                view.country,
                agency,
                "",
                trigger,
                "",
                ";".join(i for i in ids if i),
                "",
                "",
                "",
            ],
            entity,
        )
        world.out.entity(f"{entity}-item", "seized_item", drug.name, view.country, "", "", True)
        view.emit(
            "seized_items",
            [
                view.rid("seized_items", index),
                view.rid("seizures", index),
                drug.salt,
                rng.pick(drug.brands),
                str(quantity),
                unit,
                drug.form,
                "",
                "",
            ],
            f"{entity}-item",
        )
