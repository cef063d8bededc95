"""The compiled fast path must never call valid what jsonschema calls invalid: thousands of mutated
records, each judged by both. Also the fast word normaliser against ids.normalise_words."""
from __future__ import annotations

import copy
import random

import pytest

from quoteledger.ids import normalise_words
from quoteledger.validation.checks import fast_normalise_words
from quoteledger.validation.compiled import Unsupported, compile_schema
from quoteledger.validation.sample import ledger_entries, quote_records
from quoteledger.validation.versions import SchemaStore

# Values of every JSON type, and the edge cases where Python and JSON Schema disagree on types.
ODD_VALUES = [None, True, False, 0, 1, -1, 1.0, 2.5, -0.5, 1e300, "", "x", "q_0123456789abcdef",
              "q_0123456789abcdef\n", "s_0123456789ABCDEF", "full", "person", "1.0", [], [1], ["a"], {}, {"a": 1}]


def _paths(value, prefix=()):
    """Every (path) to a value inside a record, containers included."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


def _mutate(record, rng: random.Random):
    record = copy.deepcopy(record)
    path = rng.choice(list(_paths(record))[1:])
    parent = record
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = rng.randrange(4)
    if action == 0 and isinstance(parent, dict):
        del parent[last]
    elif action == 1 and isinstance(parent, dict):
        parent["unexpected_" + str(rng.randrange(3))] = rng.choice(ODD_VALUES)
    elif action == 2 and isinstance(parent, list):
        parent.append(copy.deepcopy(rng.choice(ODD_VALUES)))
    else:
        parent[last] = copy.deepcopy(rng.choice(ODD_VALUES))
    return record


@pytest.mark.parametrize("name, make", [("quote", lambda: quote_records(20, with_story_text=True)),
                                        ("ledger-entry", lambda: ledger_entries(10))])
def test_compiled_agrees_with_jsonschema(name, make):
    schemas = SchemaStore().get()
    check = compile_schema(schemas.schemas, name)
    reference = schemas.validator(name)
    rng = random.Random(2024)
    disagreements, invalid = [], 0
    for record in make():
        assert check(record) and reference.is_valid(record)
        for _ in range(150):
            mutated = _mutate(record, rng)
            expected = reference.is_valid(mutated)
            invalid += not expected
            if check(mutated) != expected:
                disagreements.append(mutated)
    assert disagreements == []
    assert invalid > 1000                          # the mutations really do break records


def test_subclass_instances_are_safe():
    """Exact type tests reject a str subclass jsonschema accepts: the record then goes to jsonschema,
    so the fast path may be stricter, never looser."""
    class Text(str):
        pass

    schemas = SchemaStore().get()
    record = next(quote_records(1))
    record["text"] = Text(record["text"])
    assert not compile_schema(schemas.schemas, "quote")(record)
    assert schemas.validator("quote").is_valid(record)


@pytest.mark.parametrize("schema", [
    {"$id": "https://x/s.json", "anyOf": [{"type": "string"}]},
    {"$id": "https://x/s.json", "enum": [1, 2]},
    {"$id": "https://x/s.json", "$ref": "https://elsewhere/t.json"},
])
def test_unsupported_keywords_refuse_to_compile(schema):
    with pytest.raises(Unsupported):
        compile_schema({"s": schema}, "s")


def test_recursive_refs_compile_to_calls():
    schema = {"$id": "https://x/tree.json", "type": "object", "required": ["name"],
              "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}}}}
    check = compile_schema({"tree": schema}, "tree")
    assert check({"name": "a", "children": [{"name": "b", "children": []}]})
    assert not check({"name": "a", "children": [{"children": []}]})


@pytest.mark.parametrize("text", [
    "We will not accept it.", "Café society’s “best” days", "naïve — Ångström's", "", "   ", "ǅ ﬁ ①",
    "Don't, won’t", "e\u0301te\u0301", "Straße", "İstanbul",
])
def test_fast_normaliser_matches_ids(text):
    assert fast_normalise_words(text) == normalise_words(text)


def test_fast_normaliser_matches_ids_on_sample_texts():
    for record in quote_records(300):
        for text in (record["text"], record["article"]["headline"]):
            assert fast_normalise_words(text) == normalise_words(text)


def test_story_records_judge_and_encode_each_record_as_the_whole_record():
    """The pipeline checks and encodes a story's article record once for all its quotations
    (pipeline._StoryRecords). Whatever a record holds, mutated anywhere (its article included),
    its verdict must be jsonschema's and its text the canonical JSON of the whole record, or the
    same error."""
    from quoteledger.pipeline import _StoryRecords, _canonical_json

    reference = SchemaStore().get().validator("quote")
    rng = random.Random(2025)
    odd = ODD_VALUES + [float("nan"), float("inf"), {"z": object()}, "\udfff"]

    def encoded(encode, record):
        try:
            return encode(record)
        except (TypeError, ValueError) as exc:
            return type(exc), str(exc)

    checked = invalid = 0
    for record in quote_records(20):
        for _ in range(100):
            mutated = _mutate(record, rng)
            if rng.random() < 0.3:      # an odd value the JSON encoder refuses, anywhere
                path = [key for key in _paths(mutated) if key][rng.randrange(len(list(_paths(mutated))) - 1)]
                parent = mutated
                for part in path[:-1]:
                    parent = parent[part]
                parent[path[-1]] = rng.choice(odd)
            # the records of one story share one article dict, as the pipeline's do
            sharing = [mutated, copy.deepcopy(mutated)]
            article = mutated.get("article")
            sharing[1]["article"] = article
            story = _StoryRecords(article)
            for one in sharing:
                expected = reference.is_valid(one)
                invalid += not expected
                assert story.quick_valid(one) == expected
                assert encoded(story.canonical_json, one) == encoded(_canonical_json, one)
                checked += 1
    assert checked == 4000 and invalid > 1000


def test_story_records_of_a_sound_story():
    from quoteledger.pipeline import _StoryRecords, _canonical_json

    records = list(quote_records(5))
    article = records[0]["article"]
    story = _StoryRecords(article)
    for record in records:
        record["article"] = article
        assert story.quick_valid(record)
        assert story.canonical_json(record) == _canonical_json(record)
    article["headline"] = 7         # a broken article breaks every record of the story
    assert not _StoryRecords(article).quick_valid(records[0])
