"""The noise model as a Markdown table, rendered from a profile (and the few fixed rates in
code), so docs/scenario.md states exactly the rates the generator uses; a test keeps the
document and the profile in step."""

from __future__ import annotations

from narcolink.scenario.companies import COMPANY_NOISE
from narcolink.scenario.profile import Profile, ViewNoise
from narcolink.scenario.rng import Weighted

BEGIN = "<!-- noise table: generated from profiles/medmax.yml by narcolink.scenario.describe -->"
END = "<!-- end of noise table -->"

FORM_LABELS = {
    "plain": "name as written by its bearer (`Rajesh Kumar Sharma`)",
    "native_script": "name in a native script: Devanagari, or Gurmukhi / Urdu for Punjabi "
    "and Muslim names (`राजेश कुमार शर्मा`)",
    "initials": "initials for the given names (`R. K. Sharma`, `R.K. Sharma`, `R K Sharma`)",
    "surname_first": "surname first (`Sharma Rajesh Kumar`, `SHARMA, Rajesh`)",
    "patronymic": "with the father's name (`Rajesh Sharma s/o Ram Lal Sharma`)",
    "honorific": "with an honorific (`Shri`, `Smt.`, `Sardar`, `Janab`, `Mr.`, `Dr.`)",
}
PHONE_LABELS = {
    "e164": "`+919812345678`",
    "spaced": "`+91 98123 45678`, `+1 205 555 0147`",
    "dashed": "`+91-98123-45678`",
    "trunk": "`098123 45678` (Indian numbers, India's records)",
    "national": "`9812345678`, `205-555-0147` (own country's numbers)",
    "intl00": "`001 205 555 0147` (India's records of US numbers)",
    "intl011": "`011 91 98123 45678` (US records of Indian numbers)",
    "paren": "`(205) 555-0147` (US numbers, US records)",
    "dotted": "`205.555.0147`",
}
ADDRESS_LABELS = {
    "canonical": "full (`House No. 27, Gali No. 4, Laxmi Nagar, Delhi, Delhi 110092`)",
    "indian_register": "register style (`H.No. 27, Gali 4, Laxmi Nagar, Delhi-110092`)",
    "indian_short": "locality and city only (`Laxmi Nagar, Delhi`)",
    "native": "city in Devanagari",
    "us_postal": "postal abbreviations (`418 Pinecrest Dr, Huntsville, AL 35801`)",
    "us_upper": "capitals with ZIP+4 (`418 PINECREST DR HUNTSVILLE AL 35801-1234`)",
}


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%" if value * 100 >= 1 or value == 0 else f"{value * 100:.1f}%"


def _share(table: Weighted[str], item: str) -> str:
    return _pct(table.share(item))


def noise_table(profile: Profile) -> str:
    """The rate of every variation, per agency, as Markdown."""
    codes = list(profile.agencies)
    noise: dict[str, ViewNoise] = profile.noise
    head = "| variation | " + " | ".join(c.upper() for c in codes) + " |"
    rule = "|---|" + "---|" * len(codes)
    rows = [BEGIN, "", head, rule]

    def row(label: str, values: list[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(values) + " |")

    rows.append("| **person records: the form of the name** (one per record) |" + " |" * len(codes))
    for form, label in FORM_LABELS.items():
        row(label, [_share(noise[c].name.forms, form) for c in codes])
    rows.append("| **names: further variations** (independent) |" + " |" * len(codes))
    row(
        "another spelling of a name that has one (`Mohd`/`Mohammed`/`Muhammad`, "
        "`Choudhary`/`Chaudhary`, `Bill`/`William`)",
        [_pct(noise[c].name.variant) for c in codes],
    )
    row(
        "one letter wrong, missing, doubled or swapped (Latin names)",
        [_pct(noise[c].name.typo) for c in codes],
    )
    row(
        "an alias in the other script (Latin beside native, or native beside Latin)",
        [_pct(noise[c].name.alias) for c in codes],
    )
    row("in capitals", [_pct(noise[c].name.upper) for c in codes])
    row(
        "native script of a Punjabi or Muslim name: Gurmukhi / Urdu rather than Devanagari",
        [
            _share(noise[c].name.scripts, "native")
            if noise[c].name.forms.share("native_script")
            else "—"
            for c in codes
        ],
    )
    rows.append("| **person records: other fields** |" + " |" * len(codes))
    for field, label in (
        ("birthDate", "birth date missing"),
        ("phone", "phone missing"),
        ("address", "address missing"),
        ("gender", "gender missing"),
        ("email", "email missing (of people who have one)"),
    ):
        row(label, [_pct(noise[c].missing.get(field, 0.0)) for c in codes])
    row(
        "birth date given as the year only (of dates given)",
        [_pct(noise[c].year_only) for c in codes],
    )
    row(
        "day and month swapped (of dates given, where the day is 12 or less)",
        [_pct(noise[c].swapped) for c in codes],
    )
    row(
        "father's name in its own field (Indian names)", [_pct(noise[c].father_name) for c in codes]
    )
    row("PAN-style tax id (Indian nationals)", [_pct(noise[c].id_number) for c in codes])
    row("passport number", [_pct(noise[c].passport) for c in codes])
    row(
        "a second, independent record of the same person in the view",
        [_pct(profile.duplicates.get(c, 0.0)) for c in codes],
    )
    rows.append(
        "| **phone numbers as written** (of numbers given; a form a number cannot "
        "take falls back to the spaced international form) |" + " |" * len(codes)
    )
    for form, label in PHONE_LABELS.items():
        row(label, [_share(noise[c].phone, form) for c in codes])
    rows.append("| **addresses as written** (of addresses given) |" + " |" * len(codes))
    for style, label in ADDRESS_LABELS.items():
        row(label, [_share(noise[c].address, style) for c in codes])
    rows.append("| **company names** (every agency) |" + " |" * len(codes))
    for label, key in (
        (
            "the other spelling of an Indian legal form (`Pvt Ltd` / `Private Limited`)",
            "legal_form",
        ),
        ("`M/s` before an Indian name", "ms_prefix"),
        ("the legal form left out", "no_legal_form"),
        ("in capitals", "upper"),
    ):
        row(label, [_pct(COMPANY_NOISE[key])] * len(codes))
    rows += ["", END]
    return "\n".join(rows)
