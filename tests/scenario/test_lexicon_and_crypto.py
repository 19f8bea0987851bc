"""The packaged vocabulary and the address encoders, checked against independent facts:
CAS check digits, Unicode script blocks, phone-number plans, published address vectors."""

from __future__ import annotations

import re

import phonenumbers
import pytest

from narcolink.scenario import crypto, lexicon
from narcolink.scenario.parcels import s10

SCRIPT_BLOCKS = {"deva": "\u0900-\u097f", "guru": "\u0a00-\u0a7f", "urdu": "\u0600-\u06ff\u0670"}


def cas_ok(cas: str) -> bool:
    digits = cas.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    return sum(int(d) * (i + 1) for i, d in enumerate(reversed(body))) % 10 == check


def test_cas_numbers_of_medicines_and_chemicals_have_valid_check_digits() -> None:
    for item in [*lexicon.medicines().values(), *lexicon.chemicals().values()]:
        assert re.fullmatch(r"\d{2,7}-\d\d-\d", item.cas), item.name
        assert cas_ok(item.cas), item.name
    assert not cas_ok("1609-66-5")  # a misprint of norfentanyl's CAS that lists carry


def test_native_names_are_written_in_their_scripts() -> None:
    names = lexicon.indian_names()
    for part in names.parts:
        for script, block in SCRIPT_BLOCKS.items():
            text = part.script(script).replace(" ", "")
            if text:
                assert re.fullmatch(f"[{block}\u200c\u200d]+", text), (part.latin, script)
        assert part.deva, part.latin
        if part.group == "punjabi":
            assert part.guru, part.latin
        if part.group == "muslim":
            assert part.urdu, part.latin


def test_the_demo_cast_names_are_kept_out_of_the_background() -> None:
    given = {p.latin for p in lexicon.indian_names().parts + lexicon.world_names().parts}
    assert not {"Arjun", "Travis", "Boone"} & given


def test_phone_prefixes_make_possible_numbers() -> None:
    for country, (places, _) in lexicon.world_places().items():
        for place in places:
            number = place.phone_prefix.replace(" ", "") + "5" * place.phone_digits
            parsed = phonenumbers.parse(number)
            assert phonenumbers.is_possible_number(parsed), (country, number)
            main = phonenumbers.region_code_for_country_code(parsed.country_code)
            assert main in (country.upper(), "US"), number  # +1: the NANP's main region
    for place in lexicon.us_places()[0]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(f"+1{place.area}2345678"))


def test_segwit_encoder_reproduces_the_bip_vectors() -> None:
    vectors = lexicon.crypto_vectors()["segwit"]
    for item in vectors["valid"]:
        script = bytes.fromhex(item["scriptPubKey"])
        version = script[0] - 0x50 if script[0] else 0
        program = script[2:]
        assert crypto.segwit_address("bc", version, program) == item["address"].lower()
        assert crypto.segwit_decode("bc", item["address"]) == (version, program)
    for item in vectors["invalid"]:
        assert crypto.segwit_decode("bc", item["address"]) is None, item["reason"]


def test_tron_encoder_reproduces_the_vectors() -> None:
    vectors = lexicon.crypto_vectors()["tron"]
    for item in vectors["valid"]:
        assert crypto.tron_from_hex(item["hex"]) == item["base58"]
    for item in vectors["invalid"]:
        payload = crypto.base58check_decode(item["string"])
        assert payload is None or len(payload) != 21 or payload[0] != 0x41, item["reason"]


@pytest.mark.parametrize("index", [0, 1, 17, 123_456_789])
def test_generated_addresses_decode(index: int) -> None:
    address = crypto.btc_address(7, index)
    assert crypto.segwit_decode("bc", address) is not None
    assert crypto.segwit_decode("bc", crypto.btc_address(7, index, taproot=True))[0] == 1  # type: ignore[index]
    tron = crypto.tron_address(7, index)
    payload = crypto.base58check_decode(tron)
    assert tron.startswith("T") and len(tron) == 34 and payload and payload[0] == 0x41


def test_s10_tracking_numbers_carry_the_upu_check_digit() -> None:
    # Worked example: 47312482 -> weighted sum 200, 200 mod 11 = 2, check digit 11 - 2 = 9.
    assert s10("E", 47312482)[2:11] == "473124829"
    for serial in (0, 1, 99_999_999, 123_456_789):
        number = s10("C", serial)
        digits = [int(d) for d in number[2:10]]
        total = sum(d * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
        check = 11 - total % 11
        assert int(number[10]) == {10: 0, 11: 5}.get(check, check)
        assert re.fullmatch(r"C[A-Z]\d{9}IN", number)
