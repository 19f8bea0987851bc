"""A small labelled world for the resolution tests: NCB and DEA records of the same people.

Each person gets an NCB record (often in Devanagari or Gurmukhi, sometimes with s/o and
the father's name, sometimes as initials) and, for most, a DEA record in Latin letters
(sometimes surname first, Mohd for Muhammad, a date with day and month swapped). Other
people with nearby names ("Rakesh" beside "Rajesh") are distractors. Deterministic.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from itertools import combinations

from narcolink.model.markings import Markings
from narcolink.model.records import Batch, Record, entity_id
from narcolink.model.vocabulary import get_schema
from narcolink.services.node import Node
from narcolink.store.base import utcnow
from narcolink.store.writer import Writer

HINDU = [
    ("Rajesh", "राजेश"),
    ("Rakesh", "राकेश"),
    ("Suresh", "सुरेश"),
    ("Mahesh", "महेश"),
    ("Anil", "अनिल"),
    ("Sunil", "सुनील"),
    ("Vikas", "विकास"),
    ("Amit", "अमित"),
    ("Sunita", "सुनीता"),
    ("Pooja", "पूजा"),
    ("Deepak", "दीपक"),
    ("Manoj", "मनोज"),
]
SURNAMES = [
    ("Sharma", "शर्मा"),
    ("Verma", "वर्मा"),
    ("Gupta", "गुप्ता"),
    ("Yadav", "यादव"),
    ("Mishra", "मिश्रा"),
    ("Kumar", "कुमार"),
]
SIKH = [
    ("Gurpreet", "ਗੁਰਪ੍ਰੀਤ"),
    ("Harjeet", "ਹਰਜੀਤ"),
    ("Manpreet", "ਮਨਪ੍ਰੀਤ"),
    ("Amarjeet", "ਅਮਰਜੀਤ"),
]
SIKH_SURNAMES = [("Singh", "ਸਿੰਘ"), ("Gill", "ਗਿੱਲ"), ("Sandhu", "ਸੰਧੂ")]
MUSLIM = ["Iqbal", "Salim", "Rafiq", "Imran", "Arif", "Javed"]
MUSLIM_SURNAMES = ["Khan", "Ansari", "Qureshi", "Shaikh"]
FATHERS = ["Ram Prasad", "Mohan Lal", "Balwinder Singh", "Abdul Rahman", "Shyam Sunder"]


@dataclass
class World:
    ncb: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    dea: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    person_of: dict[str, int] = field(default_factory=dict)  # record key -> person
    traits: dict[str, set[str]] = field(default_factory=dict)  # record key -> what it shows


def make_world(people: int = 60, seed: int = 4) -> World:
    rng = random.Random(seed)
    world = World()
    for pid in range(people):
        kind = rng.random()
        traits: set[str] = set()
        father = rng.choice(FATHERS)
        if kind < 0.5:
            (given, given_dev), (surname, surname_dev) = rng.choice(HINDU), rng.choice(SURNAMES)
            ncb_name = f"{given_dev} {surname_dev}" if rng.random() < 0.5 else f"{given} {surname}"
        elif kind < 0.75:
            (given, given_pa), (surname, surname_pa) = rng.choice(SIKH), rng.choice(SIKH_SURNAMES)
            ncb_name = f"{given_pa} {surname_pa}" if rng.random() < 0.6 else f"{given} {surname}"
        else:
            given, surname = f"Mohammed {rng.choice(MUSLIM)}", rng.choice(MUSLIM_SURNAMES)
            ncb_name = f"{given} {surname}"
        if not ncb_name.isascii():
            traits.add("script")
        if rng.random() < 0.25:
            ncb_name += f" s/o {father}"
            traits.add("patronymic")
        dob = f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = f"+9198{rng.randrange(10**8):08d}"
        key = f"n{pid}"
        world.ncb.append((key, {"name": [ncb_name], "birthDate": [dob], "phone": [phone],
                                "country": ["in"]}))  # fmt: skip
        world.person_of[key] = pid
        world.traits[key] = traits
        if rng.random() < 0.3:
            continue  # DEA never met this one
        dea_traits = set(traits)
        dea_name = f"{given.replace('Mohammed', 'Mohd')} {surname}"
        r = rng.random()
        if r < 0.2:
            dea_name = f"{surname.upper()}, {given}"
        elif r < 0.35:
            dea_name = f"{given[0]}. {surname}"
            dea_traits.add("initials")
        dea_dob = dob
        if rng.random() < 0.15:
            y, m, d = dob.split("-")
            dea_dob = f"{y}-{d}-{m}" if int(d) <= 12 else dob
        dea = {"name": [dea_name], "birthDate": [dea_dob], "country": ["in"]}
        if rng.random() < 0.6:
            dea["phone"] = [phone]
        dkey = f"d{pid}"
        world.dea.append((dkey, dea))
        world.person_of[dkey] = pid
        world.traits[dkey] = dea_traits
    return world


def write(node: Node, agency: str, rows: list[tuple[str, dict[str, list[str]]]]) -> list[str]:
    batch = Batch(
        id=uuid.uuid4().hex, agency=agency, source="case-files", filename=f"{agency}.csv",
        sha256=uuid.uuid4().hex, markings=Markings(), created_by="seed", created_at=utcnow(),
    )  # fmt: skip
    ids = []
    with node.transaction() as conn, Writer(conn, batch) as writer:
        for key, props in rows:
            record = Record(entity_id(agency, "case-files", key), get_schema("Person"), key)
            for prop, values in props.items():
                for value in values:
                    record.add(prop, value)
            writer.write(record)
            ids.append(record.id)
    return ids


def cluster_pairs(assignment: dict[str, str]) -> set[frozenset[str]]:
    """Every pair of records that share a cluster (record -> cluster id)."""
    groups: dict[str, list[str]] = {}
    for record, cluster in assignment.items():
        groups.setdefault(cluster, []).append(record)
    return {frozenset(p) for g in groups.values() for p in combinations(sorted(g), 2)}
