"""Benchmark: a double-sign slash of a validator with 100,000 active insurances, inside one block.

The state is built quickly: a TestChain delegates to val1 from DELEGATORS accounts, its state is exported, the
insurances are added to the exported insurance genesis (ids in issuance order), and a fresh App imports it. Then one
block carries the double-sign evidence; its cost, less an empty block's, is divided by the insurances refunded and
compared with one bank send measured in the same run, both as a keeper call and as a whole MsgSend tx in a block.

    python bench/insurance_slash.py [--insurances 100000]
"""
from __future__ import annotations

import argparse
import time

import msgspec

from suretychain.app import make_app
from suretychain.core.context import BlockInfo, Context
from suretychain.core.dec import Dec
from suretychain.core.genesis import decode_module_state, encode_module_state
from suretychain.core.kv import CacheKV, CommittedKV
from suretychain.core.store import CommitStore
from suretychain.core.tx import Coin
from suretychain.modules.bank.types import MsgSend
from suretychain.modules.insurance.types import GenesisState, Insurance, MsgCreateInsuranceTerm, PremiumRate
from suretychain.modules.staking.types import InfractionKind, MsgDelegate
from suretychain.testing import TestChain

DELEGATORS = 100
STAKE_PER_DELEGATOR = 10**11


def build_chain(insurances: int) -> tuple[TestChain, int]:
    names = [f"d{i}" for i in range(DELEGATORS)]
    chain = TestChain(accounts={n: {"usrt": 10**12} for n in names}, validators=4, check_invariants=False)
    txs = [chain.sign(n, MsgDelegate(delegator=chain.address(n), validator=chain.valoper("val1"),
                                     amount=Coin(denom="usrt", amount=STAKE_PER_DELEGATOR)), gas=400_000)
           for n in names]
    chain.next_block(txs=txs)
    term = MsgCreateInsuranceTerm(operator=chain.address("val1"), coverage=Dec.ONE,
                                  premium=[PremiumRate(denom="usrt", rate=Dec.from_str("0.01"))],
                                  duration_ns=10**6 * 10**9, slashing_infractions=[InfractionKind.DOWNTIME,
                                                                                    InfractionKind.DOUBLE_SIGN])
    chain.deliver("val1", term)
    genesis = chain.export_genesis()
    state = decode_module_state("insurance", bytes(genesis.app_state["insurance"]), GenesisState)
    term_record = state.terms[0]
    stake = STAKE_PER_DELEGATOR * DELEGATORS // insurances  # all insured stake is bonded stake
    now = chain.time_ns
    records = [Insurance(id=i + 1, delegator=chain.address(names[i % DELEGATORS]), validator=chain.valoper("val1"),
                         term=term_record, start_ns=now, end_ns=now + term_record.duration_ns,
                         expire_ns=now + 2 * term_record.duration_ns, insured_stake=stake, period_start_ns=now)
               for i in range(insurances)]
    state = msgspec.structs.replace(state, insurances=records,
                                    counters=msgspec.structs.replace(state.counters, next_insurance_id=insurances + 1))
    app_state = dict(genesis.app_state)
    app_state["insurance"] = encode_module_state(state)
    genesis = msgspec.structs.replace(genesis, app_state=app_state)
    chain.app = make_app(CommitStore(None, keep_recent=0))
    chain.app.init_chain(genesis)
    chain.next_block()
    return chain, stake


def time_block(chain: TestChain, **kwargs) -> tuple[float, object]:  # noqa: ANN003
    start = time.perf_counter()
    result = chain.next_block(**kwargs)
    return time.perf_counter() - start, result


def time_keeper_sends(chain: TestChain, n: int) -> float:
    """Seconds per ``BankKeeper.send_coins`` between two accounts, on the same state."""
    bank = chain.app.modules_by_name["bank"].keeper
    ctx = Context(kv=CacheKV(CommittedKV(chain.app.store)), block=BlockInfo(chain_id=chain.chain_id,
                                                                             height=chain.height, time_ns=chain.time_ns))
    a, b = chain.address("d0").raw, chain.address("d1").raw
    coins = [Coin(denom="usrt", amount=1)]
    start = time.perf_counter()
    for _ in range(n):
        bank.send_coins(ctx, a, b, coins)
    return (time.perf_counter() - start) / n


def time_tx_sends(chain: TestChain, n: int) -> float:
    """Seconds per MsgSend tx in one block (signature, ante, fee and the send), less an empty block."""
    txs = [chain.sign(f"d{i}", MsgSend(from_address=chain.address(f"d{i}"), to_address=chain.address("d0"),
                                       amount=[Coin(denom="usrt", amount=1)])) for i in range(1, n + 1)]
    empty, _ = time_block(chain)
    full, _ = time_block(chain, txs=txs)
    return (full - empty) / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--insurances", type=int, default=100_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    chain, stake = build_chain(args.insurances)
    print(f"state built in {time.perf_counter() - t0:.1f} s ({args.insurances} insurances of {stake} usrt)")
    chain.advance(2)
    empty, _ = time_block(chain)
    chain.double_sign("val1")
    slash, result = time_block(chain)
    paid = [e for e in result.events if e.module == "insurance" and e.type == "RefundPaid"]
    summary = [e for e in result.events if e.module == "insurance" and e.type == "RefundsPaid"]
    refunded = len(paid)
    assert refunded == args.insurances, (refunded, summary)
    per_insurance = (slash - empty) / refunded
    keeper_send = time_keeper_sends(chain, 20_000)
    tx_send = time_tx_sends(chain, DELEGATORS - 1)
    print(f"slash block: {slash:.2f} s (empty block {empty * 1000:.1f} ms); {refunded} refunds; "
          f"summary {summary[0].attributes if summary else None}")
    print(f"cost per refunded insurance: {per_insurance * 1e6:.1f} us")
    print(f"one bank send (keeper call): {keeper_send * 1e6:.1f} us -> ratio {per_insurance / keeper_send:.2f}")
    print(f"one bank send (MsgSend tx in a block): {tx_send * 1e6:.1f} us -> ratio {per_insurance / tx_send:.2f}")


if __name__ == "__main__":
    main()
