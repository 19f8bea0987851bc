"""Turn a record (any source: a stored entity, a benchmark row) into comparison features.

Input is a plain mapping of field -> value or list of values, in the vocabulary below
(FtM property names where FtM has one). Output is one flat row whose columns the compiled
comparisons and blocking rules read. Empty lists become None (missing, not disagreeing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from narcolink.analysis.resolution.addresses import parse_address, postcode_key, state_code
from narcolink.analysis.resolution.addresses import street_key as make_street_key
from narcolink.analysis.resolution.companies import parse_company
from narcolink.analysis.resolution.names import (
    KNOWN_GIVEN,
    ParsedName,
    canonical_word,
    parse_name,
    skeleton,
)
from narcolink.analysis.resolution.scripts import romanise
from narcolink.analysis.resolution.values import (
    email_key,
    email_local,
    identifier_key,
    parse_date,
    phone_e164,
    phone_tail,
)

Row = dict[str, Any]

PERSON_FIELDS = (
    "name", "firstName", "middleName", "lastName", "fatherName", "birthDate", "phone",
    "email", "address", "street", "houseNumber", "city", "postalCode", "region", "country",
    "idNumber", "passportNumber", "taxNumber", "gender",
)  # fmt: skip


def values(record: Mapping[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if v is not None and str(v).strip()]


def first(record: Mapping[str, Any], key: str) -> str | None:
    found = values(record, key)
    return found[0] if found else None


def _none_if_empty(items: Iterable[str]) -> list[str] | None:
    out = sorted({i for i in items if i})
    return out or None


def _parts_name(record: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]] | None:
    """A name given in parts (first, middle, last): no guessing which word is which."""
    given, last = first(record, "firstName"), first(record, "lastName")
    if not given and not last:
        return None
    if not given and values(record, "name"):
        # "R. Bisht" with only lastName filled: the full name still holds the initial.
        return None
    middle = first(record, "middleName") or ""
    return (
        parse_name(given).words if given else [],
        parse_name(middle).words if middle else [],
        parse_name(last).words if last else [],
    )


def name_features(record: Mapping[str, Any]) -> Row:
    # Aliases (often the same name in another script) count as further names: they feed
    # the blocking keys and "surname among the other's names", never the given/surname.
    names = values(record, "name") + values(record, "alias")
    parts = _parts_name(record)
    others = [parse_name(n) for n in names]
    if parts is not None:
        given_words, middle, last_words = parts
        words = given_words + middle + last_words
        parsed = ParsedName(words=words, skeletons=[skeleton(w) or w for w in words])
        given = given_words[0] if given_words else None
        surname = last_words[-1] if last_words else None
        middle = given_words[1:] + middle + last_words[:-1]
    else:
        parsed = others.pop(0) if others else ParsedName()
        order = parsed.ordered
        given = order[0] if order else None
        surname = order[-1] if len(order) > 1 else None
        middle = order[1:-1]
    father_text = first(record, "fatherName")
    father_words = parsed.father or (parse_name(father_text).words if father_text else [])
    all_names = [parsed, *others]
    keys = [" ".join(sorted(p.words)) for p in all_names if p.words]
    skels = [" ".join(sorted(p.skeletons)) for p in all_names if p.skeletons]
    words = parsed.words
    return {
        "name_keys": _none_if_empty(keys),
        "name_skels": _none_if_empty(skels),
        "name_skel": skels[0] if skels else None,
        "name_full": _none_if_empty(w for p in all_names for w in p.full_words),
        "name_letters": _none_if_empty(w[0] for w in words),
        "name_inits": _none_if_empty(w for w in words if len(w) == 1),
        "given": given,
        "given_skel": skeleton(given) if given else None,
        "given_known": bool(given and given in KNOWN_GIVEN),
        "given_init": given[0] if given else None,
        "middle": " ".join(middle) or None,
        "middle_init": middle[0][0] if middle else None,
        "surname": surname if surname and len(surname) > 1 else None,
        "surname_skel": skeleton(surname) if surname and len(surname) > 1 else None,
        "father": " ".join(sorted(father_words)) or None,
        "father_skel": " ".join(sorted(skeleton(w) for w in father_words)) or None,
        "name_scripts": ",".join(sorted(parsed.scripts)) or None,
    }


def date_features(record: Mapping[str, Any], key: str = "birthDate") -> Row:
    parsed = None
    for value in values(record, key):
        parsed = parse_date(value)
        if parsed:
            break
    if parsed is None:
        return dict.fromkeys(("dob", "dob_year", "dob_digits", "dob_swapped"))
    return {
        "dob": parsed.iso,
        "dob_year": f"{parsed.year:04d}",
        "dob_digits": parsed.digits,
        "dob_swapped": parsed.swapped,
    }


def contact_features(record: Mapping[str, Any]) -> Row:
    region = (first(record, "country") or "").lower() or None
    phones = [phone_e164(p, region) for p in values(record, "phone")]
    clean = [p for p in phones if p]
    emails = [e for e in (email_key(v) for v in values(record, "email")) if e]
    ids: list[str] = []
    for key in ("idNumber", "passportNumber", "taxNumber", "registrationNumber", "innCode",
                "vatCode", "ogrnCode", "leiCode", "swiftBic"):  # fmt: skip
        ids.extend(i for i in (identifier_key(v) for v in values(record, key)) if i)
    return {
        "phones": _none_if_empty(clean),
        "phone_tails": _none_if_empty(phone_tail(p) for p in clean),
        "emails": _none_if_empty(emails),
        "email_locals": _none_if_empty(email_local(e) for e in emails),
        "ids": _none_if_empty(ids),
    }


def address_features(record: Mapping[str, Any]) -> Row:
    country = (first(record, "country") or "").lower() or None
    full = first(record, "address")
    parts = parse_address(full, country) if full else None
    street_text = first(record, "street")
    street = make_street_key(street_text) if street_text else (parts.street_key if parts else None)
    house = first(record, "houseNumber") or (parts.number if parts else None)
    postcode_text = first(record, "postalCode")
    postcode = postcode_key(postcode_text, country) if postcode_text else None
    region_text = first(record, "region")
    city = first(record, "city")
    return {
        "street": street,
        "house": house.strip().lower() if house else None,
        "locality": " ".join(romanise(city).split()) or None if city else None,
        "postcode": postcode or (parts.postcode if parts else None),
        "state": (state_code(region_text, country) or romanise(region_text) or None)
        if region_text
        else (parts.state if parts else None),
        "country": country,
    }


def person_row(record: Mapping[str, Any]) -> Row:
    """Every feature of a person record; ``id`` and ``source`` become Splink's keys."""
    row: Row = {"unique_id": str(record["id"]), "source_dataset": str(record.get("source", ""))}
    row.update(name_features(record))
    row.update(date_features(record))
    row.update(contact_features(record))
    row.update(address_features(record))
    gender = (first(record, "gender") or "").strip().lower()[:1]
    row["gender"] = gender if gender in ("m", "f") else None
    return row


def company_row(record: Mapping[str, Any]) -> Row:
    """Features of a company, organisation or legal entity."""
    names = values(record, "name")
    parsed = [parse_company(n) for n in names]
    primary = parsed[0] if parsed else None
    row: Row = {"unique_id": str(record["id"]), "source_dataset": str(record.get("source", ""))}
    row["company_keys"] = _none_if_empty(p.sorted_key or "" for p in parsed)
    row["company_words"] = _none_if_empty(w for p in parsed for w in p.distinctive)
    row["company_key"] = primary.key if primary else None
    row["company_skel"] = (
        " ".join(skeleton(canonical_word(w)) for w in primary.words) or None if primary else None
    )
    row["legal_form"] = primary.legal_form if primary else None
    row["company_first"] = (primary.distinctive or primary.words or (None,))[0] if primary else None
    row.update(contact_features(record))
    row.update(address_features(record))
    return row


ROW_BUILDERS = {"person": person_row, "company": company_row}
