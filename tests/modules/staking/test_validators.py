"""MsgCreateValidator and MsgEditValidator."""
from __future__ import annotations

from suretychain.core.dec import Dec
from suretychain.modules.staking import types as T
from suretychain.modules.staking.types import Description, MsgEditValidator
from support_staking import make_create_validator, staking_chain, usrt, validator


def test_create_validator_bonds_at_end_block_and_joins_set_two_heights_later():
    chain = staking_chain()
    result = chain.deliver("alice", make_create_validator(chain, "alice", bond=5 * 10**12), gas=1_000_000)
    assert result.code == 0, result.log
    v = validator(chain, "alice")
    assert v["status"] == int(T.BondStatus.BONDED) and v["tokens"] == 5 * 10**12 and v["delegator_shares"] == "5000000000000"
    created_at = chain.height
    cons = chain.consensus_address("alice")
    assert cons not in chain.validator_set(created_at + 1)
    assert chain.validator_set(created_at + 2)[cons] == 5_000_000
    assert chain.query("staking/pool")["bonded_tokens"] == 4 * 10**12 + 5 * 10**12


def test_invalid_create_twice():
    chain = staking_chain()
    assert chain.deliver("alice", make_create_validator(chain, "alice")).code == 0
    result = chain.deliver("alice", make_create_validator(chain, "alice"))
    assert (result.codespace, result.code) == ("staking", T.ErrValidatorExists.code)


def test_invalid_consensus_key_reused():
    chain = staking_chain()
    msg = make_create_validator(chain, "alice")
    msg = T.MsgCreateValidator(**{f: getattr(msg, f) for f in msg.__struct_fields__ if f != "consensus_pubkey"},
                               consensus_pubkey=chain.consensus_key("val0").public_key.raw)
    assert chain.deliver("alice", msg).code == T.ErrConsensusKeyTaken.code


def test_invalid_commission_above_max():
    chain = staking_chain()
    assert chain.deliver("alice", make_create_validator(chain, "alice", rate="0.6")).code == T.ErrCommissionInvalid.code


def test_invalid_self_bond_wrong_denom():
    chain = staking_chain()
    msg = make_create_validator(chain, "alice")
    msg = T.MsgCreateValidator(**{f: getattr(msg, f) for f in msg.__struct_fields__ if f != "self_bond"},
                               self_bond=type(usrt(1))(denom="uusd", amount=5))
    assert chain.deliver("alice", msg).code == T.ErrBadDenom.code


def test_invalid_self_bond_below_min():
    chain = staking_chain()
    msg = make_create_validator(chain, "alice", bond=10, min_self=11)
    assert chain.deliver("alice", msg).code == T.ErrSelfDelegationBelowMin.code


def test_edit_commission_within_daily_max_once_a_day():
    chain = staking_chain()
    chain.deliver("alice", make_create_validator(chain, "alice"))
    edit = MsgEditValidator(operator=chain.address("alice"), commission_rate=Dec.from_str("0.14"))
    assert chain.deliver("alice", edit).code == T.ErrCommissionChangeTooSoon.code
    chain.next_block(seconds=86_400)
    too_big = MsgEditValidator(operator=chain.address("alice"), commission_rate=Dec.from_str("0.16"))
    assert chain.deliver("alice", too_big).code == T.ErrCommissionChangeTooBig.code
    assert chain.deliver("alice", edit).code == 0
    assert validator(chain, "alice")["commission"]["rate"] == "0.14"


def test_edit_description_and_raise_min_self_delegation():
    chain = staking_chain()
    chain.deliver("alice", make_create_validator(chain, "alice", min_self=5))
    edit = MsgEditValidator(operator=chain.address("alice"), description=Description(moniker="Alice & co"),
                            min_self_delegation=10)
    assert chain.deliver("alice", edit).code == 0
    v = validator(chain, "alice")
    assert v["description"]["moniker"] == "Alice & co" and v["min_self_delegation"] == 10
    lower = MsgEditValidator(operator=chain.address("alice"), min_self_delegation=9)
    assert chain.deliver("alice", lower).code == T.ErrMinSelfDelegationDecreased.code


def test_invalid_edit_unknown_validator():
    chain = staking_chain()
    edit = MsgEditValidator(operator=chain.address("bob"), description=Description(moniker="x"))
    assert chain.deliver("bob", edit).code == T.ErrValidatorNotFound.code
