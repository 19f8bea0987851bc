"""A network's members in each agency's view, and the records that tie them together:
relations (associates, directorships, ownerships, employment), online listings and
payments (hawala, bank).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from narcolink.exc import BadRequest
from narcolink.scenario import lexicon
from narcolink.scenario.background import write_company
from narcolink.scenario.network import Account, Member, Network
from narcolink.scenario.render import person_row, pinned_row
from narcolink.scenario.rng import Stream, hashed_unit, key
from narcolink.scenario.world import FILE_OF_KIND, View

LINK_FILES = {
    "associate": "associates",
    "directorship": "directorships",
    "ownership": "ownerships",
    "employment": "employments",
}


def member_id(view: View, member: Member) -> str:
    """The member's record id in ``view``, or '' when the view has no record of it."""
    if view.code not in member.views:
        return ""
    if member.person is not None:
        return view.rid("persons", member.index)
    if member.company is not None:
        return view.rid(FILE_OF_KIND[member.company.kind], member.index)
    return ""


def chance_in(net: Network, views: dict[str, Any] | None, what: str, n: int) -> set[str]:
    """The views that hold item ``n`` of a flow (pure)."""
    found = set()
    for code in net.world.views:
        p = float((views or {}).get(code, 0.0))
        if p and hashed_unit(key(net.world.seed, net.name, what, code), n) < p:
            found.add(code)
    return found


def write_members(net: Network) -> None:
    world = net.world
    out = world.out
    for member in net.all_members():
        role = member.role
        kind = "wallet" if member.kind == "wallet" else member.kind
        out.entity(
            member.entity,
            kind,
            member.name,
            member.country,
            net.name,
            role if member.witting else f"{role} (unwitting)",
            member.witting,
        )
        if member.company is not None:
            addr = net.home(member)
            out.entity(addr.entity, "address", addr.full, member.country, net.name)
        for wallet in member.wallets:
            out.entity(
                f"wallet-{wallet.index}",
                "wallet",
                wallet.address,
                "",
                net.name,
                role,
                member.witting,
            )
        for account in member.accounts:
            out.entity(
                f"account-{account.index}", "account", account.username, "", net.name, role, True
            )
        if member.vehicle_views:
            out.entity(
                f"vehicle-{member.index}",
                "vehicle",
                vehicle_plate(member),
                "",
                net.name,
                role,
                True,
            )
        for code in sorted(member.views):
            _write_member(net, world.views[code], member)
        for account in member.accounts:
            for code in sorted(account.views):
                view = world.views[code]
                view.emit(
                    "user_accounts",
                    [
                        view.rid("user_accounts", account.index),
                        account.username,
                        account.platform,
                        account.username,
                        member.phone if account.service == "messenger" else "",
                        "",
                        member_id(view, member),
                        member.country,
                    ],
                    f"account-{account.index}",
                )
        for wallet in member.wallets:
            for code in sorted(wallet.views):
                view = world.views[code]
                currency, chain = ("BTC", "bitcoin") if wallet.chain == "btc" else ("USDT", "tron")
                view.emit(
                    "crypto_wallets",
                    [
                        view.rid("crypto_wallets", wallet.index),
                        f"{member.name} ({currency})",
                        wallet.address,
                        currency,
                        chain,
                        member_id(view, member),
                        "",
                        "",
                    ],
                    f"wallet-{wallet.index}",
                )
        for code in sorted(member.vehicle_views):
            view = world.views[code]
            plate = vehicle_plate(member)
            owner = member_id(view, member)
            view.emit(
                "vehicles",
                [
                    view.rid("vehicles", member.index),
                    f"{member.vehicle_model} {plate}",
                    plate,
                    member.vehicle_model,
                    "car",
                    member.country,
                    owner,
                    owner,
                ],
                f"vehicle-{member.index}",
            )


def vehicle_plate(member: Member) -> str:
    places = lexicon.indian_places()[0]
    city = member.person.city if member.person is not None else 0
    rto = places[city].rto if member.country == "in" and city >= 0 else "DL"
    h = key("plate", member.index)
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return (
        f"{rto} {1 + h % 14}{letters[h // 14 % 23]} {letters[h // 322 % 23]}"
        f"{letters[h // 7406 % 23]} {h // 170338 % 10000:04d}"
    )


def _write_member(net: Network, view: View, member: Member) -> None:
    world = net.world
    if member.person is not None:
        record_id = view.rid("persons", member.index)
        pin = net.pinned(member)
        home = world.home(member.person)
        if pin is not None:
            view.emit(
                "persons",
                pinned_row(member.person, record_id, pin, home, member.profession),
                member.entity,
                "form=exact",
            )
            return
        region = member.person.country if member.person.country in ("in", "us") else view.country
        row, labels = person_row(
            member.person,
            record_id,
            home,
            region,
            view.noise,
            view.person_rng,
            world.person_base,
            member.profession,
        )
        view.emit("persons", row, member.entity, ";".join(labels))
    elif member.company is not None:
        write_company(
            world,
            view,
            member.company,
            exact=bool(member.pin),
            alias=str(member.pin.get("alias", "")),
            entity=member.entity,
        )


def write_links(net: Network) -> None:
    for n, link in enumerate(net.spec.get("links") or []):
        kind = link.get("type")
        if kind not in LINK_FILES:
            raise BadRequest(f"{net.where}.links[{n}]: type {kind!r}; use {', '.join(LINK_FILES)}")
        file = LINK_FILES[kind]
        lefts = net.select(link["from"], f".links[{n}].from")
        rights = net.select(link["to"], f".links[{n}].to")
        if link.get("pairs") == "all" or len(rights) == 1 or len(lefts) == 1:
            pairs = [(a, b) for a in lefts for b in rights if a is not b]
            if link.get("pairs") == "all":
                pairs = [(a, b) for a, b in pairs if a.index < b.index or a.role != b.role]
        else:
            pairs = [(a, rights[i % len(rights)]) for i, a in enumerate(lefts)]
        text = str(link.get("relationship") or link.get("role") or link.get("ownershipType", ""))
        for m, (a, b) in enumerate(pairs):
            entity = f"{net.name}-link-{n}-{m}"
            net.world.out.entity(entity, kind, text, "", net.name, "", True)
            for code in sorted(chance_in(net, link.get("views"), f"link{n}", m)):
                view = net.world.views[code]
                left, right = member_id(view, a), member_id(view, b)
                if not left or not right:
                    continue
                record_id = view.rid(file, (net.base + n * 1000 + m))
                start = f"{2019 + m % 6}"
                if kind == "employment":  # employer first in the file's columns
                    row = [record_id, right, left, text, start]
                elif kind == "ownership":
                    row = [record_id, left, right, text, "100", start]
                else:
                    row = [record_id, left, right, text, start]
                view.emit(file, row, entity)


def write_payments(net: Network) -> None:
    for n, spec in enumerate(net.spec.get("payments") or []):
        payers = net.select(spec["from"], f".payments[{n}].from")
        payees = net.select(spec["to"], f".payments[{n}].to")
        rng = net.world.stream(net.name, "payments", n)
        low, high = spec.get("amount", [1000, 10000])
        window = _window(net, spec)
        for m in range(int(spec.get("count", 1))):
            payer, payee = rng.pick(payers), rng.pick(payees)
            amount = rng.between(int(low), int(high)) // 100 * 100
            day = net.world.day(rng, *window)
            entity = f"{net.name}-payment-{n}-{m}"
            net.world.out.entity(entity, "payment", spec.get("purpose", ""), "", net.name, "", True)
            for code in sorted(chance_in(net, spec.get("views"), f"pay{n}", m)):
                view = net.world.views[code]
                left, right = member_id(view, payer), member_id(view, payee)
                if not left or not right:
                    continue
                view.emit(
                    "payments",
                    [
                        view.rid("payments", net.base + n * 1000 + m),
                        left,
                        right,
                        str(amount),
                        spec.get("currency", "INR"),
                        day.isoformat(),
                        spec.get("purpose", ""),
                        f"TXN{rng.digits(10)}",
                    ],
                    entity,
                )


def _window(net: Network, spec: dict[str, Any]) -> tuple[Any, Any]:
    window = spec.get("window")
    if not window:
        return (None, None)
    from datetime import date

    return (date.fromisoformat(str(window[0])), date.fromisoformat(str(window[1])))


def listing_text(template: str, rng: Stream, med: lexicon.Medicine, handle: str) -> str:
    strength = rng.pick(med.strengths)
    street = rng.pick(med.street) if med.street else med.name.lower()
    return template.format(
        brand=rng.pick(med.brands),
        strength=strength,
        salt=med.salt,
        drug=med.name,
        count=rng.pick((100, 200, 500, 1000)),
        moq=rng.pick((50, 100, 200)),
        pay=rng.pick(("BTC", "USDT TRC20", "BTC or USDT")),
        street=street,
        handle=handle,
    )


def write_listings(net: Network) -> None:
    texts = lexicon.trade()["listing_text"]
    meds = lexicon.medicines()
    for n, spec in enumerate(net.spec.get("listings") or []):
        owners = net.select(spec["account"], f".listings[{n}].account")
        service = spec.get("service", "b2b")
        rng = net.world.stream(net.name, "listings", n)
        drugs = [meds[d] for d in spec.get("drugs", ["Tramadol"])]
        for m in range(int(spec.get("count", 1))):
            owner = rng.pick(owners)
            account = next((a for a in owner.accounts if a.service == service), None)
            if account is None:
                raise BadRequest(
                    f"{net.where}.listings[{n}]: {owner.label} has no {service} account"
                )
            write_listing(net, n, m, owner, account, rng, rng.pick(drugs), texts, spec.get("views"))


def write_listing(
    net: Network,
    n: int,
    m: int,
    owner: Member,
    account: Account,
    rng: Stream,
    med: lexicon.Medicine,
    texts: dict[str, Any],
    views: Any,
) -> None:
    service = account.service
    if service == "messenger":
        title = text = listing_text(rng.pick(texts["messenger"]), rng, med, account.username)
        title = title[:80]
    else:
        title = listing_text(rng.pick(texts[f"{service}_title"]), rng, med, account.username)
        text = listing_text(rng.pick(texts[f"{service}_text"]), rng, med, account.username)
    posted = net.world.day(rng)
    entity = f"{net.name}-listing-{n}-{m}"
    url = f"{account.url}/{m + 1}"
    net.world.out.entity(entity, "listing", title, "", net.name, "", True)
    for code in sorted(chance_in(net, views, f"listing{n}", m)):
        view = net.world.views[code]
        unit = round(med.unit_price * rng.uniform(0.7, 1.4), 2)
        view.emit(
            "online_listings",
            [
                view.rid("online_listings", net.base + n * 1000 + m),
                url,
                title,
                account.platform,
                view.rid("user_accounts", account.index) if code in account.views else "",
                owner.name,
                f"{med.name} ({rng.pick(med.brands)})",
                f"{unit:.2f}",
                "USD",
                owner.country if owner.country else "in",
                "us;au;gb",
                owner.phone if service != "darknet" else "",
                account.username,
                rng.pick(lexicon.trade()["listing_text"]["payment"]),
                posted.isoformat(),
                (posted + timedelta(days=rng.below(60))).isoformat(),
                text,
            ],
            entity,
        )
