"""The JSON Schemas in schemas/ (shipped in the package as quoteledger.schema_files): loading them and
validating records against them. They are the one source of truth for the record shape."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry

# jsonschema is imported when a record is first validated with it, not with this module: the
# pipeline checks records with the compiled check and asks jsonschema only for a record that
# fails it, and importing it took a tenth of the start-up of every command.

SCHEMA_FILES = {"quote": "quote.schema.json", "ledger-entry": "ledger-entry.schema.json",
                "defs": "defs.schema.json"}
KNOWN_VERSIONS = ("1.0",)


def schema_text(name: str) -> str:
    return resources.files("quoteledger.schema_files").joinpath(SCHEMA_FILES[name]).read_text("utf-8")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads(schema_text(name))


@lru_cache(maxsize=None)
def registry() -> Registry:
    from referencing import Registry, Resource

    resources_ = []
    for name in SCHEMA_FILES:
        schema = load_schema(name)
        resources_.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources_)


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name), registry=registry())


def json_path(error) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def errors_for(record, name: str) -> list:
    """[(json path, message)] sorted by path: empty when the record is valid."""
    errs = sorted(validator(name).iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [(json_path(e), e.message) for e in errs]
