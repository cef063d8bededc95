"""The fast path: a schema turned into one plain Python function that answers "valid or not".

jsonschema walks the schema for every record (about 3,000 quote records a second here); this module
reads the schema once and writes the equivalent straight-line checks as Python source, so a valid
record costs a few dozen isinstance and set operations. It only says yes or no: a record it rejects
goes to jsonschema for the precise error reports, so both must agree on what is valid, and
tests/test_validate_compiled.py holds them to it. Keywords it does not know make it refuse
(Unsupported), and the caller then uses jsonschema for everything: a schema change can make
validation slower, never wrong.
"""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

# Annotations: they say nothing about validity (format is an annotation in 2020-12 unless a format
# checker is asked for, and quoteledger's validators ask for none).
_IGNORED = {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples",
            "schema_version", "format", "deprecated", "readOnly", "writeOnly"}
_OBJECT = {"required", "properties", "additionalProperties"}
_STRING = {"minLength", "maxLength", "pattern"}
_NUMBER = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
_ARRAY = {"items", "minItems", "maxItems"}
_KNOWN = _IGNORED | _OBJECT | _STRING | _NUMBER | _ARRAY | {"type", "enum", "const", "$ref"}

# "type": exact types, as json.loads makes them. They accept a subset of what jsonschema's draft
# 2020-12 type checker accepts (it takes subclasses too), which is safe: a record the fast path
# wrongly rejects only goes on to jsonschema, which then finds nothing and lets it through.
_TYPE_TESTS = {
    "object": "type({v}) is dict",
    "array": "type({v}) is list",
    "string": "type({v}) is str",
    "null": "{v} is None",
    "boolean": "({v} is True or {v} is False)",
    "integer": "(type({v}) is int or (type({v}) is float and {v}.is_integer()))",
    "number": "(type({v}) is int or type({v}) is float)",
}
# Whether a keyword applies to an instance must never be narrower than jsonschema's view, or a
# value it would reject could slip past unchecked: these use isinstance.
_APPLIES = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
}


_FAMILY = {"object": {"object"}, "array": {"array"}, "string": {"string"}, "number": {"number", "integer"}}


class Unsupported(ValueError):
    """The schema uses something this compiler does not translate; use jsonschema instead."""


def _pointer(document, fragment: str):
    node = document
    for part in [p for p in fragment.lstrip("/").split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


class _Writer:
    """Writes the checking functions' source, one function per schema reached by `$ref`."""

    def __init__(self, documents: dict):
        self.documents = documents          # $id -> schema document
        self.constants: dict = {}           # name -> value the generated code refers to
        self.functions: dict = {}           # resolved ref URI -> function name
        self.sources: list = []
        self._inlining: set = set()
        self._count = 0

    def _name(self, prefix: str) -> str:
        self._count += 1
        return f"_{prefix}{self._count}"

    def _constant(self, prefix: str, value) -> str:
        name = self._name(prefix)
        self.constants[name] = value
        return name

    def function(self, uri: str) -> str:
        """The name of the function checking the schema at uri (document URI plus JSON pointer)."""
        if uri in self.functions:
            return self.functions[uri]
        base, fragment = urldefrag(uri)
        if base not in self.documents:
            raise Unsupported(f"$ref to {base}, which is not among the version's schema files")
        name = self._name("check")
        self.functions[uri] = name
        lines = [f"def {name}(v0):"]
        self._inlining.add(uri)
        self._emit(_pointer(self.documents[base], fragment), "v0", base, lines, 1, depth=0)
        self._inlining.discard(uri)
        lines.append("    return True")
        self.sources.append("\n".join(lines))
        return name

    def _emit(self, schema, var: str, base: str, lines: list, indent: int, depth: int) -> None:
        pad = "    " * indent
        if schema is True or schema == {}:
            return
        if schema is False:
            lines.append(f"{pad}return False")
            return
        unknown = set(schema) - _KNOWN
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)} are not compiled")
        if "$id" in schema and depth > 0:
            raise Unsupported("embedded $id")
        if "$ref" in schema:
            self._emit_ref(urljoin(base, schema["$ref"]), var, lines, indent, depth)
        self._emit_type(schema, var, lines, pad)
        self._emit_values(schema, var, lines, pad)
        self._emit_object(schema, var, base, lines, indent, depth)
        self._emit_string(schema, var, lines, indent)
        self._emit_number(schema, var, lines, indent)
        self._emit_array(schema, var, base, lines, indent, depth)

    def _emit_ref(self, uri: str, var: str, lines: list, indent: int, depth: int) -> None:
        """Inline the referenced schema (a call costs more than the checks in it), except where it
        refers back to itself, which becomes a call to its own function."""
        if uri in self._inlining:
            lines.append("    " * indent + f"if not {self.function(uri)}({var}): return False")
            return
        document, fragment = urldefrag(uri)
        if document not in self.documents:
            raise Unsupported(f"$ref to {document}, which is not among the version's schema files")
        self._inlining.add(uri)
        self._emit(_pointer(self.documents[document], fragment), var, document, lines, indent, depth)
        self._inlining.discard(uri)

    def _emit_type(self, schema, var, lines, pad):
        if "type" not in schema:
            return
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if any(t not in _TYPE_TESTS for t in types):
            raise Unsupported(f"type {types}")
        tests = " or ".join(_TYPE_TESTS[t].format(v=var) for t in types)
        lines.append(f"{pad}if not ({tests}): return False")

    def _emit_values(self, schema, var, lines, pad):
        for key in ("enum", "const"):
            if key not in schema:
                continue
            values = schema[key] if key == "enum" else [schema[key]]
            # Set membership uses ==, under which True == 1 == 1.0: only safe for strings and null.
            if not all(v is None or isinstance(v, str) for v in values):
                raise Unsupported(f"{key} with values other than strings and null")
            name = self._constant("enum", frozenset(v for v in values if v is not None))
            test = f"(type({var}) is str and {var} in {name})"
            if None in values:
                test = f"({var} is None or {test})"
            lines.append(f"{pad}if not {test}: return False")

    def _guard(self, schema, type_name, keywords, var, lines, indent):
        """Keywords for one instance type apply only to instances of that type: open an if-block
        unless the schema's own type already guarantees it. Returns the block's indent."""
        if not keywords & set(schema):
            return None
        declared = schema.get("type", [])
        declared = set(declared if isinstance(declared, list) else [declared])
        if declared and declared <= _FAMILY[type_name]:
            return indent             # the type test above already admitted only such instances
        lines.append("    " * indent + f"if {_APPLIES[type_name].format(v=var)}:")
        lines.append("    " * (indent + 1) + "pass")
        return indent + 1

    def _emit_object(self, schema, var, base, lines, indent, depth):
        inner = self._guard(schema, "object", _OBJECT, var, lines, indent)
        if inner is None:
            return
        pad = "    " * inner
        required = list(schema.get("required", []))
        properties = schema.get("properties", {})
        if required:
            name = self._constant("required", frozenset(required))
            lines.append(f"{pad}if not {name} <= {var}.keys(): return False")
        extra = schema.get("additionalProperties", True)
        if extra is False:
            name = self._constant("known", frozenset(properties))
            lines.append(f"{pad}if not {var}.keys() <= {name}: return False")
        elif extra is not True:
            known = self._constant("known", frozenset(properties))
            key, child = f"k{depth + 1}", f"v{depth + 1}"
            lines.append(f"{pad}for {key}, {child} in {var}.items():")
            lines.append(f"{pad}    if {key} in {known}: continue")
            self._emit(extra, child, base, lines, inner + 1, depth + 1)
        for prop, sub in properties.items():
            child = f"v{depth + 1}"
            if prop in required:
                lines.append(f"{pad}{child} = {var}[{prop!r}]")
                self._emit(sub, child, base, lines, inner, depth + 1)
            else:
                lines.append(f"{pad}if {prop!r} in {var}:")
                lines.append(f"{pad}    {child} = {var}[{prop!r}]")
                self._emit(sub, child, base, lines, inner + 1, depth + 1)

    def _emit_string(self, schema, var, lines, indent):
        inner = self._guard(schema, "string", _STRING, var, lines, indent)
        if inner is None:
            return
        pad = "    " * inner
        if "minLength" in schema:
            lines.append(f"{pad}if len({var}) < {int(schema['minLength'])}: return False")
        if "maxLength" in schema:
            lines.append(f"{pad}if len({var}) > {int(schema['maxLength'])}: return False")
        if "pattern" in schema:
            # jsonschema uses re.search, unanchored unless the pattern anchors itself: so do we.
            name = self._constant("pattern", re.compile(schema["pattern"]))
            lines.append(f"{pad}if {name}.search({var}) is None: return False")

    def _emit_number(self, schema, var, lines, indent):
        inner = self._guard(schema, "number", _NUMBER, var, lines, indent)
        if inner is None:
            return
        pad = "    " * inner
        for key, op in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")):
            if key in schema:
                lines.append(f"{pad}if {var} {op} {schema[key]!r}: return False")

    def _emit_array(self, schema, var, base, lines, indent, depth):
        inner = self._guard(schema, "array", _ARRAY, var, lines, indent)
        if inner is None:
            return
        pad = "    " * inner
        if "minItems" in schema:
            lines.append(f"{pad}if len({var}) < {int(schema['minItems'])}: return False")
        if "maxItems" in schema:
            lines.append(f"{pad}if len({var}) > {int(schema['maxItems'])}: return False")
        if "items" in schema and schema["items"] is not True:
            child = f"v{depth + 1}"
            lines.append(f"{pad}for {child} in {var}:")
            lines.append(f"{pad}    pass")
            self._emit(schema["items"], child, base, lines, inner + 1, depth + 1)


def compile_schema(schemas: dict, name: str, label: str = "schema"):
    """A function record -> bool for schemas[name], whose `$ref`s resolve among schemas' `$id`s.
    Raises Unsupported when the schema needs something only jsonschema does."""
    documents = {s["$id"]: s for s in schemas.values()}
    writer = _Writer(documents)
    entry = writer.function(schemas[name]["$id"])
    source = "\n\n".join(writer.sources) + "\n"
    namespace = dict(writer.constants)
    exec(compile(source, f"<quoteledger compiled {label}>", "exec"), namespace)  # noqa: S102 - our own generated code
    check = namespace[entry]
    check.source = source
    return check
