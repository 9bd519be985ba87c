"""The K-ary sum tree and the stake-weighted draw: correctness, distribution (chi-square) and determinism."""
from __future__ import annotations

import hashlib

from suretychain.modules.court.disputes import compute_ruling
from suretychain.modules.court.sumtree import K, SumTree, compute_draw_value
from suretychain.modules.court.types import Vote
from suretychain.core.encoding import Address


def linear_find(weights: list[int], value: int) -> int:
    for i, w in enumerate(weights):
        if value < w:
            return i
        value -= w
    raise AssertionError


def test_find_matches_a_linear_scan_across_levels():
    weights = [(i * 7919) % 13 for i in range(K * K + 5)]  # some zero weights, three levels
    tree = SumTree(weights)
    assert tree.total == sum(weights)
    for value in range(0, tree.total, 3):
        assert tree.find(value) == linear_find(weights, value)


def test_set_updates_the_sums():
    weights = list(range(1, 40))
    tree = SumTree(weights)
    tree.set(5, 0)
    weights[5] = 0
    tree.set(30, 100)
    weights[30] = 100
    assert tree.total == sum(weights)
    for value in range(tree.total):
        assert tree.find(value) == linear_find(weights, value)


def test_draw_distribution_matches_stake_weights():
    """Chi-square over 20,000 draws from 20,000 seeds: 9 degrees of freedom, 0.1% critical value 27.88."""
    weights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    tree = SumTree(weights)
    counts = [0] * len(weights)
    draws = 20_000
    for i in range(draws):
        seed = hashlib.sha256(i.to_bytes(4, "big")).digest()
        counts[tree.find(compute_draw_value(seed, 1, 0, 0, tree.total))] += 1
    total = sum(weights)
    chi2 = sum((c - draws * w / total) ** 2 / (draws * w / total) for c, w in zip(counts, weights))
    assert chi2 < 27.88, (chi2, counts)


def test_draw_is_deterministic_and_seed_dependent():
    tree = SumTree([5] * 100)
    draw = [tree.find(compute_draw_value(b"\x01" * 32, 7, 0, n, tree.total)) for n in range(20)]
    again = [tree.find(compute_draw_value(b"\x01" * 32, 7, 0, n, tree.total)) for n in range(20)]
    other = [tree.find(compute_draw_value(b"\x02" * 32, 7, 0, n, tree.total)) for n in range(20)]
    assert draw == again and draw != other


def test_ruling_majority_median_and_tie():
    a, b, c = (Address.from_raw(bytes([i]) * 20) for i in (1, 2, 3))
    votes = [Vote(juror=a, seats=2, revealed=True, choice=1, magnitude=3000),
             Vote(juror=b, seats=1, revealed=True, choice=1, magnitude=9000),
             Vote(juror=c, seats=2, revealed=True, choice=0)]
    ruling = compute_ruling(votes)
    assert (ruling.choice, ruling.magnitude) == (1, 3000)  # seats 3 vs 2; median of 3000, 3000, 9000
    tie = compute_ruling([votes[0], votes[2]])
    assert tie.choice == 0  # a tie rules for the default option
