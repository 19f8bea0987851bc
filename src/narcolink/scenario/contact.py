"""Addresses and phone numbers: canonical values and the ways agencies write them.

An address is a pure function of (country, index), like a person. Each agency writes
addresses in its own style (Indian registers: "H.No. 27, Gali No. 4, Laxmi Nagar,
Delhi-110092"; US records: "418 PINECREST DR, HUNTSVILLE AL 35801") and phone numbers in
the forms people give them (+91 98..., 098..., 98...; (205) 555-0147, 205-555-0147).
"""

from __future__ import annotations

from dataclasses import dataclass

from narcolink.scenario import lexicon
from narcolink.scenario.rng import Bits, Stream, Weighted, key

US_ABBREVIATIONS = {
    "Drive": "Dr",
    "Street": "St",
    "Avenue": "Ave",
    "Road": "Rd",
    "Boulevard": "Blvd",
    "Lane": "Ln",
    "Court": "Ct",
    "Highway": "Hwy",
    "North": "N",
    "South": "S",
}
SOCIETIES = (
    "Shanti Kunj",
    "Green Park",
    "Sai Krupa",
    "Gokul Dham",
    "Royal Residency",
    "Ashiana",
    "Vrindavan",
    "Silver Oak",
    "Sunshine",
    "Kailash",
)


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build
class Address:
    """A canonical address: the parts every rendering is built from."""

    country: str
    index: int
    house: str
    line: str  # street line without the house number (may be empty)
    locality: str
    city: str
    region: str  # state (India, US) or region
    postal: str
    city_native: str = ""

    @property
    def entity(self) -> str:
        return f"address-{self.country}-{self.index}"

    @property
    def full(self) -> str:
        """The canonical one-line form (ground truth)."""
        if self.country == "in":
            parts = [
                self.house,
                self.line,
                self.locality,
                self.city,
                f"{self.region} {self.postal}",
            ]
            return ", ".join(p for p in parts if p)
        if self.country in ("us", "au", "ca"):
            return f"{self.house} {self.line}, {self.city}, {self.region} {self.postal}".replace(
                ", ,", ","
            )
        return f"{self.line} {self.house}, {self.postal} {self.city}"


class Addresses:
    """Address spaces per country; ``get(country, index)`` is pure."""

    def __init__(self, seed: int) -> None:
        self.base = key(seed, "address")
        self.india = lexicon.indian_places()
        self.us = lexicon.us_places()
        self.world = lexicon.world_places()

    def get(self, country: str, index: int, city: int | None = None) -> Address:
        bits = Bits(self.base ^ hash_country(country), index, words=1)
        if country == "in":
            places, weights = self.india
            if city is None:
                city = weights.at(bits.unit())
            place = places[city]
            locality = place.localities[bits.below(len(place.localities))]
            style = bits.below(5)
            number = 1 + bits.below(400)
            if style == 0:
                house, line = f"House No. {number}", f"Gali No. {1 + bits.below(20)}"
            elif style == 1:
                house, line = (
                    f"Flat {1 + bits.below(12)}0{1 + bits.below(8)}",
                    (f"{SOCIETIES[bits.below(len(SOCIETIES))]} Apartments"),
                )
            elif style == 2:
                house, line = f"{'ABCDEFGH'[bits.below(8)]}-{number}", ""
            elif style == 3:
                house, line = f"Plot {number}", f"Sector {1 + bits.below(40)}"
            else:
                house, line = f"Shop {1 + bits.below(60)}", "Main Market"
            return Address(
                country,
                index,
                house,
                line,
                locality,
                place.city,
                place.state,
                place.pin,
                place.deva,
            )
        if country == "us":
            us_places, us_weights = self.us
            if city is None:
                city = us_weights.at(bits.unit())
            us = us_places[city]
            street = us.streets[bits.below(len(us.streets))]
            return Address(
                country, index, str(100 + bits.below(9800)), street, "", us.city, us.abbr, us.zip
            )
        world_places, world_weights = self.world[country]
        where = world_places[city if city is not None else world_weights.at(bits.unit())]
        street = where.streets[bits.below(len(where.streets))]
        return Address(
            country,
            index,
            str(1 + bits.below(300)),
            street,
            "",
            where.city,
            where.region,
            where.postal,
        )


def hash_country(country: str) -> int:
    return (ord(country[0]) << 8 | ord(country[1])) * 0x100000001B3


# --- renderings ---------------------------------------------------------------------------


def render_address(addr: Address, style: str, rng: Stream) -> str:
    """One agency's way of writing an address. Styles: canonical, indian_register,
    indian_short, us_postal, us_upper, native (city in Devanagari)."""
    if style == "canonical":
        return addr.full
    if addr.country == "in":
        if style == "indian_register":
            house = addr.house.replace("House No.", "H.No.").replace("Flat ", "Flat No. ")
            line = addr.line.replace("Gali No.", "Gali")
            parts = [house, line, addr.locality, f"{addr.city}-{addr.postal}"]
            return ", ".join(p for p in parts if p)
        if style == "indian_short":
            return f"{addr.locality}, {addr.city}"
        if style == "native" and addr.city_native:
            parts = [addr.house, addr.line, addr.locality, f"{addr.city_native} {addr.postal}"]
            return ", ".join(p for p in parts if p)
        return addr.full
    if addr.country == "us":
        line = addr.line
        if style in ("us_postal", "us_upper"):
            line = " ".join(US_ABBREVIATIONS.get(w, w) for w in line.split())
        text = f"{addr.house} {line}, {addr.city}, {addr.region} {addr.postal}"
        if style == "us_upper":
            text = f"{addr.house} {line} {addr.city} {addr.region} {addr.postal}-{rng.digits(4)}"
            return text.upper()
        return text
    return addr.full


def phone_forms(number: str, region: str) -> dict[str, str]:
    """The ways a number can be written where the importer reads national numbers as
    ``region``: national forms only for the region's own numbers, the region's
    international prefix (00 in India, 011 in the US) for others."""
    return {form: text for form in ALL_FORMS if (text := phone_form(number, region, form))}


ALL_FORMS = (
    "e164",
    "spaced",
    "dashed",
    "trunk",
    "national",
    "intl00",
    "intl011",
    "paren",
    "dotted",
)


def phone_form(number: str, region: str, form: str) -> str:
    """``number`` (E.164) written in ``form``, or '' where the form does not apply."""
    if form == "e164":
        return number
    if number.startswith("+91"):
        nsn = number[3:]
        if form == "spaced":
            return f"+91 {nsn[:5]} {nsn[5:]}"
        if form == "dashed":
            return f"+91-{nsn[:5]}-{nsn[5:]}"
        if region == "in":
            if form == "trunk":
                return f"0{nsn[:5]} {nsn[5:]}"
            if form == "national":
                return nsn
        elif region in ("us", "ca") and form == "intl011":
            return f"011 91 {nsn[:5]} {nsn[5:]}"
        return ""
    if number.startswith("+1"):
        area, exchange, line = number[2:5], number[5:8], number[8:]
        if form == "spaced":
            return f"+1 {area} {exchange} {line}"
        if form == "dashed":
            return f"+1-{area}-{exchange}-{line}"
        if region in ("us", "ca"):
            if form == "paren":
                return f"({area}) {exchange}-{line}"
            if form == "national":
                return f"{area}-{exchange}-{line}"
            if form == "dotted":
                return f"{area}.{exchange}.{line}"
        elif region == "in" and form == "intl00":
            return f"001 {area} {exchange} {line}"
    return ""


def write_phone(number: str, region: str, formats: Weighted[str], rng: Stream) -> tuple[str, str]:
    """(written number, form): the view's preferred form where the number allows it, else
    its international form with spaces (or E.164)."""
    form = formats.at(rng.random())
    text = phone_form(number, region, form)
    if text:
        return text, form
    text = phone_form(number, region, "spaced")
    return (text, "spaced") if text else (number, "e164")


def world_phone(country: str, rng: Stream) -> str:
    """A number of another country in E.164 (UK numbers in Ofcom's drama range)."""
    places, _ = lexicon.world_places()[country]
    place = places[0]
    prefix = place.phone_prefix.replace(" ", "")
    return prefix + rng.digits(place.phone_digits)
