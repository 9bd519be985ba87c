"""Copy-on-write snapshots of the court sum trees: a round draws on the stakes as they were at its opening, and
the trees stay consistent (and their old versions pruned) through random stake histories."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from suretychain.modules.court.sumtree import (
    SnapshotView,
    add_juror_weight,
    check_tree,
    close_snapshot,
    get_node,
    open_snapshot,
)
from suretychain.modules.court.types import MsgUnstakeJuror
from tests.modules.court.helpers import bare_court, court_chain, drawn, ok, open_dispute, read_state, stake, \
    until_period

COURT = 1


def round_view(chain, dispute_id: int) -> SnapshotView:
    keeper, ctx = read_state(chain)
    round_ = keeper.get_dispute(ctx, dispute_id).rounds[-1]
    return SnapshotView(keeper, ctx, 3, round_.snapshot_epoch, round_.snapshot_height)


def test_stake_after_opening_does_not_change_the_rounds_weights(monkeypatch):
    chain = court_chain(monkeypatch)
    for name in ("juror0", "juror1"):
        ok(stake(chain, name, 3, 10_000))
    dispute_id = open_dispute(chain, juror_count=5, fee=500)
    ok(stake(chain, "juror2", 3, 10_000_000))  # before the draw, after the opening
    ok(stake(chain, "juror0", 3, 5_000_000))
    assert round_view(chain, dispute_id).total == 20_000
    until_period(chain, dispute_id, "commit")
    seats = drawn(chain, dispute_id)
    assert {n for n, _ in seats} <= {"juror0", "juror1"} and sum(s for _, s in seats) == 5


def test_unstake_after_opening_leaves_the_weight_but_the_seat_is_redrawn(monkeypatch):
    chain = court_chain(monkeypatch)
    ok(stake(chain, "juror0", 3, 90_000))
    ok(stake(chain, "juror1", 3, 10_000))
    dispute_id = open_dispute(chain, juror_count=3)
    ok(chain.deliver("juror0", MsgUnstakeJuror(juror=chain.address("juror0"), court=3, amount=90_000)))
    assert round_view(chain, dispute_id).total == 100_000  # still in the snapshot
    until_period(chain, dispute_id, "commit")
    assert drawn(chain, dispute_id) == [("juror1", 3)]  # juror0's free stake cannot cover a lock


ops = st.lists(st.one_of(
    st.tuples(st.just("stake"), st.integers(0, 39), st.integers(1, 1_000)),
    st.tuples(st.just("unstake"), st.integers(0, 39), st.integers(1, 100)),  # percent of the current weight
    st.tuples(st.just("open"), st.just(0), st.just(0)),
    st.tuples(st.just("close"), st.integers(0, 10), st.just(0)),
), max_size=80)


@settings(max_examples=25, deadline=None)
@given(ops)
@example([("stake", 0, 1), ("open", 0, 0), ("stake", 0, 1), ("close", 0, 0)])  # a closed snapshot's version stays
def test_tree_invariants_and_snapshots_through_random_histories(history):
    keeper, ctx = bare_court()
    weights: dict[bytes, int] = {}
    snapshots: list[tuple[int, int, dict[bytes, int]]] = []  # (epoch, height, weights then)
    peak_open = 0  # the most snapshots open at once: a node's write keeps only the versions those may read
    for kind, who, amount in history:
        juror = (who + 1).to_bytes(20, "big")
        if kind == "stake":
            add_juror_weight(keeper, ctx, COURT, juror, amount)
            weights[juror] = weights.get(juror, 0) + amount
        elif kind == "unstake" and juror in weights:
            take = max(1, weights[juror] * amount // 100)
            add_juror_weight(keeper, ctx, COURT, juror, -take)
            weights[juror] -= take
            if not weights[juror]:
                del weights[juror]
        elif kind == "open":
            epoch, height = open_snapshot(keeper, ctx, COURT)
            snapshots.append((epoch, height, dict(weights)))
            peak_open = max(peak_open, len(snapshots))
        elif kind == "close" and snapshots:
            epoch, _, _ = snapshots.pop(who % len(snapshots))
            close_snapshot(keeper, ctx, COURT, epoch)
    assert check_tree(keeper, ctx, COURT, weights) is None
    meta = keeper.get_tree_meta(ctx, COURT)
    for epoch, height, then in snapshots:
        leaves = [get_node(keeper, ctx, COURT, 0, i, epoch) for i in range(meta.leaves)]
        assert {j: w for w, j in leaves if w} == then
        assert SnapshotView(keeper, ctx, COURT, epoch, height).total == sum(then.values())
    # a node keeps at most the versions that the snapshots open at its last write and the current one can read
    # (a closed snapshot's versions go at the node's next write: see the README, Limits)
    versions: dict[tuple[int, int], int] = {}
    for _, level, index, _, _, _ in keeper.iter_tree_nodes(ctx, COURT):
        versions[(level, index)] = versions.get((level, index), 0) + 1
    assert max(versions.values(), default=0) <= peak_open + 1
