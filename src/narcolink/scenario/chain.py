"""Chain data: Bitcoin transactions in bitcoin-etl's ``transactions.json`` format and USDT
(TRC-20) transfers in tronetl's ``token_transfers.csv`` format (plus ``block_timestamp``),
with the networks' payments merged in by time; and the wallets agencies know (exchange hot
wallets, wallets tied to a person by an exchange's KYC reply).

narcolink has no importer for these formats yet (it comes with the crypto work); the files
follow the tools' documented schemas so that any of their readers takes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from narcolink.exc import BadRequest
from narcolink.scenario.crypto import btc_address, segwit_decode, tron_address, tx_hash
from narcolink.scenario.formats import BTC_TRANSACTIONS, TRC20_COLUMNS, TRC20_TRANSFERS, USDT_TRC20
from narcolink.scenario.network import Network
from narcolink.scenario.rng import hashed_unit, key
from narcolink.scenario.world import World

BTC_USD = 60_000  # illustrative exchange rate for amounts given in USD
WALLET_BASE = 10**14  # background wallets; network wallets use member indices
EXCHANGES = ("Kestrel Exchange", "Monsoon Crypto", "Harbor Digital", "Polar Coin Markets")
HOT_WALLETS = 12
BTC_GENESIS_BLOCK = 850_000
BTC_START = datetime(2024, 7, 1, tzinfo=UTC)  # ~block 850,000
TRON_GENESIS_BLOCK = 63_000_000


@dataclass(order=True)
class Transfer:
    at: int  # unix seconds
    seq: int
    chain: str
    source: str
    target: str
    usd: float
    entity: str
    network: str


class AddressBook:
    """Addresses of background wallets by index, with a bounded cache."""

    def __init__(self, seed: int, chain: str, size: int = 65_536) -> None:
        self.seed = seed
        self.chain = chain
        self.size = size
        self.cache: dict[int, str] = {}

    def get(self, index: int) -> str:
        found = self.cache.get(index)
        if found is None:
            if len(self.cache) >= self.size:
                self.cache.clear()
            fn = btc_address if self.chain == "btc" else tron_address
            found = self.cache[index] = fn(self.seed, WALLET_BASE + index)
        return found


def network_transfers(net: Network) -> list[Transfer]:
    found = []
    world = net.world
    for n, spec in enumerate(net.spec.get("transfers") or []):
        chain = spec.get("chain")
        sources = net.select(spec["from"], f".transfers[{n}].from")
        targets = net.select(spec["to"], f".transfers[{n}].to")
        rng = world.stream(net.name, "transfers", n)
        low, high = spec.get("usd", [100, 1000])
        for m in range(int(spec.get("count", 1))):
            a, b = rng.pick(sources), rng.pick(targets)
            wa, wb = a.wallet(chain), b.wallet(chain)
            if wa is None or wb is None:
                missing = a if wa is None else b
                raise BadRequest(
                    f"{net.where}.transfers[{n}]: {missing.label} has no {chain} wallet"
                )
            day = world.day(rng)
            at = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) + rng.below(
                86_400
            )
            found.append(
                Transfer(
                    at,
                    m,
                    chain,
                    wa.address,
                    wb.address,
                    round(rng.uniform(low, high), 2),
                    f"{net.name}-transfer-{n}-{m}",
                    net.name,
                )
            )
    return found


def _background(world: World, chain: str, total: int, extra: list[Transfer]) -> Iterator[Transfer]:
    """Background transfers in time order, with the networks' merged in."""
    rng = world.stream("chain", chain)
    book = AddressBook(world.seed, chain)
    users = max(50, total // 4)
    start = int(
        datetime(world.start.year, world.start.month, world.start.day, tzinfo=UTC).timestamp()
    )
    span = world.days * 86_400
    extra = sorted(extra)
    pending = iter(extra)
    nxt = next(pending, None)
    for n in range(total):
        at = start + (n * span) // max(total, 1) + rng.below(max(1, span // max(total, 1)))
        while nxt is not None and nxt.at <= at:
            yield nxt
            nxt = next(pending, None)
        u = rng.random()
        user = book.get(HOT_WALLETS + int(u * u * users))
        hot = book.get(rng.below(HOT_WALLETS))
        source, target = (user, hot) if rng.chance(0.5) else (hot, user)
        if rng.chance(0.25):
            target = book.get(HOT_WALLETS + rng.below(users))
        usd = round(10 + rng.random() ** 3 * 20_000, 2)
        yield Transfer(at, n, chain, source, target, usd, f"{chain}-transfer-{n}", "")
    while nxt is not None:
        yield nxt
        nxt = next(pending, None)


TX_LINE = (
    '{{"hash":"{hash}","size":222,"virtual_size":141,"version":2,"lock_time":0,'
    '"block_number":{block},"block_hash":"{block_hash}","block_timestamp":{at},'
    '"is_coinbase":false,"index":{position},"inputs":[{{"index":0,'
    '"spent_transaction_hash":"{prev}","spent_output_index":{prev_index},"script_asm":"",'
    '"script_hex":"","sequence":4294967293,"required_signatures":1,'
    '"type":"witness_v0_keyhash","addresses":["{source}"],"value":{input_value}}}],'
    '"outputs":[{out0},{out1}],"input_count":1,"output_count":2,"input_value":{input_value},'
    '"output_value":{output_value},"fee":{fee}}}'
)


def bitcoin(world: World, extra: list[Transfer]) -> None:
    """Transactions as bitcoin-etl exports them (one JSON object a line; written from a
    template, with the same keys in the same order as the tool's own output)."""
    total = world.volume("btc_transactions")
    if not total and not extra:
        return
    rng = world.stream("chain", "btc-rows")
    out = world.out
    start = int(BTC_START.timestamp())
    blocks: dict[int, str] = {}
    for count, t in enumerate(_background(world, "btc", total, extra)):
        value = max(546, int(t.usd / BTC_USD * 1e8))
        fee = 300 + rng.below(4000)
        change = int(value * rng.uniform(0.05, 3.0))
        digest = tx_hash(world.seed, "btc-tx", count)
        block = BTC_GENESIS_BLOCK + (t.at - start) // 600
        block_hash = blocks.get(block)
        if block_hash is None:
            if len(blocks) > 10_000:
                blocks.clear()
            block_hash = blocks[block] = tx_hash(world.seed, "btc-block", block)
        line = TX_LINE.format(
            hash=digest, block=block, block_hash=block_hash, at=t.at, position=1 + count % 2500,
            prev=tx_hash(world.seed, "btc-prev", count), prev_index=rng.below(3),
            source=t.source, input_value=value + change + fee,
            out0=_output(0, t.target, value), out1=_output(1, t.source, change),
            output_value=value + change, fee=fee,
        )  # fmt: skip
        if not t.network:
            out.entity(t.entity, "transaction", digest, "")
        else:
            out.entity(t.entity, "transaction", digest, "", t.network, "", True)
        out.json_line(BTC_TRANSACTIONS, line, digest, t.entity)


_SCRIPTS: dict[str, str] = {}


def _output(index: int, address: str, value: int) -> str:
    """One output as bitcoin-etl writes it (script fields from the address's program)."""
    script = _SCRIPTS.get(address)
    if script is None:
        if len(_SCRIPTS) > 100_000:
            _SCRIPTS.clear()
        version, program = segwit_decode("bc", address) or (0, b"")
        op = "0" if version == 0 else f"OP_{version}"
        hex_version = "00" if version == 0 else f"{0x50 + version:02x}"
        kind = (
            "witness_v0_keyhash"
            if version == 0 and len(program) == 20
            else ("witness_v1_taproot" if version == 1 else "witness_unknown")
        )
        script = _SCRIPTS[address] = (
            f'"script_asm":"{op} {program.hex()}",'
            f'"script_hex":"{hex_version}{len(program):02x}{program.hex()}",'
            f'"required_signatures":1,"type":"{kind}","addresses":["{address}"]'
        )
    return f'{{"index":{index},{script},"value":{value}}}'


def tron(world: World, extra: list[Transfer]) -> None:
    total = world.volume("trc20_transfers")
    if not total and not extra:
        return
    rng = world.stream("chain", "trc20-rows")
    out = world.out
    sink = out.sink(TRC20_TRANSFERS, TRC20_COLUMNS)
    start = int(datetime(2024, 7, 1, tzinfo=UTC).timestamp())
    for count, t in enumerate(_background(world, "trc20", total, extra)):
        digest = tx_hash(world.seed, "trc20-tx", count)
        block = TRON_GENESIS_BLOCK + (t.at - start) // 3
        log_index = rng.below(4)
        row = [
            str(block),
            digest,
            str(log_index),
            USDT_TRC20,
            t.source,
            t.target,
            str(int(t.usd * 1_000_000)),
            str(t.at),
        ]
        if t.network:
            out.entity(t.entity, "transfer", digest, "", t.network, "", True)
        else:
            out.entity(t.entity, "transfer", digest, "")
        out.keyed(sink, row, f"{digest}:{log_index}", t.entity)


def known_wallets(world: World) -> None:
    """Exchange hot wallets (both agencies) and KYC-linked user wallets (a few per view)."""
    for chain, currency, blockchain in (("btc", "BTC", "bitcoin"), ("trc20", "USDT", "tron")):
        volume = world.volume("btc_transactions" if chain == "btc" else "trc20_transfers")
        if not volume:
            continue
        book = AddressBook(world.seed, chain)
        users = max(50, volume // 4)
        for i in range(HOT_WALLETS):
            entity = f"wallet-{chain}-{i}"
            world.out.entity(entity, "wallet", book.get(i), "")
            for view in world.views.values():
                view.emit(
                    "crypto_wallets",
                    [
                        view.rid(
                            "crypto_wallets", WALLET_BASE + (i if chain == "btc" else 10**9 + i)
                        ),
                        f"{EXCHANGES[i % len(EXCHANGES)]} hot wallet {i // len(EXCHANGES) + 1}",
                        book.get(i),
                        currency,
                        blockchain,
                        "",
                        EXCHANGES[i % len(EXCHANGES)],
                        "",
                    ],
                    entity,
                )
        base = key(world.seed, "kyc", chain)
        for j in range(users):
            if hashed_unit(base, j) >= 0.08 or not world.population.size:
                continue
            index = HOT_WALLETS + j
            holder = int(hashed_unit(base ^ 1, j) * world.population.size)
            country = world.population.country_of(holder)
            entity = f"wallet-{chain}-{index}"
            world.out.entity(entity, "wallet", book.get(index), country)
            kyc_view = world.view_for(country)
            if kyc_view is None:
                continue
            holder_id = kyc_view.person_id(holder, country)
            kyc_view.emit(
                "crypto_wallets",
                [
                    kyc_view.rid(
                        "crypto_wallets", WALLET_BASE + (index if chain == "btc" else 10**9 + index)
                    ),
                    f"{currency} wallet (exchange KYC reply)",
                    book.get(index),
                    currency,
                    blockchain,
                    holder_id,
                    EXCHANGES[j % len(EXCHANGES)],
                    "",
                ],
                entity,
            )


def network_transfers_of(nets: list[Network], chain: str) -> list[Transfer]:
    """The networks' transfers on one chain."""
    return [t for net in nets for t in network_transfers(net) if t.chain == chain]
