"""End-block: the consensus set (top max_validators by power), its H+2 delay, and validator maturity."""
from __future__ import annotations

from suretychain.modules.staking import types as T
from suretychain.modules.staking.types import GenesisState, Params
from support_staking import delegate, make_create_validator, staking_chain, undelegate, validator

DAY = 86_400


def test_max_validators_keeps_the_top_by_power():
    chain = staking_chain(staking=GenesisState(params=Params(max_validators=4)))
    assert chain.deliver("alice", make_create_validator(chain, "alice", bond=2 * 10**12)).code == 0
    created = chain.height
    # alice (2M power) displaces the last of the four 1M validators (ties: highest operator bytes first)
    valset = chain.validator_set(created + 2)
    assert len(valset) == 4 and valset[chain.consensus_address("alice")] == 2_000_000
    statuses = [v["status"] for v in chain.query("staking/validators")["validators"]]
    assert statuses.count(int(T.BondStatus.BONDED)) == 4 and statuses.count(int(T.BondStatus.UNBONDING)) == 1
    assert chain.validator_set(created + 1) == chain.validator_set(created)  # not yet: H+2


def test_power_change_is_an_update():
    chain = staking_chain()
    delegate(chain, "alice", "val0", 3 * 10**6)
    assert chain.validator_set(chain.height + 2)[chain.consensus_address("val0")] == 1_000_003


def test_unbonding_validator_becomes_unbonded_then_removed_when_empty():
    chain = staking_chain()
    chain.deliver("alice", make_create_validator(chain, "alice", bond=10**6))
    undelegate(chain, "alice", "alice", 10**6)  # self-delegation gone: jailed, leaves the set
    assert validator(chain, "alice")["status"] == int(T.BondStatus.UNBONDING)
    chain.next_block(seconds=21 * DAY)
    assert [v for v in chain.query("staking/validators")["validators"] if v["description"]["moniker"] == "alice"] == []
