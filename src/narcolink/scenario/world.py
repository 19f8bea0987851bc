"""The generation context: profile, seed, scale, the population, the views and the output.

A ``View`` is one agency's set of files. Record ids are opaque and collision-free: a
prefix and 16 hex digits from a bijective mix of (seed, agency, file, index), so the same
real person never gets ids that betray the match across agencies, and a record can be
referred to from another file without remembering anything.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from narcolink.scenario.companies import Companies, Company
from narcolink.scenario.contact import Address, Addresses
from narcolink.scenario.formats import HEADERS, PREFIX
from narcolink.scenario.output import Output, Sink
from narcolink.scenario.people import Person, Population
from narcolink.scenario.profile import AgencySpec, Profile, ViewNoise
from narcolink.scenario.render import person_row
from narcolink.scenario.rng import Stream, key, quick

GENERATOR_VERSION = "1"
FILE_OF_KIND = {"company": "companies", "organization": "organizations"}


class View:
    """One agency's files."""

    def __init__(self, world: World, spec: AgencySpec, noise: ViewNoise) -> None:
        self.world = world
        self.spec = spec
        self.code = spec.code
        self.country = spec.country
        self.noise = noise
        self._sinks: dict[str, Sink] = {}
        self._bases: dict[str, int] = {}
        self.visible_base = key(world.seed, "visible", self.code)
        self.person_rng = world.stream("persons", self.code)
        self.rng = world.stream("records", self.code)
        self.visible_rates = {
            home: rates.get(self.code, 0.0) for home, rates in world.profile.visible.items()
        }
        self.duplicate_rate = world.profile.duplicates.get(self.code, 0.0)

    def sink(self, name: str) -> Sink:
        found = self._sinks.get(name)
        if found is None:
            found = self.world.out.sink(f"{self.code}/{name}.csv", HEADERS[name])
            self._sinks[name] = found
        return found

    def rid(self, name: str, index: int, copy: int = 0) -> str:
        base = self._bases.get(name)
        if base is None:
            base = self._bases[name] = key(self.world.seed, "id", self.code, name)
        # quick() is a bijection of its second argument: distinct records, distinct ids.
        return f"{PREFIX[name]}{quick(base, index << 2 | copy):016x}"

    def emit(self, name: str, row: list[str], entity: str, noise: str = "") -> None:
        self.world.out.record(self.sink(name), row, entity, noise)

    # --- people ---------------------------------------------------------------------------

    def copies(self, index: int, country: str) -> int:
        """How many records this view holds of a background person (0, 1 or 2); pure."""
        h = quick(self.visible_base, index)
        if (h >> 11) / 9007199254740992.0 >= self.visible_rates.get(country, 0.0):
            return 0
        return 2 if (h & 1023) / 1024 < self.duplicate_rate else 1

    def person_id(self, index: int, country: str) -> str:
        """The id of this view's (first) record of a background person, or ''."""
        return self.rid("persons", index) if self.copies(index, country) else ""

    def company_id(self, company: Company) -> str:
        """The id of this view's record of a company, or '' (pure)."""
        if self.world.companies.known_to(company, self.country):
            return self.rid(FILE_OF_KIND[company.kind], company.index)
        return ""

    def write_person(self, person: Person, copy: int = 0, profession: str = "") -> str:
        record_id = self.rid("persons", person.index, copy)
        home = self.world.home(person)
        region = person.country if person.country in ("in", "us") else self.country
        row, labels = person_row(
            person,
            record_id,
            home,
            region,
            self.noise,
            self.person_rng,
            self.world.person_base,
            profession,
        )
        if copy:
            labels.append(f"copy={copy}")
        self.emit("persons", row, person.entity, ";".join(labels))
        return record_id


class World:
    def __init__(
        self, profile: Profile, seed: int, scale: float, root: Path | None, part: str = ""
    ) -> None:
        self.profile = profile
        self.seed = seed
        self.scale = scale
        self._out = Output(root, part) if root is not None else None
        self.start = profile.start
        self.days = profile.days
        self.first_day = profile.start.toordinal()
        cast = frozenset(
            str(pin["name"])
            for net in profile.networks
            for role in net.get("roles", {}).values()
            for pin in role.get("cast", []) or []
            if isinstance(pin, dict) and "name" in pin
        )
        self.population = Population(
            seed,
            self.count_of(profile.persons.get("in", 0)),
            self.count_of(profile.persons.get("us", 0)),
            profile.india_groups,
            profile.us_indian_origin,
            reserved=cast,
        )
        self.person_base = key(seed, "person-ids")
        self.addresses = Addresses(seed)
        self.companies = Companies(
            seed,
            {k: self.count_of(v) for k, v in profile.companies.items()},
            (self.population.n_in, self.population.n_us),
        )
        self.views = {
            code: View(self, spec, profile.noise[code]) for code, spec in profile.agencies.items()
        }

    @property
    def out(self) -> Output:
        if self._out is None:
            raise RuntimeError("this world writes nothing (no output directory)")
        return self._out

    def count_of(self, per_scale: int) -> int:
        return max(0, round(per_scale * self.scale))

    def volume(self, name: str) -> int:
        return self.count_of(self.profile.volumes.get(name, 0))

    def stream(self, *name: object) -> Stream:
        return Stream(self.seed, *name)

    def home(self, person: Person) -> Address:
        city = person.city if person.city >= 0 else None
        return self.addresses.get(person.country, person.address, city)

    def day(self, rng: Stream, start: date | None = None, end: date | None = None) -> date:
        if start is None and end is None:
            return date.fromordinal(self.first_day + int(rng.random() * self.days))
        first = start or self.start
        last = end or (self.start + timedelta(days=self.days - 1))
        return first + timedelta(days=rng.below((last - first).days + 1))

    def view_for(self, country: str) -> View | None:
        for view in self.views.values():
            if view.country == country:
                return view
        return None
