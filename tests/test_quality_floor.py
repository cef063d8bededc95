"""Quality floors that only go up: the shared scorer's end-to-end F1 on each gold set must not fall
below the figure pinned in tests/eval_baseline.json. Runs in-process (the scorer's own matching
functions over our records), and skips with a reason when ../shared is not beside the checkout."""
import collections
import importlib.util
import json
from pathlib import Path

import pytest

from quoteledger.pipeline import extract_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text("utf-8"))
SETS = {name: spec for name, spec in BASELINE.items() if not name.startswith("_") and "e2e_f1" in spec}


def load_scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"the shared scorer is not at {path}")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(SETS))
def test_end_to_end_f1_stays_above_its_floor(name):
    score = load_scorer()
    spec = SETS[name]
    gold_path, docs = SHARED / spec["gold"], SHARED / spec["docs"]
    if not gold_path.exists() or not docs.exists():
        pytest.skip(f"{gold_path} or {docs} is not here")
    gold = collections.defaultdict(list)
    for line in gold_path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["doc"]].append(row)
    preds = {}
    for doc in sorted(gold):
        records = extract_path(str(docs / doc)).records
        preds[doc] = [r for r in records if not score.is_scare(r)]
    line, e2e = score.figures(score.tally(sorted(gold), gold, preds, 0.8))
    print(f"{name}: {line}")
    assert e2e >= spec["e2e_f1"], f"{name}: {line} is below the pinned floor {spec['e2e_f1']}"
