"""The staking hooks slashing subscribes to: signing infos and periods at a bond, no reuse of a tombstoned key."""
from __future__ import annotations

from suretychain.core.tx import Coin
from suretychain.modules.slashing import errors as E
from suretychain.modules.slashing.signing import get_or_create_signing_info
from suretychain.modules.staking.types import GenesisState as StakingGenesis
from suretychain.modules.staking.types import MsgCreateValidator, MsgUndelegate, Params as StakingParams
from support_staking import make_create_validator

from .helpers import block_context, keeper, signing_info, slashing_chain


def test_a_new_validator_gets_a_signing_info_when_bonded():
    chain = slashing_chain()
    assert chain.deliver("alice", make_create_validator(chain, "alice", bond=10**12)).code == 0
    info = signing_info(chain, "alice")
    assert info["start_height"] == chain.height and info["tombstoned"] is False
    chain.advance(4)
    assert signing_info(chain, "alice")["index_offset"] == 2  # votes from H + 2 on: heights +3 and +4


def test_a_signing_info_is_created_lazily_for_an_address_without_one():
    chain = slashing_chain()
    ctx = block_context(chain)
    info = get_or_create_signing_info(keeper(chain), ctx, b"\x07" * 20)
    assert info.start_height == chain.height and keeper(chain).get_signing_info(ctx, b"\x07" * 20) == info


def test_invalid_create_validator_with_a_tombstoned_consensus_key():
    chain = slashing_chain(staking=StakingGenesis(params=StakingParams(unbonding_time_ns=10 * 10**9)))
    chain.double_sign("val3")
    chain.next_block()
    undelegate = MsgUndelegate(delegator=chain.address("val3"), validator=chain.valoper("val3"),
                               amount=Coin(denom="usrt", amount=10**12 - 5 * 10**10))
    assert chain.deliver("val3", undelegate).code == 0
    chain.advance(2, seconds=10)  # unbonding over: the emptied validator is removed
    assert all(v["description"]["moniker"] != "val3" for v in chain.query("staking/validators")["validators"])
    reuse = make_create_validator(chain, "alice")
    reuse = MsgCreateValidator(**{f: getattr(reuse, f) for f in reuse.__struct_fields__ if f != "consensus_pubkey"},
                               consensus_pubkey=chain.consensus_key("val3").public_key.raw)
    result = chain.deliver("alice", reuse)
    assert (result.codespace, result.code) == (E.ErrConsensusKeyTombstoned.codespace, E.ErrConsensusKeyTombstoned.code)
