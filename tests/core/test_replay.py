"""A block reuses CheckTx's run of a tx only when running it again would give the same: the results, events, gas
and app hash of a chain whose txs went through CheckTx first equal those of a chain that ran every tx in its
block, whatever the check order, the block order and the txs that fail."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suretychain.core.context import BlockInfo
from suretychain.core.encoding import Address
from suretychain.core.kv import CacheKV
from suretychain.core.replay import CheckedTx, CheckLog, Replay, TrackedCacheKV, WatchedBlock, compute_combined_writes
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.modules.staking.types import MsgDelegate, MsgUndelegate
from suretychain.testing import TestChain
from support import EmptyKV

NAMES = ["alice", "bob", "carol"]
FUNDS = {"usrt": 10**6, "uusd": 10**6}


def make_pair() -> tuple[TestChain, TestChain]:
    """Two identical chains (one validator, so distribution moves the fee collector at every block start)."""
    return tuple(TestChain(accounts={n: dict(FUNDS) for n in NAMES}, validators=1) for _ in range(2))  # type: ignore


def outcome(result) -> tuple:
    return (result.code, result.codespace, result.gas_wanted, result.gas_used, result.events)


def run_both(checked: TestChain, plain: TestChain, check_order: list[bytes], block: list[bytes]) -> None:
    """``checked`` CheckTxs ``check_order`` then runs ``block``; ``plain`` only runs ``block``: same everything."""
    for tx in check_order:
        checked.check_tx(tx)
    a, b = checked.next_block(txs=block), plain.next_block(txs=block)
    assert [outcome(r) for r in a.tx_results] == [outcome(r) for r in b.tx_results]
    assert a.events == b.events
    assert checked.app_hash() == plain.app_hash()


sends = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(["usrt", "uusd"]),
                           st.integers(1, 600_000)), min_size=1, max_size=8)


def check_outcome(result) -> tuple:
    return (result.code, result.codespace, result.gas_wanted, result.gas_used)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(st.tuples(sends, st.randoms(use_true_random=False)), min_size=1, max_size=4))
def test_checked_chain_equals_plain_chain(blocks):
    """Each round: both chains re-check the txs left pending by the last block (the checked chain re-admits from
    its records what it can, the plain one runs them on a check state it never used: same answers), the checked
    chain checks the new txs in a shuffled order, then both run a block of some pending and new txs."""
    checked, plain = make_pair()
    sequences = {n: checked.sequence(n) for n in NAMES}
    pending: list[bytes] = []
    for sends_of_block, rng in blocks:
        rechecks = [(checked.app.check_tx(tx, recheck=True), plain.app.check_tx(tx, recheck=True)) for tx in pending]
        assert [check_outcome(a) for a, _ in rechecks] == [check_outcome(b) for _, b in rechecks]
        pending = [tx for tx, (a, _) in zip(pending, rechecks) if a.code == 0]
        txs = []
        for sender, recipient, denom, amount in sends_of_block:  # big amounts fail once funds run low
            msg = MsgSend(from_address=checked.address(sender), to_address=checked.address(recipient),
                          amount=[Coin(denom=denom, amount=amount)])
            timeout = checked.height + rng.choice([0, 0, 0, 1, 2, 50])  # 0: none; else reads the height
            txs.append(checked.sign(sender, msg, gas=100_000, sequence=sequences[sender],
                                    timeout_height=timeout if timeout > checked.height else 0))
            sequences[sender] += 1
        check_order = list(txs)
        rng.shuffle(check_order)  # out-of-sequence checks are refused, so only some are admitted
        for tx in check_order:
            checked.check_tx(tx)
        candidates = pending + txs
        block = [tx for tx in candidates if rng.random() < 0.7]
        if rng.random() < 0.3:
            rng.shuffle(block)
        a, b = checked.next_block(txs=block), plain.next_block(txs=block)
        assert [outcome(r) for r in a.tx_results] == [outcome(r) for r in b.tx_results]
        assert a.events == b.events
        assert checked.app_hash() == plain.app_hash()
        pending = [tx for tx in candidates if tx not in block]
    assert checked.export_genesis().app_state == plain.export_genesis().app_state


def test_pending_txs_the_block_left_alone_are_readmitted_without_running():
    checked, plain = make_pair()
    first = [checked.sign(n, MsgSend(from_address=checked.address(n), to_address=Address.from_raw(bytes([i]) * 20),
                                     amount=[Coin(denom="usrt", amount=5)]), gas=100_000)
             for i, n in enumerate(("alice", "bob"))]
    later = checked.sign("alice", MsgSend(from_address=checked.address("alice"), to_address=checked.address("carol"),
                                          amount=[Coin(denom="usrt", amount=5)]), gas=100_000, sequence=1)
    timed = checked.sign("bob", MsgSend(from_address=checked.address("bob"), to_address=checked.address("carol"),
                                        amount=[Coin(denom="usrt", amount=5)]), gas=100_000, sequence=1,
                         timeout_height=checked.height + 5)
    for tx in (*first, later, timed):
        assert checked.check_tx(tx).code == 0
    run_both(checked, plain, [], first)  # alice's and bob's first sends; their second ones stay pending
    before = checked.app.checks_replayed
    for tx in (later, timed):
        assert checked.app.check_tx(tx, recheck=True).code == 0
    assert checked.app.checks_replayed - before == 1  # the timed one read the height: run again
    run_both(checked, plain, [], [later, timed])
    assert checked.app.txs_replayed >= 4


def test_checked_sends_in_block_order_are_replayed():
    checked, plain = make_pair()
    txs = [checked.sign(n, MsgSend(from_address=checked.address(n), to_address=checked.address("carol"),
                                   amount=[Coin(denom="usrt", amount=5)]), gas=100_000) for n in ("alice", "bob")]
    before = checked.app.txs_replayed
    run_both(checked, plain, txs, txs)
    assert checked.app.txs_replayed - before == 2


def test_a_run_that_read_the_block_time_runs_again():
    checked, plain = make_pair()
    for chain in (checked, plain):
        chain.deliver("alice", MsgDelegate(delegator=chain.address("alice"), validator=chain.valoper("val0"),
                                           amount=Coin(denom="usrt", amount=1000)), gas=1_000_000)
    undelegate = checked.sign("alice", MsgUndelegate(delegator=checked.address("alice"), validator=checked.valoper("val0"),
                                                     amount=Coin(denom="usrt", amount=400)), gas=1_000_000)
    replayed, ran = checked.app.txs_replayed, checked.app.txs_run
    run_both(checked, plain, [undelegate], [undelegate])  # its completion time is the block's time + unbonding
    assert (checked.app.txs_replayed, checked.app.txs_run) == (replayed, ran + 1)


def test_watched_block_notes_fields_the_block_will_differ_in():
    watched = WatchedBlock(BlockInfo(chain_id="c", height=5, time_ns=7))
    assert (watched.chain_id, watched.height, watched.other_read) == ("c", 5, False)
    assert watched.time_ns == 7 and watched.other_read


def test_tracked_cache_notes_reads_and_iteration():
    base = CacheKV(CacheKV(EmptyKV()))
    base.set(b"a", b"1")
    tracked = TrackedCacheKV(base)
    tracked.set(b"b", b"2")
    assert tracked.get(b"a") == b"1" and tracked.get(b"b") == b"2" and tracked.get(b"c") is None
    assert tracked.read_keys == {b"a", b"b", b"c"} and not tracked.iterated
    child = CacheKV(tracked)  # a nested branch (a callback's) reads through the tracked one
    assert child.get(b"d") is None and b"d" in tracked.read_keys
    list(child.iterate(b"", None))
    assert tracked.iterated


def record(tx: bytes, reads: set[bytes], writes: dict[bytes, bytes | None]) -> CheckedTx:
    return CheckedTx(tx=tx, read_keys=reads, writes=writes, gas_wanted=1, gas_used=1, events=[], replayable=True)


def test_a_record_stands_only_if_every_key_it_read_has_the_same_last_writer():
    log = CheckLog()
    for r in (record(b"t1", {b"x"}, {b"x": b"1"}), record(b"t2", {b"x"}, {b"y": b"2"}),
              record(b"t3", {b"z"}, {b"z": b"3"}), record(b"t4", {b"y"}, {b"w": b"4"})):
        log.add(r)
    walk = Replay(log, [b"q"])
    assert walk.take(b"t2") is None  # it read x after t1 wrote it; here t1 has not run
    assert walk.take(b"t3") is not None  # z: no writer on either side
    assert walk.take(b"t1") is not None  # out of order is fine: x had no writer before it on either side
    assert walk.take(b"t1") is None  # a record stands once
    assert walk.take(b"t2") is not None  # now x's last writer is t1 on both sides
    walk.note_run({b"y": b"5"})  # a tx that ran wrote y
    assert walk.take(b"t4") is None  # y was last written by a run, not by the record t4 read it from
    walk = Replay(log, [b"z"])  # a begin-block write of z
    assert walk.take(b"t3") is None and walk.take(b"t1") is not None and walk.take(b"t2") is not None
    assert walk.take(b"t4") is not None  # y last written by t2, as when t4 was checked
    assert Replay(log, []).take(b"unknown") is None



def test_the_whole_log_stands_for_a_block_that_is_exactly_it_when_nothing_before_changed_its_reads():
    log = CheckLog()
    records = [record(b"t1", {b"x"}, {b"x": b"1"}), record(b"t2", {b"x"}, {b"y": b"2"}),
               record(b"t3", {b"y"}, {b"x": b"3", b"z": None})]
    for r in records:
        log.add(r)
    txs = (b"t1", b"t2", b"t3")
    whole, one_by_one = Replay(log, [b"q"]), Replay(log, [b"q"])
    assert whole.take_all(txs) == records
    assert [one_by_one.take(tx) for tx in txs] == records
    assert (whole.last_writer, whole.used) == (one_by_one.last_writer, one_by_one.used)  # the walk goes on the same
    assert compute_combined_writes(records) == {b"x": b"3", b"y": b"2", b"z": None}
    assert Replay(log, [b"y"]).take_all(txs) is None  # a begin-block write of a key t3 read
    assert Replay(log, []).take_all((b"t2", b"t1", b"t3")) is None  # another order: tx by tx instead
    first_two, two_by_one = Replay(log, []), Replay(log, [])
    assert first_two.take_all(txs[:2]) == records[:2]  # a block of the log's first records (t3 came later)
    assert [two_by_one.take(tx) for tx in txs[:2]] == records[:2]
    assert (first_two.last_writer, first_two.used) == (two_by_one.last_writer, two_by_one.used)
    assert first_two.take(b"t3") is records[2]  # the walk goes on: t3 is re-admitted after the block
    assert Replay(log, []).take_all(txs[1:]) is None  # not a prefix
    assert Replay(log, []).take_all(()) is None
    taken = Replay(log, [])
    taken.take(b"t1")
    assert taken.take_all(txs) is None  # only a fresh walk
    log.records[1].replayable = False
    assert Replay(log, []).take_all(txs) is None


def test_a_block_of_exactly_the_checked_txs_is_replayed_whole():
    checked, plain = make_pair()
    txs = [checked.sign(n, MsgSend(from_address=checked.address(n), to_address=checked.address("carol"),
                                   amount=[Coin(denom="usrt", amount=5)]), gas=100_000) for n in ("alice", "bob", "alice")]
    txs[2] = checked.sign("alice", MsgSend(from_address=checked.address("alice"), to_address=checked.address("bob"),
                                           amount=[Coin(denom="usrt", amount=7)]), gas=100_000, sequence=1)
    before = checked.app.txs_replayed, checked.app.txs_run
    run_both(checked, plain, txs, txs)
    assert (checked.app.txs_replayed - before[0], checked.app.txs_run - before[1]) == (3, 0)
