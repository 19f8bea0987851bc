"""Which property values identify something, and how to compare them.

Two records holding the same phone, wallet, account, e-mail, document number, tracking
number or address are linked. Classification codes (HS codes, CAS numbers, InChIKeys)
are shared by unrelated records by nature and are never used. Values are compared after
a normalisation per group, so "DL 3C XY 0417" and "dl3cxy0417" are one plate.
"""

from __future__ import annotations

import re

from followthemoney.property import Property

# Identifier-typed properties that classify rather than identify.
NOT_IDENTIFYING = frozenset(
    {
        "hsCode",
        "casNumber",
        "inchiKey",
        "cpvCode",
        "okvedCode",
        "nutsCode",
        "fipsCode",
        "territoryCode",
        "zipCode",
        "ticker",
        "unscId",
        "programId",
        "projectId",
        "coatoCode",
        "vedCode",
        "swiftBic",
        "bic",
        "bikCode",
        "isin",
        "isinCode",
        "figiCode",
        "ricCode",
        "icaoCode",
        "mbsCode",
        "okpoCode",
        "sampleNumber",
        "callId",
    }
)

GROUP_BY_PROP = {
    "publicKey": "crypto",
    "cryptoAddress": "crypto",
    "accountNumber": "account",
    "accountId": "account",
    "iban": "account",
    "ibanMentioned": "account",
    "passportNumber": "document",
    "idNumber": "document",
    "personalNumber": "document",
    "socialSecurityNumber": "document",
    "taxNumber": "document",
    "registrationNumber": "document",
    "licenseNumber": "document",
    "vatCode": "document",
    "innCode": "document",
    "leiCode": "document",
    "number": "document",
    "serialNumber": "document",
    "imoNumber": "document",
    "trackingNumber": "tracking",
    "billOfLading": "tracking",
    "invoiceNumber": "tracking",
    "caseNumber": "case",
    "referenceNumber": "case",
    "username": "handle",
    "contactHandle": "handle",
}

GROUP_BY_TYPE = {
    "phone": "phone",
    "email": "email",
    "iban": "account",
    "address": "address",
    "url": "url",
}
URL_PROPS = frozenset({"url", "website"})

GROUP_LABELS = {
    "crypto": "wallet address",
    "account": "account number",
    "document": "document or registration number",
    "tracking": "tracking or shipment number",
    "case": "case or reference number",
    "handle": "user handle",
    "phone": "phone",
    "email": "e-mail",
    "url": "web address",
    "address": "address",
    "other": "identifier",
}

_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


def group_of(prop: Property) -> str | None:
    """The identifier group of a property, or None if its values do not identify."""
    if prop.name in GROUP_BY_PROP:
        return GROUP_BY_PROP[prop.name]
    type_name = prop.type.name
    if type_name == "url":
        return "url" if prop.name in URL_PROPS else None
    if type_name in GROUP_BY_TYPE:
        return GROUP_BY_TYPE[type_name]
    if type_name == "identifier" and prop.name not in NOT_IDENTIFYING:
        return "other"
    return None


def normalise(group: str, value: str) -> str:
    """The comparison form of a value in its group ('' when nothing identifying is left).

    An address identifies a place only with a number in it (house, plot, postcode) and
    three words or more: "Shakarpur, Delhi" is a neighbourhood, not an address."""
    text = value.strip().casefold()
    if group == "phone":
        return re.sub(r"[^\d+]", "", text)
    if group == "email":
        return text
    if group == "url":
        return _SCHEME.sub("", text).rstrip("/")
    if group == "handle":
        return text.lstrip("@")
    if group == "address":
        words = _NON_ALNUM.sub(" ", text).split()
        if len(words) < 3 or not any(ch.isdigit() for ch in text):
            return ""
        return " ".join(words)
    return _NON_ALNUM.sub("", text)
