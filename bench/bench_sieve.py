"""Per-sieve figures: for a gold set, how many quotations each step of the attribution sieve (and
each resolver of its second stage) gave a speaker, and how many of those speakers are right.

Run it from the repository, with ../shared beside it:

    .venv/bin/python bench/bench_sieve.py polnear-train
    .venv/bin/python bench/bench_sieve.py html-dev --wrong verb-before     (and list that step's misses)
    .venv/bin/python bench/bench_sieve.py --gold G.jsonl --docs DIR

Each gold quotation is matched to a prediction exactly as ../shared/eval/score.py matches them
(its functions are imported from there), so the totals are the scorer's: a step's "right" counts
are the speaker-accuracy numerator, split by the step that attributed each quotation. A step with
low precision is a rule that guesses. Gold quotations whose speaker is not scored are left out.
Figures, never assertions: this is a development tool, not a test.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SETS = {"seeds": ("gold/seeds.jsonl", "seeds"), "polnear-train": ("gold/polnear-train.jsonl", "corpus/polnear-train"),
        "polnear-dev": ("gold/polnear-dev.jsonl", "corpus/polnear-dev"),
        "html-dev": ("gold/html-dev.jsonl", "corpus/html"), "html-dev-other": ("gold/html-dev-other.jsonl", "corpus/html")}
NO_SPEAKER = "(no speaker)"


def load_scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        sys.exit(f"bench_sieve: the scorer {path} is not there (../shared beside the repository)")
    spec = importlib.util.spec_from_file_location("gold_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(docs_dir: Path, names: list[str]) -> dict:
    """doc name -> [(record, step, resolver)] for the records extract would write."""
    from quoteledger.pipeline import extract_path
    from quoteledger.quotes.engine import tracing

    out = {}
    for name in names:
        with tracing() as found:
            result = extract_path(str(docs_dir / name))
        by_span = {(f.start, f.end, f.text): f for f in found}
        rows = []
        for record in result.records:
            f = by_span.get((record["span"]["start"], record["span"]["end"], record["text"]))
            rows.append((record, f.step if f else None, f.resolver if f else None))
        out[name] = rows
    return out


def tally(score, gold: dict, preds: dict, threshold: float) -> tuple[dict, dict, list]:
    """(step -> [attributed, right], resolver -> [attributed, right], wrong rows)."""
    steps: dict = collections.defaultdict(lambda: [0, 0])
    resolvers: dict = collections.defaultdict(lambda: [0, 0])
    wrong = []
    for doc, golds in gold.items():
        rows = [(r, s, v) for r, s, v in preds.get(doc, []) if not score.is_scare(r)]
        words = [score.words(r["text"]) for r, _, _ in rows]
        for g in golds:
            gw = score.words(g["text"])
            if g.get("optional") or not gw or g.get("speaker_scored") is False:
                continue
            best, best_score = None, 0.0
            for k, pw in enumerate(words):
                if not pw:
                    continue
                overlap = score.bag_overlap(gw, pw)
                r = overlap / len(gw)
                value = r + 0.001 * overlap / len(pw)
                if r >= threshold and value > best_score:
                    best, best_score = k, value
            if best is None:
                continue
            record, step, resolver = rows[best]
            name = score.speaker_of(record)
            right = score.speaker_right(name, g)
            key = (step or "(no step recorded)") if name else NO_SPEAKER
            steps[key][0] += 1
            steps[key][1] += right
            if name:
                resolvers[resolver or "(context step)"][0] += 1
                resolvers[resolver or "(context step)"][1] += right
            if not right:
                wrong.append((key, doc, g.get("speaker"), name, g["text"][:70]))
    return steps, resolvers, wrong


def print_table(title: str, order: list[str], counts: dict) -> None:
    total = sum(n for n, _ in counts.values())
    print(f"{title:<28}{'quotations':>11}{'right':>8}{'precision':>11}{'share':>8}")
    for name in order + sorted(k for k in counts if k not in order):
        if name not in counts:
            continue
        n, right = counts[name]
        print(f"{name:<28}{n:>11}{right:>8}{right / n if n else 0:>11.3f}{n / total if total else 0:>8.3f}")
    right = sum(r for _, r in counts.values())
    print(f"{'all':<28}{total:>11}{right:>8}{right / total if total else 0:>11.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", nargs="?", choices=sorted(SETS), help="a gold set under ../shared")
    parser.add_argument("--gold", help="a gold file (instead of a set's name)")
    parser.add_argument("--docs", help="the folder holding its documents")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--wrong", metavar="STEP", help="list the wrong speakers of this step ('all' for every step)")
    args = parser.parse_args()
    if args.set:
        gold_path, docs = SHARED / SETS[args.set][0], SHARED / SETS[args.set][1]
    elif args.gold and args.docs:
        gold_path, docs = Path(args.gold), Path(args.docs)
    else:
        parser.error("name a set, or give --gold and --docs")
    score = load_scorer()
    gold = collections.defaultdict(list)
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["doc"]].append(row)

    from quoteledger.quotes import resolve, sieve

    steps, resolvers, wrong = tally(score, gold, predictions(docs, sorted(gold)), args.threshold)
    step_order = [s.name for s in sieve.CUE_STEPS + sieve.STORY_STEPS + sieve.CONTEXT_STEPS
                  + sieve.INSIDE_SENTENCE_STEPS + sieve.LAST_STEPS + sieve.NESTED_STEPS] + [NO_SPEAKER]
    print(f"{gold_path.name}: gold quotations found by a prediction, speaker scored")
    print_table("sieve step", step_order, steps)
    print()
    print_table("resolver (stage 2)", [r.name for r in resolve.RESOLVERS], resolvers)
    if args.wrong:
        print()
        for key, doc, want, got, text in wrong:
            if args.wrong in ("all", key):
                print(f"{key:<24} {doc}: [{want}] got [{got}] {text}")


if __name__ == "__main__":
    main()
