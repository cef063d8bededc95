"""A rule of the attribution sieve: a name, the function that applies it, and its own examples,
which tests/test_sieve.py runs through the whole engine (the rule named must be the one that fires)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Step:
    name: str
    apply: Callable
    # (story paragraphs, the start of one quotation's words, the speaker's name it must get)
    examples: tuple = ()

    @property
    def doc(self) -> str:
        return (self.apply.__doc__ or "").strip()


def step(name: str, *examples: tuple) -> Callable[[Callable], Step]:
    """Decorator: @step("said-X", (['"It opens," said Ann Lee.'], "It opens", "Ann Lee"))."""
    def named(apply: Callable) -> Step:
        return Step(name, apply, tuple(examples))
    return named
