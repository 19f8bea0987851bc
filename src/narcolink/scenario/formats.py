"""The files an agency's view is made of: narcolink's own CSV import format, one file per
record type (docs/formats.md), named after the schema so that ``narcolink import`` picks
the schema from the file name, and listed in the order an import must follow (a record is
imported before the records that refer to it).
"""

from __future__ import annotations

HEADERS: dict[str, list[str]] = {
    "addresses": ["id", "full", "street", "city", "state", "postalCode", "country"],
    "persons": [
        "id", "name", "alias", "firstName", "lastName", "gender", "birthDate", "nationality",
        "country", "phone", "email", "address", "fatherName", "idNumber", "passportNumber",
        "profession", "education", "notes",
    ],
    "companies": [
        "id", "name", "alias", "country", "phone", "email", "registrationNumber",
        "licenseNumber", "sector", "address", "addressEntity", "notes",
    ],
    "organizations": ["id", "name", "country", "phone", "address", "addressEntity", "description"],
    "vehicles": ["id", "name", "registrationNumber", "model", "type", "country", "owner", "operator"],
    "user_accounts": ["id", "username", "service", "name", "phone", "email", "owner", "country"],
    "crypto_wallets": [
        "id", "name", "publicKey", "currency", "blockchain", "holder", "managingExchange", "notes",
    ],
    "associates": ["id", "person", "associate", "relationship", "startDate"],
    "directorships": ["id", "director", "organization", "role", "startDate"],
    "ownerships": ["id", "owner", "asset", "ownershipType", "percentage", "startDate"],
    "employments": ["id", "employer", "employee", "role", "startDate"],
    "online_listings": [
        "id", "url", "title", "platform", "vendor", "vendorName", "product", "price", "currency",
        "shipsFrom", "shipsTo", "contactPhone", "contactHandle", "paymentMethods", "postedDate",
        "observedDate", "text",
    ],
    "pre_export_notifications": [
        "id", "referenceNumber", "exporter", "importer", "exportingCountry", "importingCountry",
        "chemical", "casNumber", "quantity", "unit", "status", "date", "responseDate",
        "objectionReason",
    ],
    "chemical_shipments": [
        "id", "exporter", "importer", "chemical", "casNumber", "hsCode", "quantity", "unit",
        "originCountry", "destinationCountry", "transitCountry", "invoiceNumber",
        "billOfLading", "notification", "date",
    ],
    "consignments": [
        "id", "trackingNumber", "carrier", "sender", "senderName", "senderAddress",
        "senderPhone", "recipient", "recipientName", "recipientAddress", "recipientPhone",
        "declaredContents", "hsCode", "weightKg", "declaredValue", "currency", "pieces",
        "originCountry", "destinationCountry", "route", "shippedDate", "deliveredDate",
    ],
    "seizures": [
        "id", "name", "caseNumber", "date", "location", "country", "seizingAgency", "operation",
        "trigger", "concealment", "personsInvolved", "vehicles", "consignments", "description",
    ],
    "seized_items": [
        "id", "seizure", "substance", "brandName", "quantity", "unit", "form", "unitCount",
        "packaging",
    ],
    "events": ["id", "name", "date", "location", "country", "involved", "summary"],
    "calls": ["id", "caller", "callerNumber", "receiver", "receiverNumber", "date", "duration"],
    "payments": [
        "id", "payer", "beneficiary", "amount", "currency", "date", "purpose",
        "transactionNumber",
    ],
}

# Import order: every file only refers to files before it (or to itself).
IMPORT_ORDER = [
    "addresses", "persons", "companies", "organizations", "vehicles", "user_accounts",
    "crypto_wallets", "associates", "directorships", "ownerships", "employments",
    "online_listings", "pre_export_notifications", "chemical_shipments", "consignments",
    "seizures", "seized_items", "events", "calls", "payments",
]

# Record-id prefixes (ids are opaque: prefix + 16 hex digits derived from the seed).
PREFIX = {
    "addresses": "A", "persons": "P", "companies": "C", "organizations": "O", "vehicles": "V",
    "user_accounts": "U", "crypto_wallets": "W", "associates": "AS", "directorships": "D",
    "ownerships": "OW", "employments": "E", "online_listings": "L",
    "pre_export_notifications": "PEN", "chemical_shipments": "CS", "consignments": "K",
    "seizures": "S", "seized_items": "I", "events": "EV", "calls": "CALL", "payments": "PAY",
}

# Chain exports, written in their tools' own formats (no narcolink importer yet).
BTC_TRANSACTIONS = "chain/bitcoin/transactions.jsonl"
TRC20_TRANSFERS = "chain/tron/token_transfers.csv"
TRC20_COLUMNS = [
    "block_number", "transaction_hash", "log_index", "token_address", "from_address",
    "to_address", "value", "block_timestamp",
]
USDT_TRC20 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"  # Tether's published USDT contract on TRON
