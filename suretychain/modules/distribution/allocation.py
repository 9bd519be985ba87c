"""Block rewards: inflation minted by elapsed time, last block's fees collected, and both split by voting power.

As Cosmos' ``AllocateTokens``: every validator in the decided last commit gets ``(1 − community_tax) × power /
total power`` of the rewards, whether or not its vote was included as signed (the proposer picks which signatures
to include beyond 2/3, so paying signers only would let it cut its rivals' pay; downtime is the slashing module's
business). There is no proposer bonus (Cosmos removed it). Whatever is not credited to a validator, the community
tax and the rounding remainder, goes to the community pool.
"""
from __future__ import annotations

from suretychain.core.context import Context, VoteInfo
from suretychain.core.dec import SCALE, Dec, Rounding, compute_rounded_quotient
from suretychain.core.tx import Coin
from suretychain.modules.auth.types import FEE_COLLECTOR
from suretychain.modules.distribution.deccoins import (
    DecCoins,
    compute_difference,
    compute_scaled,
    compute_share,
    compute_sum,
    render_dec_coins,
)
from suretychain.modules.distribution.events import BlockRewardsAllocated, InflationMinted, RewardsAllocated
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.rewards import add_to_community_pool, get_current_rewards
from suretychain.modules.distribution.types import DISTRIBUTION_ACCOUNT, YEAR_NS, ValidatorCurrentRewards
from suretychain.modules.staking.types import Validator


def compute_block_inflation(supply: int, inflation: Dec, duration_ns: int) -> int:
    """``supply × inflation × duration / year``, one exact division, rounded down (never mint above the rate).
    A block at or before the previous one's time mints nothing."""
    if duration_ns <= 0:
        return 0
    return compute_rounded_quotient(supply * inflation.atoms * duration_ns, SCALE * YEAR_NS, Rounding.DOWN)


def compute_validator_reward(rewards: DecCoins, community_tax: Dec, power: int, total_power: int) -> DecCoins:
    """``rewards × (1 − community_tax) × power / total_power``, per denom with one rounding, down."""
    return compute_share(rewards, (Dec.ONE - community_tax).atoms * power, SCALE * total_power)


def compute_total_power(votes: tuple[VoteInfo, ...]) -> int:
    """The power of every validator in the last commit, signed or not."""
    return sum(vote.power for vote in votes)


def is_payable_commit(votes: tuple[VoteInfo, ...], paid_votes: list[tuple[VoteInfo, Validator]]) -> bool:
    """Check that the last commit has power and names at least one validator staking knows (someone to pay)."""
    return compute_total_power(votes) > 0 and len(paid_votes) > 0


def process_inflation(k: DistributionKeeper, ctx: Context, params: Params) -> list[Coin]:
    """Mint the inflation accrued since the last minting block into the distribution account."""
    duration = ctx.block.time_ns - k.get_last_inflation_time(ctx)
    k.set_last_inflation_time(ctx, ctx.block.time_ns)
    denom = k.staking.get_params(ctx).bond_denom
    supply = k.bank.get_supply(ctx, denom)
    amount = compute_block_inflation(supply, params.inflation, duration)
    if amount == 0:
        return []
    minted = [Coin(denom=denom, amount=amount)]
    k.bank.mint_coins(ctx, DISTRIBUTION_ACCOUNT, minted)
    ctx.emit(InflationMinted(amount=minted, supply=supply, duration_ns=duration))
    return minted


def process_fee_collection(k: DistributionKeeper, ctx: Context) -> list[Coin]:
    """Move every fee collected in the previous block from the fee collector to the distribution account."""
    fees = k.bank.get_all_balances(ctx, k.bank.module_account(FEE_COLLECTOR))
    if fees:
        k.bank.send_coins_from_module_to_module(ctx, FEE_COLLECTOR, DISTRIBUTION_ACCOUNT, fees)
    return fees


def get_paid_votes(k: DistributionKeeper, ctx: Context) -> list[tuple[VoteInfo, Validator]]:
    """The votes of the last commit cast by validators staking knows, in commit order, with their validators (a
    vote of an unknown address, say a validator removed since or one outside staking, cannot be paid)."""
    paid = []
    for vote in ctx.block.last_commit:
        validator = k.staking.get_validator_by_consensus(ctx, vote.address)
        if validator is not None:
            paid.append((vote, validator))
    return paid


def process_allocation(k: DistributionKeeper, ctx: Context, params: Params, rewards: DecCoins,
                       votes: list[tuple[VoteInfo, Validator]]) -> None:
    """Credit each validator of the last commit its share by power; the rest goes to the community pool."""
    total_power = compute_total_power(ctx.block.last_commit)
    if not rewards:
        return
    remaining = rewards
    for vote, validator in votes:
        reward = compute_validator_reward(rewards, params.community_tax, vote.power, total_power)
        allocate_to_validator(k, ctx, validator, reward)
        remaining = compute_difference(remaining, reward)
    add_to_community_pool(k, ctx, remaining)
    ctx.emit(BlockRewardsAllocated(total=render_dec_coins(rewards), community_pool=render_dec_coins(remaining),
                                   total_power=total_power))


def allocate_to_validator(k: DistributionKeeper, ctx: Context, validator: Validator, reward: DecCoins) -> None:
    """Split a validator's reward: commission (rate × reward, rounded down) to its operator, the rest to the
    open period of its delegators; all of it becomes outstanding."""
    if not reward:
        return
    operator = validator.operator.raw
    commission = compute_scaled(reward, validator.commission.rate)
    current = get_current_rewards(k, ctx, operator)
    k.set_accumulated_commission(ctx, operator, compute_sum(k.get_accumulated_commission(ctx, operator), commission))
    k.set_current_rewards(ctx, operator, ValidatorCurrentRewards(
        rewards=compute_sum(current.rewards, compute_difference(reward, commission)), period=current.period))
    k.set_outstanding_rewards(ctx, operator, compute_sum(k.get_outstanding_rewards(ctx, operator), reward))
    ctx.emit(RewardsAllocated(validator=validator.operator, rewards=render_dec_coins(reward),
                              commission=render_dec_coins(commission)))

