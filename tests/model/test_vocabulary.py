"""The combined model: FtM's schemata plus narcolink's, with the fields the domain needs."""

from __future__ import annotations

import followthemoney
import pytest
import yaml
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from narcolink.exc import BadRequest
from narcolink.model.vocabulary import (
    extension_files,
    get_model,
    get_property,
    get_schema,
    narcolink_schema_names,
)

EXPECTED_SCHEMATA = {
    "Seizure",
    "SeizedItem",
    "Consignment",
    "ChemicalShipment",
    "PreExportNotification",
    "OnlineListing",
    "DrugSample",
}

# Fields the issue names for each record type, as (property, FtM type).
REQUIRED_FIELDS: dict[str, dict[str, str]] = {
    "Seizure": {
        "date": "date",
        "location": "address",
        "country": "country",
        "seizingAgency": "string",
        "concealment": "text",
        "personsInvolved": "entity",
        "vehicles": "entity",
        "consignments": "entity",
        "items": "entity",  # reverse of SeizedItem:seizure
    },
    "SeizedItem": {
        "seizure": "entity",
        "substance": "string",
        "quantity": "number",
        "unit": "string",
        "form": "string",
    },
    "Consignment": {
        "carrier": "string",
        "trackingNumber": "identifier",
        "sender": "entity",
        "recipient": "entity",
        "senderAddress": "address",
        "recipientAddress": "address",
        "declaredContents": "text",
        "weightKg": "number",
        "declaredValue": "number",
        "route": "string",
        "shippedDate": "date",
        "deliveredDate": "date",
    },
    "ChemicalShipment": {
        "exporter": "entity",
        "importer": "entity",
        "chemical": "string",
        "casNumber": "identifier",
        "quantity": "number",
        "unit": "string",
        "originCountry": "country",
        "destinationCountry": "country",
        "date": "date",
    },
    "PreExportNotification": {
        "referenceNumber": "identifier",
        "exportingCountry": "country",
        "importingCountry": "country",
        "chemical": "string",
        "quantity": "number",
        "status": "string",
        "responseDate": "date",
    },
    "OnlineListing": {
        "url": "url",
        "platform": "string",
        "vendor": "entity",
        "price": "number",
        "contactPhone": "phone",
        "postedDate": "date",
    },
    "DrugSample": {
        "sampleNumber": "identifier",
        "seizure": "entity",
        "substanceIdentified": "string",
        "purity": "number",
        "laboratory": "string",
    },
}


def test_extension_files_declare_exactly_our_schemata() -> None:
    assert set(narcolink_schema_names()) == EXPECTED_SCHEMATA
    assert all(path.suffix == ".yml" for path in extension_files())


def test_model_keeps_every_ftm_schema_and_adds_ours() -> None:
    model = get_model()
    ftm_names = set(followthemoney.model.schemata)
    assert ftm_names <= set(model.schemata)
    assert set(model.schemata) - ftm_names == EXPECTED_SCHEMATA
    for name in ("Person", "Company", "CryptoWallet", "UserAccount", "Vehicle", "Payment"):
        assert model.get(name) is not None


def test_ftm_default_model_is_not_modified() -> None:
    """Loading our extensions builds a separate model; FtM's global one stays pristine."""
    get_model()
    assert followthemoney.model.get("Seizure") is None


def test_model_is_built_once() -> None:
    assert get_model() is get_model()


@pytest.mark.parametrize("name", sorted(EXPECTED_SCHEMATA))
def test_our_schemata_extend_ftm_schemata(name: str) -> None:
    schema = get_schema(name)
    assert not schema.abstract
    assert schema.extends, f"{name} must extend an FtM schema"
    for parent in schema.extends:
        assert followthemoney.model.get(parent.name) is not None, parent.name
    # Inherited FtM properties arrive through the parents.
    assert schema.is_a("Interval") or schema.is_a("Event")
    assert schema.get("date") is not None
    for prop_name in list(schema.caption) + list(schema.required) + list(schema.featured):
        assert schema.get(prop_name) is not None, f"{name}.{prop_name} named but not defined"


@pytest.mark.parametrize("name", sorted(REQUIRED_FIELDS))
def test_schema_has_the_fields_the_domain_needs(name: str) -> None:
    schema = get_schema(name)
    for prop_name, type_name in REQUIRED_FIELDS[name].items():
        prop = schema.get(prop_name)
        assert prop is not None, f"{name} lacks {prop_name}"
        assert prop.type == registry.get(type_name), f"{name}.{prop_name} is {prop.type.name}"


def test_relations_declare_reverse_properties_on_ftm_schemata() -> None:
    model = get_model()
    person = model.get("Person")
    assert person is not None
    reverse = person.get("seizuresInvolved")
    assert reverse is not None and reverse.reverse is not None
    assert reverse.reverse.name == "personsInvolved"
    vehicle = model.get("Vehicle")
    assert vehicle is not None and vehicle.get("seizures") is not None
    account = model.get("UserAccount")
    assert account is not None and account.get("listings") is not None
    company = model.get("Company")
    assert company is not None and company.get("consignmentsSent") is not None


def test_entity_ranges_point_at_real_schemata() -> None:
    model = get_model()
    for name in EXPECTED_SCHEMATA:
        schema = model.get(name)
        assert schema is not None
        for prop in schema.properties.values():
            if prop.type == registry.entity:
                assert prop.range is not None, f"{name}.{prop.name} has no range"
                assert model.get(prop.range.name) is prop.range


def test_chemical_shipment_is_an_edge_between_exporter_and_importer() -> None:
    schema = get_schema("ChemicalShipment")
    assert schema.edge
    assert schema.edge_source == "exporter"
    assert schema.edge_target == "importer"


def test_entities_of_our_schemata_round_trip_through_ftm() -> None:
    model = get_model()
    proxy = model.make_entity("Seizure")
    proxy.id = "ncb-seizure-1"
    proxy.add("name", "Vehicle check, Delhi")
    proxy.add("date", "2025-05-18")
    proxy.add("country", "India")
    data = proxy.to_dict()
    assert data["properties"]["country"] == ["in"]
    # FtM's own ``from_dict``/``get_proxy`` look schemata up in FtM's global model, which
    # lacks ours: readers of FtM JSON must build proxies against our schema directly.
    again = EntityProxy(get_schema(data["schema"]), data, cleaned=False)
    assert again.schema.name == "Seizure"
    assert again.get("date") == ["2025-05-18"]


def test_schema_files_are_valid_yaml_with_labels() -> None:
    for path in extension_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, spec in data.items():
            assert spec.get("label"), f"{path.name}:{name} has no label"
            assert spec.get("description"), f"{path.name}:{name} has no description"
            for prop_name, prop in spec.get("properties", {}).items():
                assert prop.get("label"), f"{name}.{prop_name} has no label"


@pytest.mark.parametrize("name", ["Nonsense", "Thing", "Interval", ""])
def test_get_schema_refuses_unknown_and_abstract(name: str) -> None:
    with pytest.raises(BadRequest, match="unknown schema"):
        get_schema(name)


def test_get_property_names_the_schema() -> None:
    seizure = get_schema("Seizure")
    assert get_property(seizure, "concealment").name == "concealment"
    with pytest.raises(BadRequest, match="Seizure has no property 'colour'"):
        get_property(seizure, "colour")
