"""What one validation error says: where (file, line, column, JSON path), which rule, and the value.

jsonschema's own messages repeat the whole offending instance, which for a record can be kilobytes;
here each keyword gets a short message of its own and the value is shortened separately.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, Optional

VALUE_WIDTH = 60
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NO_VALUE = object()


@dataclass(frozen=True)
class Problem:
    file: str
    line: Optional[int]               # None when the whole file is at fault
    path: str                         # JSON path inside the record, "$" for the record itself
    rule: str                         # schema keyword ("required", "enum"...) or a check's name
    message: str
    value: Optional[str] = None       # the offending value as JSON, shortened
    column: Optional[int] = None      # for JSON syntax errors

    def printable(self) -> "Problem":
        """The problem with every text made safe to print anywhere: no lone surrogates (a file
        name that is not UTF-8, a record's broken string) and no control characters (a file name
        holding a newline would forge a line of the report, and XML forbids most of them)."""
        return replace(self, file=printable(self.file), path=printable(self.path),
                       message=printable(self.message),
                       value=None if self.value is None else printable(self.value))

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "path": self.path,
                "rule": self.rule, "message": self.message, "value": self.value}


# Lone surrogates, C0 and C1 controls and the two non-characters XML 1.0 forbids.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escaped(match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """text with each character that cannot be printed as it is written as an escape (\\x0a,
    \\udfff); a bytes file name decoded with surrogateescape shows its raw byte (\\udcff)."""
    return _UNPRINTABLE.sub(_escaped, text) if _UNPRINTABLE.search(text) else text


def shorten(value: Any, width: int = VALUE_WIDTH) -> Optional[str]:
    """The value as JSON, cut in the middle when long, so both ends stay readable."""
    if value is _NO_VALUE:
        return None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) <= width:
        return text
    keep = (width - 3) // 2
    return text[:keep] + "..." + text[-keep:]


def json_path(parts) -> str:
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return path


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", int: "integer", float: "number"}.get(type(value), type(value).__name__)


def from_schema_error(error) -> tuple:
    """(path, rule, message, value) for one jsonschema ValidationError, pointing at the property
    itself for required and additionalProperties rather than at the object holding it."""
    parts = list(error.absolute_path)
    rule = error.validator
    value = error.instance
    expected = error.validator_value
    if rule == "required":
        missing = next((p for p in expected if isinstance(value, dict) and p not in value
                        and error.message.startswith(repr(p))), None)
        if missing is not None:
            return json_path(parts + [missing]), rule, f"required property {missing!r} is missing", _NO_VALUE
    if rule == "additionalProperties" and isinstance(value, dict):
        extra = sorted(k for k in value if k not in error.schema.get("properties", {}))
        if len(extra) == 1:
            return json_path(parts + extra), rule, f"property {extra[0]!r} is not allowed here", value[extra[0]]
        return json_path(parts), rule, f"properties {', '.join(map(repr, extra))} are not allowed here", _NO_VALUE
    messages = {
        "type": lambda: f"expected {' or '.join(expected) if isinstance(expected, list) else expected}, "
                        f"got {_type_name(value)}",
        "enum": lambda: "not one of " + ", ".join(json.dumps(v) for v in expected),
        "const": lambda: f"must be {json.dumps(expected)}",
        "pattern": lambda: f"does not match the pattern {expected}",
        "minLength": lambda: f"shorter than {expected} characters",
        "maxLength": lambda: f"longer than {expected} characters",
        "minimum": lambda: f"less than the minimum {expected}",
        "maximum": lambda: f"more than the maximum {expected}",
        "minItems": lambda: f"fewer than {expected} items",
        "maxItems": lambda: f"more than {expected} items",
    }
    message = messages[rule]() if rule in messages else error.message[:200]
    return json_path(parts), rule, message, value


NO_VALUE = _NO_VALUE
