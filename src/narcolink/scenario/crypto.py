"""Wallet addresses in the real formats: bech32 / bech32m segwit (BIP 173, BIP 350) and
TRON Base58Check, written here from those specifications and checked against their
published test vectors (tests/scenario/test_crypto.py). Programs are hashes of the seed,
so the addresses are well-formed but belong to nobody we know of.
"""

from __future__ import annotations

import hashlib

from narcolink.scenario.rng import key

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3
GENERATORS = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if (top >> i) & 1:
                chk ^= GENERATORS[i]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes, from_bits: int, to_bits: int) -> list[int]:
    acc = bits = 0
    out = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if bits:
        out.append((acc << (to_bits - bits)) & maxv)
    return out


def segwit_address(hrp: str, version: int, program: bytes) -> str:
    """The segwit address of a witness program (bech32 for v0, bech32m for v1+)."""
    if not (0 <= version <= 16) or not (2 <= len(program) <= 40):
        raise ValueError("invalid witness version or program length")
    if version == 0 and len(program) not in (20, 32):
        raise ValueError("a version 0 program has 20 or 32 bytes")
    data = [version, *_convert_bits(program, 8, 5)]
    const = BECH32_CONST if version == 0 else BECH32M_CONST
    polymod = _polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[d] for d in data + checksum)


def segwit_decode(hrp: str, address: str) -> tuple[int, bytes] | None:
    """(version, program) of a valid segwit address of ``hrp``, else None."""
    if address.lower() != address and address.upper() != address:
        return None
    address = address.lower()
    pos = address.rfind("1")
    if pos < 1 or pos + 7 > len(address) or len(address) > 90 or address[:pos] != hrp:
        return None
    if any(c not in CHARSET for c in address[pos + 1 :]):
        return None
    data = [CHARSET.find(c) for c in address[pos + 1 :]]
    const = _polymod(_hrp_expand(hrp) + data)
    if const not in (BECH32_CONST, BECH32M_CONST) or not data[:-6]:
        return None
    version, payload = data[0], data[1:-6]
    acc = bits = 0
    program = []
    for value in payload:
        acc = (acc << 5) | value
        bits += 5
        if bits >= 8:
            bits -= 8
            program.append((acc >> bits) & 0xFF)
    if bits >= 5 or (acc & ((1 << bits) - 1)):
        return None
    if version > 16 or not (2 <= len(program) <= 40):
        return None
    if version == 0 and len(program) not in (20, 32):
        return None
    if (version == 0) != (const == BECH32_CONST):
        return None
    return version, bytes(program)


def base58check(payload: bytes) -> str:
    check = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    data = payload + check
    number = int.from_bytes(data, "big")
    chars = []
    while number:
        number, rem = divmod(number, 58)
        chars.append(BASE58[rem])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(chars))


def base58check_decode(text: str) -> bytes | None:
    number = 0
    for c in text:
        index = BASE58.find(c)
        if index < 0:
            return None
        number = number * 58 + index
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    data = b"\0" * pad + body
    if len(data) < 5:
        return None
    payload, check = data[:-4], data[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
        return None
    return payload


def tron_from_hex(hex_address: str) -> str:
    """A TRON address from its 21-byte hex form (41 + 20 bytes)."""
    return base58check(bytes.fromhex(hex_address))


def _program(seed: int, purpose: str, index: int, size: int) -> bytes:
    return hashlib.blake2b(f"{key(seed, purpose)}:{index}".encode(), digest_size=size).digest()


def btc_address(seed: int, index: int, taproot: bool = False) -> str:
    """A P2WPKH (or P2TR) mainnet address for wallet ``index`` of the world."""
    if taproot:
        return segwit_address("bc", 1, _program(seed, "btc-tr", index, 32))
    return segwit_address("bc", 0, _program(seed, "btc", index, 20))


def tron_address(seed: int, index: int) -> str:
    """A TRON mainnet address (T...) for wallet ``index`` of the world."""
    return base58check(b"\x41" + _program(seed, "tron", index, 20))


def tx_hash(seed: int, purpose: str, index: int) -> str:
    """A 64-hex transaction id."""
    return hashlib.blake2b(f"{key(seed, purpose)}:{index}".encode(), digest_size=32).hexdigest()
