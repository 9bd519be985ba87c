"""The stored K-ary sum tree and the stake-weighted draw: correctness, distribution (chi-square) and determinism."""
from __future__ import annotations

import hashlib

from suretychain.core.encoding import Address
from suretychain.modules.court.disputes import compute_ruling
from suretychain.modules.court.sumtree import (
    K,
    SnapshotView,
    add_juror_weight,
    build_tree,
    check_tree,
    compute_draw_value,
)
from suretychain.modules.court.types import Vote
from tests.modules.court.helpers import bare_court

COURT = 1


def juror(i: int) -> bytes:
    return (i + 1).to_bytes(20, "big")


def linear_find(weights: list[int], value: int) -> int:
    for i, w in enumerate(weights):
        if value < w:
            return i
        value -= w
    raise AssertionError


def built(weights: list[int]):
    keeper, ctx = bare_court()
    build_tree(keeper, ctx, COURT, [(juror(i), w) for i, w in enumerate(weights)])
    meta = keeper.get_tree_meta(ctx, COURT)
    return keeper, ctx, SnapshotView(keeper, ctx, COURT, meta.epoch, meta.height)


def test_find_matches_a_linear_scan_across_levels():
    weights = [(i * 7919) % 13 for i in range(K * K + 5)]  # some zero weights, four levels (261 > 16²)
    _, _, view = built(weights)
    assert view.height == 4 and view.total == sum(weights)
    for value in range(0, view.total, 3):
        leaf, weight, owner = view.find(value)
        assert leaf == linear_find(weights, value) and weight == weights[leaf] and owner == juror(leaf)


def test_removed_leaves_are_skipped_for_the_draw_only():
    weights = list(range(1, 40))
    keeper, ctx, view = built(weights)
    view.remove(5, weights[5])
    view.remove(30, weights[30])
    left = [0 if i in (5, 30) else w for i, w in enumerate(weights)]
    assert view.total == sum(left)
    for value in range(view.total):
        assert view.find(value)[0] == linear_find(left, value)
    assert SnapshotView(keeper, ctx, COURT, 0, view.height).total == sum(weights)  # nothing was written


def test_incremental_tree_equals_the_bulk_built_one():
    weights = [3 + (i * 31) % 17 for i in range(K * K + 3)]
    keeper, ctx = bare_court()
    for i, w in enumerate(weights):
        add_juror_weight(keeper, ctx, COURT, juror(i), w)
    assert check_tree(keeper, ctx, COURT, {juror(i): w for i, w in enumerate(weights)}) is None
    bulk_keeper, bulk_ctx, _ = built(weights)
    assert keeper.get_tree_meta(ctx, COURT) == bulk_keeper.get_tree_meta(bulk_ctx, COURT)
    assert list(keeper.iter_tree_nodes(ctx)) == list(bulk_keeper.iter_tree_nodes(bulk_ctx))


def test_draw_distribution_matches_stake_weights():
    """Chi-square over 20,000 draws from 20,000 seeds: 9 degrees of freedom, 0.1% critical value 27.88."""
    weights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    _, _, view = built(weights)
    counts = [0] * len(weights)
    draws = 20_000
    for i in range(draws):
        seed = hashlib.sha256(i.to_bytes(4, "big")).digest()
        counts[view.find(compute_draw_value(seed, 1, 0, 0, view.total))[0]] += 1
    total = sum(weights)
    chi2 = sum((c - draws * w / total) ** 2 / (draws * w / total) for c, w in zip(counts, weights))
    assert chi2 < 27.88, (chi2, counts)


def test_draw_is_deterministic_and_seed_dependent():
    _, _, view = built([5] * 100)
    draw = [view.find(compute_draw_value(b"\x01" * 32, 7, 0, n, view.total))[0] for n in range(20)]
    again = [view.find(compute_draw_value(b"\x01" * 32, 7, 0, n, view.total))[0] for n in range(20)]
    other = [view.find(compute_draw_value(b"\x02" * 32, 7, 0, n, view.total))[0] for n in range(20)]
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
