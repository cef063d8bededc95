"""Which record shapes this quoteledger knows, and where each version's schemas live.

The current version's schemas are the files at the top of schemas/ (quote.schema.json, ...); when
a change breaks readers, the outgoing version is first frozen, unchanged, into
schemas/versions/<version>/ with the same file names. Every version's `$id`s carry the version
(https://quoteledger.dev/schemas/1.0/quote.schema.json), so one registry per version resolves each
file's `$ref`s to its own version's definitions, and a file written against an older version is
validated against that version, never the current one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .. import SCHEMA_VERSION

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from referencing import Registry
# jsonschema is imported on first use (as in ..schemas): extract and ingest load this package
# for the compiled check alone, and importing jsonschema took a tenth of their start-up.

SCHEMA_FILES = {"quote": "quote.schema.json", "ledger-entry": "ledger-entry.schema.json",
                "defs": "defs.schema.json"}
RECORD_SCHEMAS = ("quote", "ledger-entry")
VERSIONS_FOLDER = "versions"


class UnknownSchema(LookupError):
    """A schema name or version this quoteledger does not have: the message lists what it has."""


def _version_key(version: str):
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def default_root() -> Path:
    """The schemas folder, shipped inside the package as quoteledger.schema_files; the checkout's
    schemas/ beside core/ when the package data cannot be found (running from a bare source tree)."""
    try:
        root = Path(str(resources.files("quoteledger.schema_files")))
        if (root / SCHEMA_FILES["quote"]).is_file():
            return root
    except (TypeError, ModuleNotFoundError):
        pass
    return Path(__file__).resolve().parents[2] / "schemas"


@dataclass
class SchemaSet:
    """The three schema files of one version, with validators that resolve `$ref`s among them."""

    version: str
    folder: Path
    schemas: dict = field(default_factory=dict)

    @classmethod
    def load(cls, version: str, folder: Path) -> "SchemaSet":
        schemas = {}
        for name, filename in SCHEMA_FILES.items():
            path = folder / filename
            try:
                schemas[name] = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise UnknownSchema(f"schema version {version}: cannot read {path}: {exc}") from exc
            declared = schemas[name].get("schema_version")
            if declared != version:
                raise UnknownSchema(f"{path} says schema_version {declared!r}, expected {version!r}")
        return cls(version, folder, schemas)

    @cached_property
    def registry(self) -> Registry:
        from referencing import Registry, Resource

        return Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in self.schemas.values())

    def validator(self, name: str) -> Draft202012Validator:
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.schemas[name], registry=self.registry)

    def text(self, name: str) -> str:
        return (self.folder / SCHEMA_FILES[name]).read_text("utf-8")


class SchemaStore:
    """Every schema version under one schemas folder: the current one and the frozen older ones."""

    def __init__(self, root: Path | None = None, current: str = SCHEMA_VERSION):
        self.root = Path(root) if root else default_root()
        self.current = current
        self._sets: dict[str, SchemaSet] = {}

    def _folders(self) -> dict:
        folders = {}
        older = self.root / VERSIONS_FOLDER
        if older.is_dir():
            for sub in older.iterdir():
                if (sub / SCHEMA_FILES["quote"]).is_file():
                    folders[sub.name] = sub
        folders[self.current] = self.root
        return folders

    @cached_property
    def versions(self) -> tuple:
        """Known versions, oldest first."""
        return tuple(sorted(self._folders(), key=_version_key))

    def get(self, version: str | None = None) -> SchemaSet:
        version = version or self.current
        if version not in self._sets:
            folders = self._folders()
            if version not in folders:
                raise UnknownSchema(f"unknown schema version {version!r}; this quoteledger knows "
                                    f"{', '.join(self.versions)}")
            self._sets[version] = SchemaSet.load(version, folders[version])
        return self._sets[version]

    def text(self, name: str, version: str | None = None) -> str:
        if name not in SCHEMA_FILES:
            raise UnknownSchema(f"unknown schema {name!r}; choose from {', '.join(SCHEMA_FILES)}")
        return self.get(version).text(name)
