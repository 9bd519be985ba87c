"""Distribution genesis: validate, init, export. Export then import reproduces every stored key, so the app hash."""
from __future__ import annotations

from typing import Iterable

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.errors import ErrInvalidGenesis, require
from suretychain.modules.distribution.deccoins import is_canonical
from suretychain.modules.distribution.invariants import compute_expected_reference_counts
from suretychain.modules.distribution.keeper import DistributionKeeper
from suretychain.modules.distribution.params import validate_params
from suretychain.modules.distribution.types import (
    AccumulatedCommissionEntry,
    CurrentRewardsEntry,
    FeePool,
    GenesisState,
    HistoricalRewardsEntry,
    OutstandingRewardsEntry,
    SlashEventEntry,
    StartingInfoEntry,
    WithdrawAddressEntry,
)


def default_genesis() -> GenesisState:
    """Default params, an empty community pool, no validators yet (staking's genesis creates them via hooks)."""
    return GenesisState()


def require_unique(keys: Iterable[object], what: str) -> None:
    """No two entries of ``what`` share a key."""
    seen: set[object] = set()
    for i, key in enumerate(keys):
        require(key not in seen, ErrInvalidGenesis, f"{what}[{i}]: duplicate entry")
        seen.add(key)


def validate_genesis(state: GenesisState) -> None:
    """Params valid; every DecCoins in its one form; keys unique; fractions and stakes in range; every validator
    with all its records; reference counts matching what refers to each period."""
    validate_params(state.params)
    require(is_canonical(state.fee_pool.community_pool), ErrInvalidGenesis, "fee_pool: coins not canonical")
    validate_validator_records(state)
    require_unique((e.delegator.raw for e in state.withdraw_addresses), "withdraw_addresses")
    require_unique(((e.validator.raw, e.delegator.raw) for e in state.starting_infos), "starting_infos")
    require_unique(((e.validator.raw, e.height, e.event.validator_period) for e in state.slash_events), "slash_events")
    for i, entry in enumerate(state.starting_infos):
        require(not entry.info.stake.is_negative(), ErrInvalidGenesis, f"starting_infos[{i}]: negative stake")
    for i, entry in enumerate(state.slash_events):
        require(Dec.ZERO <= entry.event.fraction <= Dec.ONE, ErrInvalidGenesis,
                f"slash_events[{i}]: fraction outside [0, 1]")
    validate_reference_counts(state)


def validate_validator_records(state: GenesisState) -> None:
    """Each validator has one outstanding, one commission and one current-rewards entry; amounts canonical."""
    require_unique((e.validator.raw for e in state.outstanding_rewards), "outstanding_rewards")
    require_unique((e.validator.raw for e in state.accumulated_commissions), "accumulated_commissions")
    require_unique((e.validator.raw for e in state.current_rewards), "current_rewards")
    require_unique(((e.validator.raw, e.period) for e in state.historical_rewards), "historical_rewards")
    validators = {e.validator.raw for e in state.current_rewards}
    require({e.validator.raw for e in state.outstanding_rewards} == validators, ErrInvalidGenesis,
            "outstanding_rewards and current_rewards name different validators")
    require({e.validator.raw for e in state.accumulated_commissions} == validators, ErrInvalidGenesis,
            "accumulated_commissions and current_rewards name different validators")
    for i, entry in enumerate(state.outstanding_rewards):
        require(is_canonical(entry.rewards), ErrInvalidGenesis, f"outstanding_rewards[{i}]: coins not canonical")
    for i, entry in enumerate(state.accumulated_commissions):
        require(is_canonical(entry.commission), ErrInvalidGenesis, f"accumulated_commissions[{i}]: not canonical")
    for i, entry in enumerate(state.historical_rewards):
        require(is_canonical(entry.rewards.cumulative_reward_ratio), ErrInvalidGenesis,
                f"historical_rewards[{i}]: ratio not canonical")
    for i, entry in enumerate(state.current_rewards):
        require(entry.rewards.period >= 1, ErrInvalidGenesis, f"current_rewards[{i}]: period must be at least 1")
        require(is_canonical(entry.rewards.rewards), ErrInvalidGenesis, f"current_rewards[{i}]: not canonical")


def validate_reference_counts(state: GenesisState) -> None:
    """Every historical period is stored with exactly the count of records that need it, and nothing more."""
    expected = compute_expected_reference_counts(
        ((e.validator.raw, e.rewards.period) for e in state.current_rewards),
        ((e.validator.raw, e.info) for e in state.starting_infos),
        ((e.validator.raw, e.event) for e in state.slash_events))
    stored = {(e.validator.raw, e.period): e.rewards.reference_count for e in state.historical_rewards}
    for (operator, period), count in sorted(stored.items()):
        require(expected.get((operator, period), 0) == count, ErrInvalidGenesis,
                f"historical_rewards {ValAddress.from_raw(operator)} period {period}: reference count {count}, "
                f"needed {expected.get((operator, period), 0)}")
    missing = sorted(set(expected) - set(stored))
    require(not missing, ErrInvalidGenesis, f"{len(missing)} referenced historical periods are missing")


def init_genesis(k: DistributionKeeper, ctx: Context, state: GenesisState) -> None:
    """Write every record; inflation starts accruing at the genesis time unless the state says otherwise."""
    k.set_params(ctx, state.params)
    k.set_community_pool(ctx, state.fee_pool.community_pool)
    k.set_last_inflation_time(ctx, state.last_inflation_time_ns or ctx.block.time_ns)
    for address in state.withdraw_addresses:
        k.set_withdraw_address(ctx, address.delegator.raw, address.withdraw_address.raw)
    for outstanding in state.outstanding_rewards:
        k.set_outstanding_rewards(ctx, outstanding.validator.raw, outstanding.rewards)
    for commission in state.accumulated_commissions:
        k.set_accumulated_commission(ctx, commission.validator.raw, commission.commission)
    for historical in state.historical_rewards:
        k.set_historical_rewards(ctx, historical.validator.raw, historical.period, historical.rewards)
    for current in state.current_rewards:
        k.set_current_rewards(ctx, current.validator.raw, current.rewards)
    for start in state.starting_infos:
        k.set_starting_info(ctx, start.validator.raw, start.delegator.raw, start.info)
    for slash in state.slash_events:
        k.set_slash_event(ctx, slash.validator.raw, slash.height, slash.event)


def export_genesis(k: DistributionKeeper, ctx: Context) -> GenesisState:
    """Every record in store order."""
    return GenesisState(
        params=k.get_params(ctx),
        fee_pool=FeePool(community_pool=k.get_community_pool(ctx)),
        last_inflation_time_ns=k.get_last_inflation_time(ctx),
        withdraw_addresses=[WithdrawAddressEntry(delegator=Address.from_raw(d), withdraw_address=Address.from_raw(w))
                            for d, w in k.iter_withdraw_addresses(ctx)],
        outstanding_rewards=[OutstandingRewardsEntry(validator=ValAddress.from_raw(op), rewards=rewards)
                             for op, rewards in k.iter_outstanding_rewards(ctx)],
        accumulated_commissions=[AccumulatedCommissionEntry(validator=ValAddress.from_raw(op), commission=commission)
                                 for op, commission in k.iter_accumulated_commissions(ctx)],
        historical_rewards=[HistoricalRewardsEntry(validator=ValAddress.from_raw(op), period=period, rewards=record)
                            for op, period, record in k.iter_historical_rewards(ctx)],
        current_rewards=[CurrentRewardsEntry(validator=ValAddress.from_raw(op), rewards=current)
                         for op, current in k.iter_current_rewards(ctx)],
        starting_infos=[StartingInfoEntry(delegator=Address.from_raw(d), validator=ValAddress.from_raw(op), info=info)
                        for op, d, info in k.iter_starting_infos(ctx)],
        slash_events=[SlashEventEntry(validator=ValAddress.from_raw(op), height=height, event=event)
                      for op, height, event in k.iter_slash_events(ctx)],
    )
