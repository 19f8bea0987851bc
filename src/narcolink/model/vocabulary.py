"""The FollowTheMoney model extended with narcolink's own schemata (``schema/*.yml``).

FtM's ``Model`` loads one directory; ours loads FtM's packaged schemata and then our
extension files into one model, so every FtM tool (captions, edges, reverse properties)
works on seizures and consignments too.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from followthemoney.model import Model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.settings import MODEL_PATH

from narcolink.exc import BadRequest

EXTENSION_DIR = Path(__file__).parent / "schema"


def extension_files() -> list[Path]:
    return sorted(EXTENSION_DIR.glob("*.yml"))


@cache
def get_model() -> Model:
    """The combined model, built once per process on first use (not at import)."""
    model = Model.__new__(Model)
    model.path = MODEL_PATH
    model.schemata = {}
    model.properties = set()
    model.qnames = {}
    for root, _, files in os.walk(MODEL_PATH):
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                model._load(os.path.join(root, name))
    for path in extension_files():
        model._load(str(path))
    model.generate()
    return model


def narcolink_schema_names() -> list[str]:
    """Names of the schemata narcolink adds to FtM."""
    import yaml

    names: list[str] = []
    for path in extension_files():
        names.extend(yaml.safe_load(path.read_text(encoding="utf-8")).keys())
    return names


def get_schema(name: str) -> Schema:
    """A concrete (non-abstract) schema by name, or a BadRequest naming the choices."""
    schema = get_model().get(name)
    if schema is None or schema.abstract:
        raise BadRequest(f"unknown schema {name!r}")
    return schema


def get_property(schema: Schema, name: str) -> Property:
    prop = schema.get(name)
    if prop is None or prop.stub:
        raise BadRequest(f"schema {schema.name} has no property {name!r}")
    return prop
