"""A K-ary sum tree over stake weights: O(log_K n) per draw and per weight update.

The tree is rebuilt deterministically from a round's stake snapshot (which is ordered by address bytes) when the
round is drawn, and lives only for that draw: it is derived data, never state. Leaves are the snapshot entries in
order; each internal node holds the sum of its K children.
"""
from __future__ import annotations

import hashlib

K = 16
DRAW_DOMAIN = b"surety/court-draw/v1\x00"


class SumTree:
    """Weights in a flat K-ary heap: node i has children K*i+1 .. K*i+K; leaves are the last ``n`` slots."""

    def __init__(self, weights: list[int]) -> None:
        self.n = len(weights)
        inner = 0
        capacity = 1
        while capacity < self.n:
            inner += capacity
            capacity *= K
        self.first_leaf = inner
        self.nodes = [0] * (inner + capacity)
        for i, weight in enumerate(weights):
            self.nodes[inner + i] = weight
        for i in range(inner - 1, -1, -1):
            self.nodes[i] = sum(self.nodes[K * i + 1:K * i + K + 1])

    @property
    def total(self) -> int:
        return self.nodes[0] if self.nodes else 0

    def set(self, index: int, weight: int) -> None:
        """Change leaf ``index`` and the sums above it."""
        node = self.first_leaf + index
        delta = weight - self.nodes[node]
        while True:
            self.nodes[node] += delta
            if node == 0:
                break
            node = (node - 1) // K

    def get(self, index: int) -> int:
        return self.nodes[self.first_leaf + index]

    def find(self, value: int) -> int:
        """The leaf whose cumulative range holds ``value`` (0 <= value < total)."""
        node = 0
        while node < self.first_leaf:
            child = K * node + 1
            while value >= self.nodes[child]:
                value -= self.nodes[child]
                child += 1
            node = child
        return node - self.first_leaf


def compute_draw_value(seed: bytes, dispute_id: int, round_index: int, nonce: int, total: int) -> int:
    """A value in [0, total) from the beacon seed; 64 extra bits make the modulo bias below 2^-64 per draw."""
    digest = hashlib.sha512(DRAW_DOMAIN + seed + dispute_id.to_bytes(8, "big") + round_index.to_bytes(4, "big")
                            + nonce.to_bytes(8, "big")).digest()
    return int.from_bytes(digest, "big") % total
