"""The ordinary population: people, and their records in each agency's view.

People are streamed one at a time; each person's records in every view are written at
once, with the ground-truth entity row, and then forgotten.
"""

from __future__ import annotations

from collections import OrderedDict

from narcolink.scenario.companies import Company, company_name, premises, premises_text
from narcolink.scenario.people import Person
from narcolink.scenario.world import FILE_OF_KIND, View, World

BLOCK = 4096


def persons(world: World) -> None:
    """Every background person: a truth entity, and 0-2 records in each view."""
    out = world.out
    views = list(world.views.values())
    population = world.population
    for start in range(0, population.size, BLOCK):
        for person in population.block(start, min(start + BLOCK, population.size)):
            out.entity(person.entity, "person", person.name, person.country)
            for view in views:
                for copy in range(view.copies(person.index, person.country)):
                    view.write_person(person, copy)


def write_company(
    world: World,
    view: View,
    company: Company,
    notes: str = "",
    exact: bool = False,
    alias: str = "",
    entity: str = "",
) -> str:
    """The view's records of a company: its premises (addresses.csv) and itself."""
    rng = view.rng
    addr = premises(company, world.addresses)
    address_id = view.rid("addresses", addr.index)
    view.emit(
        "addresses",
        [
            address_id,
            addr.full,
            " ".join(p for p in (addr.house, addr.line) if p),
            addr.city,
            addr.region,
            addr.postal,
            addr.country,
        ],
        addr.entity,
    )
    labels: list[str] = []
    name = company.name if exact else company_name(company, rng, labels)
    record_id = view.rid(FILE_OF_KIND[company.kind], company.index)
    if company.kind == "organization":
        view.emit(
            "organizations",
            [
                record_id,
                name,
                company.country,
                company.phone,
                premises_text(addr, rng),
                address_id,
                company.sector,
            ],
            entity or company.entity,
            ";".join(labels),
        )
        return record_id
    phone = "" if not exact and rng.chance(0.1) else company.phone
    view.emit(
        "companies",
        [
            record_id,
            name,
            alias,
            company.country,
            phone,
            company.email,
            company.registration,
            company.licence,
            company.sector,
            premises_text(addr, rng),
            address_id,
            notes,
        ],
        entity or company.entity,
        ";".join(labels),
    )
    return record_id


def companies(world: World) -> None:
    """Every background company: truth entities (company and premises) and its records,
    with its directors where the view knows them."""
    out = world.out
    registry = world.companies
    for index in range(registry.size):
        company = registry.company(index)
        addr = premises(company, world.addresses)
        out.entity(company.entity, "company", company.name, company.country)
        out.entity(addr.entity, "address", addr.full, company.country)
        for director in company.directors:
            out.entity(
                f"directorship-{company.index}-{director}",
                "directorship",
                "Director",
                company.country,
            )
        for view in world.views.values():
            if not registry.known_to(company, view.country):
                continue
            record_id = write_company(world, view, company)
            for n, director in enumerate(company.directors):
                person_id = view.person_id(director, company.country)
                if person_id:
                    view.emit(
                        "directorships",
                        [
                            view.rid("directorships", index * 4 + n),
                            person_id,
                            record_id,
                            "Director",
                            f"{2000 + director % 24}-{1 + director % 12:02d}",
                        ],
                        f"directorship-{company.index}-{director}",
                    )


class PersonCache:
    """A bounded cache of people by index, for streams that refer to the same people
    again and again (parcels, calls). Least recently used people are dropped first."""

    def __init__(self, world: World, size: int = 50_000) -> None:
        self.population = world.population
        self.size = size
        self.items: OrderedDict[int, Person] = OrderedDict()

    def get(self, index: int) -> Person:
        items = self.items
        found = items.get(index)
        if found is None:
            found = items[index] = self.population.person(index)
            if len(items) > self.size:
                items.popitem(last=False)
        return found
