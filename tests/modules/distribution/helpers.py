"""Builders for distribution tests: a chain with four validators (10% commission) and funded delegators, msgs,
reward reads, and a test-only begin-block module that slashes through the staking keeper on request."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from suretychain.core.app import FinalizeResult, TxResult
from suretychain.core.context import BlockInfo, Context
from suretychain.core.dec import Dec
from suretychain.core.encoding import Record
from suretychain.core.kv import CacheKV, CommittedKV
from suretychain.core.module import GenesisSpec, Module
from suretychain.core.tx import Coin
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.types import (
    GenesisState,
    MsgFundCommunityPool,
    MsgSetWithdrawAddress,
    MsgWithdrawDelegatorReward,
    MsgWithdrawValidatorCommission,
)
from suretychain.modules.staking.slash import slash
from suretychain.modules.staking.types import InfractionKind, MsgBeginRedelegate, MsgDelegate, MsgUndelegate
from suretychain.testing import TestChain

GAS = 1_000_000  # staking msgs with distribution's F1 bookkeeping need more than the 200,000 default
DELEGATORS = ("alice", "bob", "carol")
FUNDS = 10**13
NO_INFLATION = Params(inflation=Dec.ZERO)  # [customized] inflation 0: rewards are exactly the fees


def dist_chain(params: Params | None = None, **kwargs: Any) -> TestChain:
    """val0..val3 (10^12 usrt self-bond each, 10% commission) and alice, bob, carol with 10^13 usrt each."""
    app_state = dict(kwargs.pop("app_state", {}))
    if params is not None:
        app_state["distribution"] = GenesisState(params=params)
    return TestChain(accounts={name: {"usrt": FUNDS} for name in DELEGATORS}, validators=4, app_state=app_state,
                     **kwargs)


def usrt(amount: int) -> Coin:
    return Coin(denom="usrt", amount=amount)


def fee(amount: int) -> list[Coin]:
    return [usrt(amount)]


def delegate(chain: TestChain, who: str, validator: str, amount: int, **kw: Any) -> TxResult:
    msg = MsgDelegate(delegator=chain.address(who), validator=chain.valoper(validator), amount=usrt(amount))
    return chain.deliver(who, msg, gas=GAS, **kw)


def undelegate(chain: TestChain, who: str, validator: str, amount: int, **kw: Any) -> TxResult:
    msg = MsgUndelegate(delegator=chain.address(who), validator=chain.valoper(validator), amount=usrt(amount))
    return chain.deliver(who, msg, gas=GAS, **kw)


def redelegate(chain: TestChain, who: str, src: str, dst: str, amount: int, **kw: Any) -> TxResult:
    msg = MsgBeginRedelegate(delegator=chain.address(who), src_validator=chain.valoper(src),
                             dst_validator=chain.valoper(dst), amount=usrt(amount))
    return chain.deliver(who, msg, gas=GAS, **kw)


def withdraw_reward(chain: TestChain, who: str, validator: str, **kw: Any) -> TxResult:
    msg = MsgWithdrawDelegatorReward(delegator=chain.address(who), validator=chain.valoper(validator))
    return chain.deliver(who, msg, gas=GAS, **kw)


def withdraw_commission(chain: TestChain, validator: str, **kw: Any) -> TxResult:
    return chain.deliver(validator, MsgWithdrawValidatorCommission(validator=chain.valoper(validator)), gas=GAS, **kw)


def set_withdraw_address(chain: TestChain, who: str, to: str, **kw: Any) -> TxResult:
    msg = MsgSetWithdrawAddress(delegator=chain.address(who), withdraw_address=chain.address(to))
    return chain.deliver(who, msg, gas=GAS, **kw)


def fund_pool(chain: TestChain, who: str, coins: list[Coin], **kw: Any) -> TxResult:
    return chain.deliver(who, MsgFundCommunityPool(depositor=chain.address(who), amount=coins), gas=GAS, **kw)


# ---- reads -------------------------------------------------------------------------------------------------------
def dec_amount(coins: list[dict], denom: str = "usrt") -> Fraction:
    """The amount of ``denom`` in a JSON DecCoins list, exactly."""
    return sum((Fraction(c["amount"]) for c in coins if c["denom"] == denom), Fraction(0))


def rewards(chain: TestChain, who: str, validator: str, height: int = 0) -> Fraction:
    """Unpaid rewards of one delegation, as the query reports them."""
    answer = chain.query("distribution/rewards", height=height, delegator=str(chain.address(who)),
                         validator=str(chain.valoper(validator)))
    return dec_amount(answer["total"])


def commission(chain: TestChain, validator: str) -> Fraction:
    return dec_amount(chain.query("distribution/commission", validator=str(chain.valoper(validator)))["commission"])


def outstanding(chain: TestChain, validator: str) -> Fraction:
    return dec_amount(chain.query("distribution/outstanding", validator=str(chain.valoper(validator)))["rewards"])


def community_pool(chain: TestChain) -> Fraction:
    return dec_amount(chain.query("distribution/community-pool")["pool"])


def supply(chain: TestChain, height: int = 0) -> int:
    return chain.query("bank/supply", height=height, denom="usrt")["supply"][0]["amount"]


def events(result: FinalizeResult | TxResult, kind: str) -> list[dict[str, str]]:
    """The attributes of the distribution events of one type in a block or tx result."""
    return [{a.key: a.value for a in e.attributes} for e in result.events
            if e.module == "distribution" and e.type == kind]


def block_context(chain: TestChain) -> Context:
    """A writable context over the committed state (to break the state on purpose in invariant tests)."""
    return Context(kv=CacheKV(CommittedKV(chain.app.store)),
                   block=BlockInfo(chain_id=chain.chain_id, height=chain.height, time_ns=chain.time_ns))


def keeper(chain: TestChain):  # noqa: ANN201
    return chain.app.modules_by_name["distribution"].keeper


# ---- a test-only slasher -----------------------------------------------------------------------------------------
class _NoState(Record):
    pass


@dataclass
class Slasher:
    """Slashes queued validators in its begin-block, after distribution's and slashing's (as real slashes come)."""

    chain: TestChain
    pending: list[tuple[str, Dec, int]] = field(default_factory=list)

    def queue(self, name: str, fraction: str, infraction_height: int | None = None) -> None:
        """Slash ``name`` by ``fraction`` in the next block, for an infraction at ``infraction_height``
        (default: that block)."""
        self.pending.append((name, Dec.from_str(fraction), infraction_height or self.chain.height + 1))

    def begin_block(self, ctx: Context) -> None:
        staking = self.chain.app.modules_by_name["staking"].keeper
        for name, fraction, height in self.pending:
            cons = self.chain.consensus_address(name)
            power = self.chain.validator_set(height).get(cons, 0)
            slash(staking, ctx, cons, height, self.chain.block_times.get(height, ctx.block.time_ns), power, fraction,
                  InfractionKind.DOUBLE_SIGN)
        self.pending = []


def install_slasher(chain: TestChain) -> Slasher:
    """Append the slasher to the chain's modules (it has no state: never export such a chain)."""
    slasher = Slasher(chain)
    chain.app.modules.append(Module(name="test-slasher", keeper=None, begin_block=slasher.begin_block,
                                    genesis=GenesisSpec(_NoState, _NoState, lambda s: None, lambda c, s: None,
                                                        lambda c: _NoState())))
    return slasher



def delegators_part(chain: TestChain, result: FinalizeResult, validator: str) -> Fraction:
    """What one block gave a validator's delegators: its reward minus the commission (from the block's events)."""
    operator = str(chain.valoper(validator))
    for allocated in events(result, "RewardsAllocated"):
        if allocated["validator"] == operator:
            reward, commission = (allocated[key].removesuffix("usrt") for key in ("rewards", "commission"))
            return Fraction(reward) - Fraction(commission)
    return Fraction(0)
