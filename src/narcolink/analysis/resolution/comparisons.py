"""Comparison families (kinds) as Splink comparison levels, written once for every dialect.

Each kind is a list of levels, most specific first; each level is SQL over the features
columns (``x_l`` and ``x_r``) with a label that an analyst reads in a match explanation.
SQL functions differ between engines, so levels are built through a small ``Dialect``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from narcolink.analysis.resolution.spec import FieldSpec


@dataclass(frozen=True)
class Dialect:
    name: str
    jw: str  # Jaro-Winkler similarity
    dl: str  # Damerau-Levenshtein distance

    def overlap(self, a: str, b: str) -> str:
        if self.name == "spark":
            return f"arrays_overlap({a}, {b})"
        return f"list_has_any({a}, {b})"

    def contains(self, items: str, item: str) -> str:
        if self.name == "spark":
            return f"array_contains({items}, {item})"
        return f"list_contains({items}, {item})"


DIALECTS = {
    "duckdb": Dialect("duckdb", "jaro_winkler_similarity", "damerau_levenshtein"),
    "spark": Dialect("spark", "jaro_winkler", "damerau_levenshtein"),
}


def dialect(name: str) -> Dialect:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"no SQL dialect {name!r}; known: {sorted(DIALECTS)}") from None


Level = dict[str, Any]


def null(*columns: str) -> Level:
    condition = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return {"sql_condition": condition, "label_for_charts": "missing", "is_null_level": True}


def level(condition: str, label: str, tf: str | None = None, m: float | None = None) -> Level:
    """``m``: a prior m probability for a level that training may never observe (EM
    replaces it when it does)."""
    out: Level = {"sql_condition": condition, "label_for_charts": label}
    if m is not None:
        out["m_probability"] = m
    if tf:
        out["tf_adjustment_column"] = tf
        out["tf_adjustment_weight"] = 1.0
    return out


ELSE: Level = {"sql_condition": "ELSE", "label_for_charts": "different"}


def given_name(f: FieldSpec, d: Dialect) -> list[Level]:
    tf = "given" if f.term_frequency else None
    not_both_known = "NOT (given_known_l AND given_known_r)"
    return [
        null("given"),
        level("given_l = given_r", "same given name", tf),
        level("given_l = surname_r AND surname_l = given_r", "same names, surname first"),
        level(
            "given_skel_l = given_skel_r AND length(given_l) > 1 AND length(given_r) > 1",
            "same given name in another spelling or script",
        ),
        level(
            "(length(given_l) = 1 OR length(given_r) = 1) AND given_init_l = given_init_r",
            "initial matches given name",
        ),
        # Two different names from the lexicon ("rajesh", "rakesh") are not a typing error.
        level(
            f"{d.jw}(given_l, given_r) >= 0.92 AND {not_both_known}",
            "given name with a typing error",
        ),
        level(f"{d.jw}(given_l, given_r) >= 0.8 AND {not_both_known}", "similar given name"),
        ELSE,
    ]


def surname(f: FieldSpec, d: Dialect) -> list[Level]:
    tf = "surname" if f.term_frequency else None
    return [
        null("surname"),
        level("surname_l = surname_r", "same surname", tf),
        level("surname_skel_l = surname_skel_r", "same surname in another spelling or script"),
        level(
            f"{d.contains('name_full_r', 'surname_l')} OR {d.contains('name_full_l', 'surname_r')}",
            "surname among the other's names",
        ),
        level(f"{d.jw}(surname_l, surname_r) >= 0.92", "surname with a typing error"),
        level(f"{d.jw}(surname_l, surname_r) >= 0.8", "similar surname"),
        ELSE,
    ]


def middle_name(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("middle"),
        level("middle_l = middle_r", "same middle names"),
        level("middle_init_l = middle_init_r", "middle initials agree"),
        ELSE,
    ]


def father_name(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("father"),
        level("father_l = father_r", "same father's name"),
        level("father_skel_l = father_skel_r", "father's name in another spelling or script"),
        level(f"{d.jw}(father_l, father_r) >= 0.9", "similar father's name"),
        ELSE,
    ]


def birth_date(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("dob"),
        level("dob_l = dob_r", "same date"),
        level(
            f"{d.dl}(dob_digits_l, dob_digits_r) <= 1 OR dob_swapped_l = dob_digits_r",
            "one digit wrong, or day and month swapped",
        ),
        level(
            "(length(dob_l) < 10 OR length(dob_r) < 10) AND (substr(dob_l, 1, length(dob_r)) "
            "= dob_r OR substr(dob_r, 1, length(dob_l)) = dob_l)",
            "partial date agrees",
        ),
        level(f"{d.dl}(dob_digits_l, dob_digits_r) <= 2", "two digits wrong"),
        level("dob_year_l = dob_year_r", "same year"),
        ELSE,
    ]


def phone(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("phones"),
        level(d.overlap("phones_l", "phones_r"), "a phone number in common"),
        level(d.overlap("phone_tails_l", "phone_tails_r"), "same last eight digits"),
        ELSE,
    ]


def email(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("emails"),
        level(d.overlap("emails_l", "emails_r"), "an email address in common"),
        level(d.overlap("email_locals_l", "email_locals_r"), "same mailbox name, other domain"),
        ELSE,
    ]


def identifier(f: FieldSpec, d: Dialect) -> list[Level]:
    return [null("ids"), level(d.overlap("ids_l", "ids_r"), "an identifier in common"), ELSE]


def street(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("street"),
        level("street_l = street_r AND house_l = house_r", "same street and number"),
        level("street_l = street_r", "same street"),
        level(
            f"{d.jw}(street_l, street_r) >= 0.88 AND house_l = house_r",
            "similar street, same number",
        ),
        level(f"{d.jw}(street_l, street_r) >= 0.88", "similar street"),
        ELSE,
    ]


def locality(f: FieldSpec, d: Dialect) -> list[Level]:
    tf = "locality" if f.term_frequency else None
    return [
        null("locality"),
        level("locality_l = locality_r", "same locality", tf),
        level(f"{d.jw}(locality_l, locality_r) >= 0.88", "similar locality"),
        ELSE,
    ]


def postcode(f: FieldSpec, d: Dialect) -> list[Level]:
    return [
        null("postcode"),
        level("postcode_l = postcode_r", "same postal code"),
        level(f"{d.dl}(postcode_l, postcode_r) <= 1", "postal code one digit off"),
        ELSE,
    ]


def state(f: FieldSpec, d: Dialect) -> list[Level]:
    return [null("state"), level("state_l = state_r", "same state"), ELSE]


def gender(f: FieldSpec, d: Dialect) -> list[Level]:
    return [null("gender"), level("gender_l = gender_r", "same sex"), ELSE]


def company_name(f: FieldSpec, d: Dialect) -> list[Level]:
    tf = "company_key" if f.term_frequency else None
    return [
        null("company_key"),
        level("company_key_l = company_key_r", "same name", tf),
        level(d.overlap("company_keys_l", "company_keys_r"), "same words, or a shared name"),
        level("company_skel_l = company_skel_r", "same name in another spelling or script"),
        level(f"{d.jw}(company_key_l, company_key_r) >= 0.92", "name with a typing error"),
        level(d.overlap("company_words_l", "company_words_r"), "a distinctive word in common"),
        ELSE,
    ]


def legal_form(f: FieldSpec, d: Dialect) -> list[Level]:
    return [null("legal_form"), level("legal_form_l = legal_form_r", "same legal form"), ELSE]


KINDS: dict[str, Callable[[FieldSpec, Dialect], list[Level]]] = {
    "given_name": given_name,
    "surname": surname,
    "middle_name": middle_name,
    "father_name": father_name,
    "birth_date": birth_date,
    "phone": phone,
    "email": email,
    "identifier": identifier,
    "street": street,
    "locality": locality,
    "postcode": postcode,
    "state": state,
    "gender": gender,
    "company_name": company_name,
    "legal_form": legal_form,
}

# The feature column whose emptiness means the comparison has nothing to compare.
PRIMARY_COLUMN = {
    "given_name": "given", "surname": "surname", "middle_name": "middle", "father_name": "father",
    "birth_date": "dob", "phone": "phones", "email": "emails", "identifier": "ids",
    "street": "street", "locality": "locality", "postcode": "postcode", "state": "state",
    "gender": "gender", "company_name": "company_key", "legal_form": "legal_form",
}  # fmt: skip


def comparison(f: FieldSpec, d: Dialect) -> dict[str, Any]:
    return {
        "output_column_name": f.name,
        "comparison_description": f.kind,
        "comparison_levels": KINDS[f.kind](f, d),
    }
