"""Distribution keeper: typed access to the distribution prefix, and the keepers it declared (``expected.py``)."""
from __future__ import annotations

from typing import Iterator

from suretychain.core.context import Context
from suretychain.core.encoding import Address, decode_record, encode
from suretychain.core.keeper import ModuleKeeper
from suretychain.core.kv import prefix_end
from suretychain.modules.distribution import keys
from suretychain.modules.distribution.expected import BankKeeper, StakingKeeper
from suretychain.modules.distribution.params import Params
from suretychain.modules.distribution.types import (
    DecCoin,
    DelegatorStartingInfo,
    FeePool,
    ValidatorAccumulatedCommission,
    ValidatorCurrentRewards,
    ValidatorHistoricalRewards,
    ValidatorOutstandingRewards,
    ValidatorSlashEvent,
)


class DistributionKeeper(ModuleKeeper):
    """Rewards state per validator and delegation, the community pool, params and withdraw addresses."""

    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, bank: BankKeeper, staking: StakingKeeper) -> None:
        self.bank = bank
        self.staking = staking

    # ---- fee pool, block time (params: ModuleKeeper) ---------------------------------------------------------
    def get_community_pool(self, ctx: Context) -> list[DecCoin]:
        raw = self._kv(ctx).get(keys.FEE_POOL_KEY)
        return decode_record(raw, FeePool).community_pool if raw else []

    def set_community_pool(self, ctx: Context, pool: list[DecCoin]) -> None:
        self._kv(ctx).set(keys.FEE_POOL_KEY, encode(FeePool(community_pool=pool)))

    def get_last_inflation_time(self, ctx: Context) -> int:
        """The time up to which inflation has been minted (the genesis time before the first minting block)."""
        raw = self._kv(ctx).get(keys.LAST_INFLATION_TIME_KEY)
        return decode_record(raw, int) if raw else ctx.block.time_ns

    def set_last_inflation_time(self, ctx: Context, time_ns: int) -> None:
        self._kv(ctx).set(keys.LAST_INFLATION_TIME_KEY, encode(time_ns))

    # ---- outstanding rewards and commission ------------------------------------------------------------------
    def get_outstanding_rewards(self, ctx: Context, operator: bytes) -> list[DecCoin]:
        raw = self._kv(ctx).get(keys.outstanding_rewards_key(operator))
        return decode_record(raw, ValidatorOutstandingRewards).rewards if raw else []

    def has_outstanding_rewards(self, ctx: Context, operator: bytes) -> bool:
        return self._kv(ctx).get(keys.outstanding_rewards_key(operator)) is not None

    def set_outstanding_rewards(self, ctx: Context, operator: bytes, rewards: list[DecCoin]) -> None:
        self._kv(ctx).set(keys.outstanding_rewards_key(operator), encode(ValidatorOutstandingRewards(rewards=rewards)))

    def delete_outstanding_rewards(self, ctx: Context, operator: bytes) -> None:
        self._kv(ctx).delete(keys.outstanding_rewards_key(operator))

    def iter_outstanding_rewards(self, ctx: Context) -> Iterator[tuple[bytes, list[DecCoin]]]:
        """``(operator, rewards)`` in operator-byte order."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.OUTSTANDING_REWARDS):
            yield keys.split_operator_key(key), decode_record(raw, ValidatorOutstandingRewards).rewards

    def get_accumulated_commission(self, ctx: Context, operator: bytes) -> list[DecCoin]:
        raw = self._kv(ctx).get(keys.accumulated_commission_key(operator))
        return decode_record(raw, ValidatorAccumulatedCommission).commission if raw else []

    def set_accumulated_commission(self, ctx: Context, operator: bytes, commission: list[DecCoin]) -> None:
        self._kv(ctx).set(keys.accumulated_commission_key(operator),
                          encode(ValidatorAccumulatedCommission(commission=commission)))

    def delete_accumulated_commission(self, ctx: Context, operator: bytes) -> None:
        self._kv(ctx).delete(keys.accumulated_commission_key(operator))

    def iter_accumulated_commissions(self, ctx: Context) -> Iterator[tuple[bytes, list[DecCoin]]]:
        """``(operator, commission)`` in operator-byte order."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.ACCUMULATED_COMMISSION):
            yield keys.split_operator_key(key), decode_record(raw, ValidatorAccumulatedCommission).commission

    # ---- periods ---------------------------------------------------------------------------------------------
    def get_historical_rewards(self, ctx: Context, operator: bytes, period: int) -> ValidatorHistoricalRewards | None:
        raw = self._kv(ctx).get(keys.historical_rewards_key(operator, period))
        return decode_record(raw, ValidatorHistoricalRewards) if raw else None

    def set_historical_rewards(self, ctx: Context, operator: bytes, period: int,
                               rewards: ValidatorHistoricalRewards) -> None:
        self._kv(ctx).set(keys.historical_rewards_key(operator, period), encode(rewards))

    def delete_historical_rewards(self, ctx: Context, operator: bytes, period: int) -> None:
        self._kv(ctx).delete(keys.historical_rewards_key(operator, period))

    def iter_historical_rewards(self, ctx: Context, operator: bytes = b"") -> Iterator[
            tuple[bytes, int, ValidatorHistoricalRewards]]:
        """``(operator, period, rewards)`` in key order, of one validator or (no operator) of all."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.HISTORICAL_REWARDS + operator):
            operator_raw, period = keys.split_historical_key(key)
            yield operator_raw, period, decode_record(raw, ValidatorHistoricalRewards)

    def get_current_rewards(self, ctx: Context, operator: bytes) -> ValidatorCurrentRewards | None:
        raw = self._kv(ctx).get(keys.current_rewards_key(operator))
        return decode_record(raw, ValidatorCurrentRewards) if raw else None

    def set_current_rewards(self, ctx: Context, operator: bytes, rewards: ValidatorCurrentRewards) -> None:
        self._kv(ctx).set(keys.current_rewards_key(operator), encode(rewards))

    def delete_current_rewards(self, ctx: Context, operator: bytes) -> None:
        self._kv(ctx).delete(keys.current_rewards_key(operator))

    def iter_current_rewards(self, ctx: Context) -> Iterator[tuple[bytes, ValidatorCurrentRewards]]:
        """``(operator, current rewards)`` in operator-byte order."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.CURRENT_REWARDS):
            yield keys.split_operator_key(key), decode_record(raw, ValidatorCurrentRewards)

    # ---- delegations -----------------------------------------------------------------------------------------
    def get_starting_info(self, ctx: Context, operator: bytes, delegator: bytes) -> DelegatorStartingInfo | None:
        raw = self._kv(ctx).get(keys.starting_info_key(operator, delegator))
        return decode_record(raw, DelegatorStartingInfo) if raw else None

    def set_starting_info(self, ctx: Context, operator: bytes, delegator: bytes, info: DelegatorStartingInfo) -> None:
        self._kv(ctx).set(keys.starting_info_key(operator, delegator), encode(info))

    def delete_starting_info(self, ctx: Context, operator: bytes, delegator: bytes) -> None:
        self._kv(ctx).delete(keys.starting_info_key(operator, delegator))

    def iter_starting_infos(self, ctx: Context, operator: bytes = b"") -> Iterator[
            tuple[bytes, bytes, DelegatorStartingInfo]]:
        """``(operator, delegator, info)`` in key order, of one validator or (no operator) of all."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.STARTING_INFO + operator):
            operator_raw, delegator = keys.split_starting_info_key(key)
            yield operator_raw, delegator, decode_record(raw, DelegatorStartingInfo)

    # ---- slash events ----------------------------------------------------------------------------------------
    def get_slash_event(self, ctx: Context, operator: bytes, height: int, period: int) -> ValidatorSlashEvent | None:
        raw = self._kv(ctx).get(keys.slash_event_key(operator, height, period))
        return decode_record(raw, ValidatorSlashEvent) if raw else None

    def set_slash_event(self, ctx: Context, operator: bytes, height: int, event: ValidatorSlashEvent) -> None:
        self._kv(ctx).set(keys.slash_event_key(operator, height, event.validator_period), encode(event))

    def delete_slash_event(self, ctx: Context, operator: bytes, height: int, period: int) -> None:
        self._kv(ctx).delete(keys.slash_event_key(operator, height, period))

    def iter_slash_events(self, ctx: Context, operator: bytes = b"", from_height: int = 0) -> Iterator[
            tuple[bytes, int, ValidatorSlashEvent]]:
        """``(operator, height, event)`` in key order (height, then period), of one validator from ``from_height``
        on, or (no operator) of all."""
        if operator:
            start = keys.SLASH_EVENT + operator + keys.u64(from_height)
            entries = self._kv(ctx).iterate(start, prefix_end(keys.SLASH_EVENT + operator))
        else:
            entries = self._kv(ctx).iterate_prefix(keys.SLASH_EVENT)
        for key, raw in entries:
            operator_raw, height, _ = keys.split_slash_event_key(key)
            yield operator_raw, height, decode_record(raw, ValidatorSlashEvent)

    # ---- withdraw addresses ----------------------------------------------------------------------------------
    def get_withdraw_address(self, ctx: Context, delegator: bytes) -> Address:
        """Where ``delegator``'s rewards go: the address it set, else itself."""
        raw = self._kv(ctx).get(keys.withdraw_address_key(delegator))
        return Address.from_raw(raw if raw else delegator)

    def set_withdraw_address(self, ctx: Context, delegator: bytes, withdraw_address: bytes) -> None:
        """Record a withdraw address; setting it back to the delegator itself deletes the record."""
        key = keys.withdraw_address_key(delegator)
        if withdraw_address == delegator:
            self._kv(ctx).delete(key)
        else:
            self._kv(ctx).set(key, withdraw_address)

    def iter_withdraw_addresses(self, ctx: Context) -> Iterator[tuple[bytes, bytes]]:
        """``(delegator, withdraw address)`` of every address set, in delegator-byte order."""
        for key, raw in self._kv(ctx).iterate_prefix(keys.WITHDRAW_ADDRESS):
            yield key[1:], raw
