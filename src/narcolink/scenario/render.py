"""One agency's record of a person: the canonical person rendered with that agency's noise.

The labels returned with each row name every variation applied (``form=initials``,
``variant``, ``missing=birthDate``, ``phone=trunk``, ...); they go into the ground truth,
and the noise-rate tests check them against the profile and against the rows themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from narcolink.scenario.contact import Address, render_address, write_phone
from narcolink.scenario.names import render_name
from narcolink.scenario.people import Person
from narcolink.scenario.profile import ViewNoise
from narcolink.scenario.rng import Bits, Stream

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Pinned:
    """Facts a profile fixes for a named cast member; written exactly, without noise."""

    name: str
    alias: str = ""
    birth: str = ""
    phone: str = ""
    address: str = ""
    gender: str = ""
    education: str = ""
    notes: str = ""


def nationality(person: Person) -> str:
    if person.country == "us" or not person.indian_name:
        return person.country
    return "in"


def pan_number(person: Person, base: int) -> str:
    """A PAN-shaped tax id (AAAPS1234A: 4th letter P for a person, 5th the surname's)."""
    bits = Bits(base ^ 0x9A9A, person.index)
    head = "".join(LETTERS[bits.below(26)] for _ in range(3))
    initial = (person.last_name or person.first_name)[0].upper()
    return f"{head}P{initial}{bits.below(10_000):04d}{LETTERS[bits.below(26)]}"


def passport_number(person: Person, base: int) -> str:
    bits = Bits(base ^ 0x7E7E, person.index)
    if nationality(person) == "in":
        return f"{'JKLMNPRSTUVWZ'[bits.below(13)]}{bits.below(10**7):07d}"
    return f"{bits.below(10**9):09d}"


def person_row(
    person: Person,
    record_id: str,
    home: Address,
    region: str,
    noise: ViewNoise,
    rng: Stream,
    base: int,
    profession: str = "",
) -> tuple[list[str], list[str]]:
    """(row in the persons.csv column order, labels). One of the generator's hot paths:
    draws are inlined (``random() < p``) rather than made through helper calls."""
    random = rng.random
    rendered = render_name(person, noise.name, rng)
    labels = rendered.labels
    missing = noise.missing
    gender = person.gender
    if random() < missing.get("gender", 0.0):
        gender = ""
        labels.append("missing=gender")
    birth = person.birth
    if random() < missing.get("birthDate", 0.0):
        labels.append("missing=birthDate")
        born = ""
    elif random() < noise.year_only:
        labels.append("birth=year_only")
        born = str(birth.year)
    elif birth.day <= 12 and birth.day != birth.month and random() < noise.swapped:
        labels.append("birth=swapped")
        born = f"{birth.year:04d}-{birth.day:02d}-{birth.month:02d}"
    else:
        born = birth.isoformat()
    phone = ""
    if random() < missing.get("phone", 0.0):
        labels.append("missing=phone")
    else:
        phone, form = write_phone(person.phone, region, noise.phone, rng)
        labels.append(f"phone={form}")
    email = person.email
    if email and random() < missing.get("email", 0.0):
        email = ""
    address = ""
    if random() < missing.get("address", 0.0):
        labels.append("missing=address")
    else:
        style = noise.address.at(random())
        address = render_address(home, style, rng)
        labels.append(f"address={style}")
    indian = person.indian_name
    father = (
        " ".join(t[1] for t in person.father) if indian and random() < noise.father_name else ""
    )
    country = nationality(person)
    id_number = pan_number(person, base) if country == "in" and random() < noise.id_number else ""
    passport = passport_number(person, base) if random() < noise.passport else ""
    row = [
        record_id, rendered.name, rendered.alias, rendered.first, rendered.last, gender, born,
        country, person.country, phone, email, address, father, id_number, passport,
        profession, "", "",
    ]  # fmt: skip
    return row, labels


def pinned_row(
    person: Person, record_id: str, pin: Pinned, home: Address, profession: str = ""
) -> list[str]:
    """A cast member's record, exactly as the profile states it."""
    words = pin.name.split(" ")
    first, last = words[0], words[-1] if len(words) > 1 else ""
    return [
        record_id,
        pin.name,
        pin.alias,
        first,
        last,
        pin.gender or person.gender,
        pin.birth or person.birth.isoformat(),
        nationality(person),
        person.country,
        pin.phone or person.phone,
        "",
        pin.address or home.full,
        "",
        "",
        "",
        profession,
        pin.education,
        pin.notes,
    ]
