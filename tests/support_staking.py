"""Builders for staking tests."""
from __future__ import annotations

from suretychain.core.dec import Dec
from suretychain.core.tx import Coin
from suretychain.modules.staking.types import (
    Description,
    MsgBeginRedelegate,
    MsgCancelUnbondingDelegation,
    MsgCreateValidator,
    MsgDelegate,
    MsgUndelegate,
)
from suretychain.testing import TestChain

GAS = 1_000_000  # staking txs touch distribution's records through hooks: more than a send


def usrt(amount: int) -> Coin:
    return Coin(denom="usrt", amount=amount)


def make_create_validator(chain: TestChain, name: str, bond: int = 5 * 10**12, min_self: int = 1,
                          rate: str = "0.1") -> MsgCreateValidator:
    return MsgCreateValidator(operator=chain.address(name), consensus_pubkey=chain.consensus_key(name).public_key.raw,
                              vrf_pubkey=chain.vrf_key(name).public_key.raw, description=Description(moniker=name),
                              commission_rate=Dec.from_str(rate), commission_max_rate=Dec.from_str("0.5"),
                              commission_max_change_rate=Dec.from_str("0.05"), min_self_delegation=min_self,
                              self_bond=usrt(bond))


def delegate(chain: TestChain, who: str, validator: str, amount: int):
    return chain.deliver(who, MsgDelegate(delegator=chain.address(who), validator=chain.valoper(validator),
                                          amount=usrt(amount)), gas=GAS)


def undelegate(chain: TestChain, who: str, validator: str, amount: int):
    return chain.deliver(who, MsgUndelegate(delegator=chain.address(who), validator=chain.valoper(validator),
                                            amount=usrt(amount)), gas=GAS)


def redelegate(chain: TestChain, who: str, src: str, dst: str, amount: int):
    return chain.deliver(who, MsgBeginRedelegate(delegator=chain.address(who), src_validator=chain.valoper(src),
                                                 dst_validator=chain.valoper(dst), amount=usrt(amount)), gas=GAS)


def cancel_unbonding(chain: TestChain, who: str, validator: str, amount: int, height: int):
    return chain.deliver(who, MsgCancelUnbondingDelegation(delegator=chain.address(who),
                                                           validator=chain.valoper(validator), amount=usrt(amount),
                                                           creation_height=height), gas=GAS)


def validator(chain: TestChain, name: str) -> dict:
    return chain.query("staking/validator", validator=str(chain.valoper(name)))


def delegation_balance(chain: TestChain, who: str, name: str) -> int:
    return chain.query("staking/delegation", delegator=str(chain.address(who)), validator=str(chain.valoper(name)))["balance"]


def staking_chain(validators: int = 4, **kwargs) -> TestChain:
    return TestChain(accounts={"alice": {"usrt": 10**13}, "bob": {"usrt": 10**13}}, validators=validators, **kwargs)
