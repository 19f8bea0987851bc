"""Indian and US addresses reduced to comparable parts.

Indian addresses are written free-form ("H.No. 12, Gali No. 3, Mayur Vihar Ph-1, Delhi
110091"), US ones follow USPS habits ("12 N Main St Apt 4, Mobile AL 36602"). Both are
cut into a house number, the other words with abbreviations expanded (St -> street,
Distt -> district, Ph -> phase), a postal code (PIN or ZIP) and a state code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from narcolink.analysis.resolution.scripts import romanise

ABBREVIATIONS = {
    # US (USPS suffixes and units)
    "st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
    "blvd": "boulevard", "dr": "drive", "ln": "lane", "ct": "court", "pl": "place",
    "hwy": "highway", "pkwy": "parkway", "cir": "circle", "ter": "terrace", "sq": "square",
    "apt": "apartment", "ste": "suite", "fl": "floor", "bldg": "building",
    "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast",
    "nw": "northwest", "se": "southeast", "sw": "southwest", "mt": "mount",
    # India
    "h": "house", "hno": "house", "no": "number", "nr": "near", "opp": "opposite",
    "ph": "phase", "sec": "sector", "sect": "sector", "distt": "district", "dist": "district",
    "teh": "tehsil", "tah": "tehsil", "vill": "village", "vil": "village", "po": "postoffice",
    "ps": "policestation", "clny": "colony", "col": "colony", "ngr": "nagar", "mohalla": "mohalla",
    "mohalla.": "mohalla", "mkt": "market", "extn": "extension", "ext": "extension",
    "marg": "marg", "chowk": "chowk", "gali": "gali", "indl": "industrial", "ind": "industrial",
    "estt": "estate", "compl": "complex", "appt": "apartment", "apts": "apartments",
}  # fmt: skip

# Words that locate but do not identify: dropped from the street key.
FILLER = frozenset({"house", "number", "flat", "apartment", "suite", "floor", "plot", "near",
                    "opposite", "the", "of", "and", "unit", "postoffice", "policestation",
                    "district", "tehsil", "village", "block"})  # fmt: skip

INDIA_STATES = {
    "andhra pradesh": "AP", "arunachal pradesh": "AR", "assam": "AS", "bihar": "BR",
    "chhattisgarh": "CG", "goa": "GA", "gujarat": "GJ", "haryana": "HR",
    "himachal pradesh": "HP", "jharkhand": "JH", "karnataka": "KA", "kerala": "KL",
    "madhya pradesh": "MP", "maharashtra": "MH", "manipur": "MN", "meghalaya": "ML",
    "mizoram": "MZ", "nagaland": "NL", "odisha": "OD", "orissa": "OD", "punjab": "PB",
    "rajasthan": "RJ", "sikkim": "SK", "tamil nadu": "TN", "telangana": "TS",
    "tripura": "TR", "uttar pradesh": "UP", "uttarakhand": "UK", "uttaranchal": "UK",
    "west bengal": "WB", "delhi": "DL", "new delhi": "DL", "nct of delhi": "DL",
    "jammu and kashmir": "JK", "ladakh": "LA", "chandigarh": "CH", "puducherry": "PY",
    "pondicherry": "PY",
}  # fmt: skip
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA",
    "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS",
    "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
    "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
    "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI",
    "wyoming": "WY", "district of columbia": "DC",
}  # fmt: skip

_PIN = re.compile(r"(?<!\d)(\d{3})\s?(\d{3})(?!\d)")
_ZIP = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
_HOUSE = re.compile(r"^(?:\d+[a-z]?|[a-z]?\d+(?:[-/]\d+[a-z]?)*)$")


@dataclass
class AddressParts:
    number: str | None = None
    words: list[str] = field(default_factory=list)  # expanded, fillers removed
    postcode: str | None = None
    state: str | None = None

    @property
    def street_key(self) -> str | None:
        return " ".join(self.words) or None


def state_code(text: str, country: str | None = None) -> str | None:
    """Two-letter code of an Indian or US state written out or abbreviated."""
    key = " ".join(romanise(text).split())
    if not key:
        return None
    tables = [INDIA_STATES, US_STATES]
    if country == "us":
        tables.reverse()
    for table in tables:
        if key in table:
            return table[key]
    upper = key.upper()
    if len(upper) == 2 and (upper in US_STATES.values() or upper in INDIA_STATES.values()):
        return upper
    return None


def postcode_key(text: str, country: str | None = None) -> str | None:
    digits = re.sub(r"\D", "", text)
    if country == "in" or (country is None and len(digits) == 6):
        return digits if len(digits) == 6 else None
    if len(digits) in (5, 9):
        return digits[:5]
    return digits or None


def parse_address(text: str, country: str | None = None) -> AddressParts:
    """Split a one-line address; the postal code and state are taken from the end."""
    parts = AddressParts()
    lowered = text.lower()
    pin = _PIN.search(lowered) if country != "us" else None
    zip_code = _ZIP.search(lowered) if country != "in" else None
    if pin and (country == "in" or not zip_code or len(pin.group(0).replace(" ", "")) == 6):
        parts.postcode = pin.group(1) + pin.group(2)
        lowered = lowered[: pin.start()] + " " + lowered[pin.end() :]
    elif zip_code:
        parts.postcode = zip_code.group(1)
        lowered = lowered[: zip_code.start()] + " " + lowered[zip_code.end() :]
    words = romanise(lowered.replace(".", " ").replace("#", " number ")).split()
    for size in (3, 2, 1):  # a state at the end, written out or as a postal code
        if len(words) > size:
            tail = " ".join(words[-size:])
            code = state_code(tail, country) if size > 1 or len(tail) > 2 else None
            if size == 1 and len(tail) == 2 and tail.upper() in US_STATES.values():
                code = tail.upper() if country != "in" else None
            if code:
                parts.state = code
                words = words[:-size]
                break
    expanded = [ABBREVIATIONS.get(w, w) for w in words]
    for word in expanded:
        if parts.number is None and _HOUSE.match(word) and any(c.isdigit() for c in word):
            parts.number = word
            continue
        if word not in FILLER:
            parts.words.append(word)
    return parts


def street_key(text: str) -> str | None:
    """A street line alone (no postcode or state expected), normalised."""
    words = romanise(text.lower().replace(".", " ")).split()
    kept = [ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(w for w in kept if w not in FILLER) or None
