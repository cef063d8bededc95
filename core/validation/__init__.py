"""Validating quote exports: the schemas of each known version, a compiled fast path, the checks a
schema cannot express, and reports for people and for CI. `quoteledger validate` and
`quoteledger schema` are thin commands over this package."""
from .engine import Summary, Validator
from .problems import Problem
from .reporters import REPORTERS
from .versions import SchemaStore, UnknownSchema

__all__ = ["Validator", "Summary", "Problem", "REPORTERS", "SchemaStore", "UnknownSchema"]
