"""Write a CSV of N person records (about 8 properties each) in narcolink's import format.

Deterministic for a given seed; names mix Indian and US first and last names, a share in
Devanagari, Indian and US phone formats, dates, countries, emails and identifiers.

    python benchmarks/make_persons_csv.py --rows 1000000 --out bench-data/persons-1m.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

FIRST = [
    "Rajesh",
    "Rakesh",
    "Suresh",
    "Mahesh",
    "Amit",
    "Sunil",
    "Anil",
    "Vikram",
    "Arjun",
    "Priya",
    "Pooja",
    "Neha",
    "Anita",
    "Sunita",
    "Mohammed",
    "Imran",
    "Salman",
    "Gurpreet",
    "Harpreet",
    "Manpreet",
    "Ravi",
    "Sanjay",
    "Deepak",
    "Kavita",
    "John",
    "Michael",
    "David",
    "James",
    "Robert",
    "Mary",
    "Jennifer",
    "Linda",
    "Patricia",
    "Carlos",
    "Maria",
    "Ahmed",
]
LAST = [
    "Kumar",
    "Sharma",
    "Singh",
    "Verma",
    "Gupta",
    "Khan",
    "Choudhary",
    "Chaudhary",
    "Patel",
    "Reddy",
    "Nair",
    "Iyer",
    "Yadav",
    "Mishra",
    "Joshi",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
]
DEVANAGARI = {
    "Rajesh": "राजेश",
    "Kumar": "कुमार",
    "Sharma": "शर्मा",
    "Amit": "अमित",
    "Singh": "सिंह",
    "Priya": "प्रिया",
    "Gupta": "गुप्ता",
    "Verma": "वर्मा",
}
COLUMNS = [
    "id",
    "name",
    "firstName",
    "lastName",
    "birthDate",
    "nationality",
    "phone",
    "email",
    "idNumber",
]


def person(rng: random.Random, i: int) -> list[str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{first} {last}"
    if first in DEVANAGARI and last in DEVANAGARI and rng.random() < 0.2:
        name = f"{DEVANAGARI[first]} {DEVANAGARI[last]}"
    indian = rng.random() < 0.6
    if indian:
        mobile = f"{rng.choice('6789')}{rng.randrange(10**9):09d}"
        phone = rng.choice([f"+91 {mobile[:5]} {mobile[5:]}", f"0{mobile}", f"+91{mobile}"])
    else:
        phone = f"+1 {rng.randrange(201, 990)} {rng.randrange(200, 999)} {rng.randrange(10**4):04d}"
    birth = f"{rng.randrange(1950, 2005)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    return [
        f"P{i:08d}",
        name,
        first,
        last,
        birth,
        "in" if indian else "us",
        phone,
        f"{first.lower()}.{last.lower()}{i}@example.org",
        f"ID{rng.randrange(10**10):010d}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(args.rows):
            writer.writerow(person(rng, i))
    print(f"wrote {args.rows:,} rows to {args.out}")


if __name__ == "__main__":
    main()
