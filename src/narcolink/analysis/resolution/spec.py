"""The resolution spec: what to compare, how to block, how to train; free of any engine.

A spec is plain data that round-trips through JSON (``to_json`` / ``from_json``), so it can
be versioned, reviewed and shown in court beside its results; ``compile.splink_settings``
turns it into Splink settings for one SQL dialect (DuckDB or Spark).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from narcolink.exc import BadRequest

SPEC_VERSION = 1
LINK_TYPES = ("dedupe_only", "link_only", "link_and_dedupe")


@dataclass(frozen=True)
class FieldSpec:
    """One comparison: ``kind`` names a family in ``comparisons.KINDS``."""

    name: str
    kind: str
    term_frequency: bool = False


@dataclass(frozen=True)
class BlockingRule:
    """Pairs that agree on every column are compared; ``explode`` columns hold lists."""

    columns: tuple[str, ...]
    explode: tuple[str, ...] = ()


@dataclass(frozen=True)
class Training:
    u_max_pairs: float = 1_000_000
    seed: int = 42
    # Rules that almost never join two different people: estimate the share of matches.
    deterministic: tuple[BlockingRule, ...] = ()
    deterministic_recall: float = 0.7
    # One EM session per rule; each trains the comparisons its rule does not fix.
    em_rules: tuple[BlockingRule, ...] = ()
    em_max_pairs: float | None = None  # sample EM's blocked pairs down to about this many
    min_labels: int = 5  # analysts' confirmed pairs used to estimate m once this many exist


@dataclass(frozen=True)
class ResolutionSpec:
    kind: str  # row builder in features.ROW_BUILDERS: "person" or "company"
    fields: tuple[FieldSpec, ...]
    blocking: tuple[BlockingRule, ...]
    training: Training = field(default_factory=Training)
    link_type: str = "dedupe_only"
    threshold: float = 0.95  # match probability at which a pair joins a cluster
    review_low: float = 0.5  # pairs between review_low and review_high go to the review queue
    review_high: float = 0.99
    version: int = SPEC_VERSION

    def __post_init__(self) -> None:
        from narcolink.analysis.resolution.comparisons import KINDS

        if self.link_type not in LINK_TYPES:
            raise BadRequest(f"link_type {self.link_type!r} is not one of {LINK_TYPES}")
        for f in self.fields:
            if f.kind not in KINDS:
                raise BadRequest(f"field {f.name!r}: unknown kind {f.kind!r}")
        if not 0 < self.threshold < 1 or not 0 <= self.review_low <= self.review_high <= 1:
            raise BadRequest("thresholds must satisfy 0 <= review_low <= review_high <= 1")
        if len({f.name for f in self.fields}) != len(self.fields):
            raise BadRequest("field names must be unique")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResolutionSpec:
        try:
            if data.get("version", SPEC_VERSION) != SPEC_VERSION:
                raise BadRequest(f"spec version {data.get('version')!r} is not {SPEC_VERSION}")
            training = dict(data.get("training") or {})
            for key in ("deterministic", "em_rules"):
                training[key] = tuple(_rule(r) for r in training.get(key, ()))
            return cls(
                kind=data["kind"],
                fields=tuple(FieldSpec(**f) for f in data["fields"]),
                blocking=tuple(_rule(r) for r in data["blocking"]),
                training=Training(**training),
                link_type=data.get("link_type", "dedupe_only"),
                threshold=float(data.get("threshold", 0.95)),
                review_low=float(data.get("review_low", 0.5)),
                review_high=float(data.get("review_high", 0.99)),
                version=int(data.get("version", SPEC_VERSION)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BadRequest(f"not a resolution spec: {error}") from None

    @classmethod
    def from_json(cls, text: str) -> ResolutionSpec:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise BadRequest(f"spec is not JSON: {error}") from None
        if not isinstance(data, dict):
            raise BadRequest("spec must be a JSON object")
        return cls.from_dict(data)

    def without_fields(self, names: set[str]) -> ResolutionSpec:
        """The same spec with some comparisons dropped (e.g. columns empty in the data)."""
        kept = tuple(f for f in self.fields if f.name not in names)
        return ResolutionSpec(**{**self.__dict__, "fields": kept})


def _rule(data: Any) -> BlockingRule:
    if isinstance(data, BlockingRule):
        return data
    if isinstance(data, list | tuple):
        return BlockingRule(tuple(data))
    return BlockingRule(tuple(data["columns"]), tuple(data.get("explode", ())))


def rule(*columns: str, explode: tuple[str, ...] = ()) -> BlockingRule:
    return BlockingRule(tuple(columns), explode)


PERSON = ResolutionSpec(
    kind="person",
    fields=(
        FieldSpec("given", "given_name", term_frequency=True),
        FieldSpec("surname", "surname", term_frequency=True),
        FieldSpec("middle", "middle_name"),
        FieldSpec("father", "father_name"),
        FieldSpec("birth_date", "birth_date"),
        FieldSpec("phone", "phone"),
        FieldSpec("email", "email"),
        FieldSpec("identifier", "identifier"),
        FieldSpec("street", "street"),
        FieldSpec("locality", "locality", term_frequency=True),
        FieldSpec("postcode", "postcode"),
        FieldSpec("state", "state"),
        FieldSpec("sex", "gender"),
    ),
    blocking=(
        rule("surname_skel", "given_init"),
        rule("given_skel", "dob_year"),
        rule("dob"),
        rule("name_skels", explode=("name_skels",)),
        rule("given_skel", "postcode"),
        rule("surname_skel", "postcode"),
        rule("street", "postcode"),
        rule("street", "house"),
        rule("postcode", "house"),
        rule("given_skel", "street"),
        rule("surname_skel", "middle_init"),
        rule("given_skel", "middle_init"),
        rule("surname_skel", "dob_year"),
        rule("phones", explode=("phones",)),
        rule("emails", explode=("emails",)),
        rule("ids", explode=("ids",)),
    ),
    training=Training(
        deterministic=(rule("given_skel", "surname_skel", "dob"),),
        deterministic_recall=0.7,
        em_rules=(rule("dob"), rule("surname_skel", "given_skel")),
    ),
)

# For hundreds of thousands of records and up: every blocking rule pairs on two strong
# keys, so no block grows with the square of a common surname.
PERSON_LARGE = ResolutionSpec(
    kind="person",
    fields=PERSON.fields,
    blocking=(
        rule("surname_skel", "given_skel"),
        rule("given_skel", "dob"),
        rule("surname_skel", "dob"),
        rule("name_skel"),
        rule("phones", explode=("phones",)),
        rule("emails", explode=("emails",)),
        rule("ids", explode=("ids",)),
    ),
    training=Training(
        u_max_pairs=2_000_000,
        deterministic=(rule("given_skel", "surname_skel", "dob"),),
        em_rules=(rule("dob"), rule("surname_skel", "given_skel")),
        em_max_pairs=2_000_000,
    ),
)
LARGE_ABOVE = 200_000  # records: use PERSON_LARGE's blocking from here on

COMPANY = ResolutionSpec(
    kind="company",
    fields=(
        FieldSpec("company_name", "company_name", term_frequency=True),
        FieldSpec("legal_form", "legal_form"),
        FieldSpec("phone", "phone"),
        FieldSpec("email", "email"),
        FieldSpec("identifier", "identifier"),
        FieldSpec("street", "street"),
        FieldSpec("postcode", "postcode"),
    ),
    blocking=(
        rule("company_first"),
        rule("company_skel"),
        rule("phones", explode=("phones",)),
        rule("emails", explode=("emails",)),
        rule("ids", explode=("ids",)),
        rule("postcode", "house"),
    ),
    training=Training(
        deterministic=(rule("company_key", "postcode"),),
        em_rules=(rule("company_first"), rule("postcode")),
    ),
)

DEFAULT_SPECS = {"Person": PERSON, "Company": COMPANY, "Organization": COMPANY,
                 "LegalEntity": COMPANY}  # fmt: skip
