"""The distribution msg server: one ``process_<msg>`` per msg, each checking its rules then calling a mutator."""
from __future__ import annotations

from functools import partial

from suretychain.core.context import Context
from suretychain.core.errors import require
from suretychain.core.module import MsgRoute
from suretychain.modules.bank.send import validate_coins
from suretychain.modules.distribution.commission import withdraw_validator_commission
from suretychain.modules.distribution.deccoins import compute_dec_coins
from suretychain.modules.distribution.errors import (
    ErrBlockedWithdrawAddress,
    ErrNoDelegationDistInfo,
    ErrSetWithdrawAddrDisabled,
)
from suretychain.modules.distribution.events import CommunityPoolFunded, WithdrawAddressSet
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.rewards import (
    add_to_community_pool,
    get_existing_validator,
    initialize_delegation,
    withdraw_delegation_rewards,
)
from suretychain.modules.distribution.types import (
    DISTRIBUTION_ACCOUNT,
    MsgFundCommunityPool,
    MsgSetWithdrawAddress,
    MsgWithdrawDelegatorReward,
    MsgWithdrawValidatorCommission,
)

WITHDRAW_REWARD_GAS = 5_000
WITHDRAW_COMMISSION_GAS = 3_000
SET_WITHDRAW_ADDRESS_GAS = 1_000
FUND_COMMUNITY_POOL_GAS = 1_000


def process_withdraw_delegator_reward(k: DistributionKeeper, ctx: Context, msg: MsgWithdrawDelegatorReward) -> None:
    """Pay a delegation's rewards so far, then start its next reward run from the current period."""
    validator = get_existing_validator(k, ctx, msg.validator.raw)
    delegation = k.staking.get_delegation(ctx, msg.delegator.raw, msg.validator.raw)
    require(delegation is not None, ErrNoDelegationDistInfo, f"{msg.delegator} has no delegation to {msg.validator}")
    assert delegation is not None
    withdraw_delegation_rewards(k, ctx, validator, msg.delegator)
    initialize_delegation(k, ctx, msg.validator.raw, msg.delegator.raw, delegation.shares)


def process_withdraw_validator_commission(k: DistributionKeeper, ctx: Context,
                                          msg: MsgWithdrawValidatorCommission) -> None:
    """Pay the operator its accumulated commission (whole units)."""
    withdraw_validator_commission(k, ctx, msg.validator)


def process_set_withdraw_address(k: DistributionKeeper, ctx: Context, msg: MsgSetWithdrawAddress) -> None:
    """Direct the delegator's future rewards (and commission) to ``withdraw_address``."""
    require(k.get_params(ctx).withdraw_addr_enabled, ErrSetWithdrawAddrDisabled)
    # Module accounts are escrows moved only by their module's rules: rewards sent there would be stuck
    require(not k.bank.is_module_account(msg.withdraw_address.raw), ErrBlockedWithdrawAddress,
            str(msg.withdraw_address))
    k.set_withdraw_address(ctx, msg.delegator.raw, msg.withdraw_address.raw)
    ctx.emit(WithdrawAddressSet(delegator=msg.delegator, withdraw_address=msg.withdraw_address))


def process_fund_community_pool(k: DistributionKeeper, ctx: Context, msg: MsgFundCommunityPool) -> None:
    """Move the depositor's coins into the community pool."""
    validate_coins(msg.amount)
    k.bank.send_coins_from_account_to_module(ctx, msg.depositor.raw, DISTRIBUTION_ACCOUNT, msg.amount)
    add_to_community_pool(k, ctx, compute_dec_coins(msg.amount))
    ctx.emit(CommunityPoolFunded(depositor=msg.depositor, amount=msg.amount))


def msg_routes(k: DistributionKeeper) -> tuple[MsgRoute, ...]:
    """The distribution msgs with their rules and base gas."""
    return (
        MsgRoute(MsgWithdrawDelegatorReward, partial(process_withdraw_delegator_reward, k), WITHDRAW_REWARD_GAS),
        MsgRoute(MsgWithdrawValidatorCommission, partial(process_withdraw_validator_commission, k),
                 WITHDRAW_COMMISSION_GAS),
        MsgRoute(MsgSetWithdrawAddress, partial(process_set_withdraw_address, k), SET_WITHDRAW_ADDRESS_GAS),
        MsgRoute(MsgFundCommunityPool, partial(process_fund_community_pool, k), FUND_COMMUNITY_POOL_GAS),
    )
