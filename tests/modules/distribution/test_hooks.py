"""The staking hooks distribution implements: validator created, removed, slashed to nothing."""
from __future__ import annotations

from fractions import Fraction

from suretychain.core.dec import Dec
from suretychain.core.tx import Coin
from suretychain.modules.staking.types import Description, MsgCreateValidator
from suretychain.modules.staking.types import GenesisState as StakingGenesis
from suretychain.modules.staking.types import Params as StakingParams

from suretychain.modules.bank.types import MsgSend
from suretychain.modules.distribution.types import MsgWithdrawDelegatorReward

from .helpers import (
    GAS,
    NO_INFLATION,
    commission,
    community_pool,
    delegate,
    delegators_part,
    dist_chain,
    events,
    install_slasher,
    outstanding,
    rewards,
    undelegate,
)


def create_validator(chain, name: str, bond: int):  # noqa: ANN001, ANN201
    msg = MsgCreateValidator(operator=chain.address(name), consensus_pubkey=chain.consensus_key(name).public_key.raw,
                             vrf_pubkey=chain.vrf_key(name).public_key.raw, description=Description(moniker=name),
                             commission_rate=Dec.from_str("0.2"), commission_max_rate=Dec.from_str("0.5"),
                             commission_max_change_rate=Dec.from_str("0.05"), min_self_delegation=1,
                             self_bond=Coin(denom="usrt", amount=bond))
    return chain.deliver(name, msg, gas=GAS)


def test_a_new_validator_starts_with_empty_records():
    chain = dist_chain(NO_INFLATION)
    assert create_validator(chain, "carol", 10**12).code == 0
    assert outstanding(chain, "carol") == 0 and commission(chain, "carol") == 0
    assert rewards(chain, "carol", "carol") == 0


def test_removed_validator_pays_its_commission_and_leaves_its_dust_to_the_pool():
    short = StakingGenesis(params=StakingParams(unbonding_time_ns=10 * 10**9))
    chain = dist_chain(staking=short)                 # with inflation: rewards every block
    create_validator(chain, "carol", 10**12)
    delegate(chain, "bob", "carol", 10**12 + 7)       # carol's power counts from two blocks on
    chain.advance(4)
    assert commission(chain, "carol") > 0
    undelegate(chain, "bob", "carol", 10**12 + 7)
    undelegate(chain, "carol", "carol", 10**12)       # no shares left: jailed, it leaves the set
    for _ in range(20):
        owed, left, pool = commission(chain, "carol"), outstanding(chain, "carol"), community_pool(chain)
        balance = chain.balance("carol", "usrt")
        result = chain.next_block(seconds=5)
        if events(result, "CommissionWithdrawn"):
            break
    else:
        raise AssertionError("the validator was never removed")
    # Still in the last commit of its removal block: that block's share came first
    [mine] = [e for e in events(result, "RewardsAllocated") if e["validator"] == str(chain.valoper("carol"))] or [
        {"rewards": "0usrt", "commission": "0usrt"}]
    reward, cut = (Fraction(mine[key].removesuffix("usrt") or 0) for key in ("rewards", "commission"))
    paid = int(events(result, "CommissionWithdrawn")[0]["amount"].removesuffix("usrt"))
    assert paid == int(owed + cut)
    assert chain.balance("carol", "usrt") == balance + paid + 10**12   # with its matured unbonding
    [block] = events(result, "BlockRewardsAllocated")
    # What it still held (its commission's fraction, rewards of periods with no stake) went to the pool
    assert community_pool(chain) - pool == left + reward - paid + Fraction(block["community_pool"].removesuffix("usrt"))
    assert chain.query("distribution/outstanding", validator=str(chain.valoper("carol")))["rewards"] == []
    assert str(chain.valoper("carol")).encode() not in bytes(chain.export_genesis().app_state["distribution"])


def test_a_validator_with_no_tokens_sends_its_delegators_part_to_the_pool():
    chain = dist_chain(NO_INFLATION)
    slasher = install_slasher(chain)
    chain.advance(2)
    slasher.queue("val3", "1")
    chain.next_block()                                # val3: every token burned; it stays in the next commits
    assert chain.query("staking/validator", validator=str(chain.valoper("val3")))["tokens"] == 0
    owed = rewards(chain, "val3", "val3")
    pool = community_pool(chain)
    first = chain.next_block(txs=[chain.sign("alice", MsgSend(from_address=chain.address("alice"),
                                                              to_address=chain.address("bob"),
                                                              amount=[Coin(denom="usrt", amount=1)]),
                                             fee=[Coin(denom="usrt", amount=1000)])])
    withdraw = chain.sign("val3", MsgWithdrawDelegatorReward(delegator=chain.address("val3"),
                                                             validator=chain.valoper("val3")), gas=GAS)
    second = chain.next_block(txs=[withdraw])         # allocates the fee, then the withdrawal closes the period
    assert second.tx_results[0].code == 0
    part = delegators_part(chain, second, "val3")
    assert part == Fraction(1000) * Fraction("0.98") / 4 * Fraction("0.9")
    taxes = sum(Fraction(e["community_pool"].removesuffix("usrt"))
                for r in (first, second) for e in events(r, "BlockRewardsAllocated"))
    assert community_pool(chain) - pool == taxes + part + (owed - int(owed))   # + the withdrawal's dust
    assert rewards(chain, "val3", "val3") == 0
