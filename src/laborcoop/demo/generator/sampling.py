"""Random draws for the generator: a faster Random and weighted choices."""

from bisect import bisect
from collections.abc import Iterable, Sequence
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")


class FastRandom(Random):
    """random.Random with cheaper integer draws: int(random() * n) instead of rejection sampling (the bias,
    at most n / 2**53, does not matter for demo data). Deterministic per seed like Random."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]


class Weighted(Generic[T]):
    """A weighted choice that costs one random() and a bisect per draw."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = [(item, w) for item, w in pairs if w > 0]
        if not pairs:
            raise ValueError("Weighted needs at least one positive weight")
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> T:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def weighted(*pairs: tuple[T, float]) -> Weighted[T]:
    """Shorthand for the weight tables: weighted((item, weight), ...)."""
    return Weighted(pairs)
