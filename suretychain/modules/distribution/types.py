"""Distribution records, msgs, genesis state and query types (Cosmos SDK x/distribution, F1 fee distribution)."""
from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Denom, Height, Record, Timestamp, ValAddress
from suretychain.core.tx import Coins, Msg
from suretychain.modules.distribution.params import Params

MODULE = "distribution"
DISTRIBUTION_ACCOUNT = "distribution"  # the module account holding every unpaid reward and the community pool
YEAR_NS = 31_557_600 * 10**9  # a Julian year (365.25 days): the "year" of the inflation rate

Period = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]


# ---- records -------------------------------------------------------------------------------------------------------
class DecCoin(Record):
    """An amount of one denom with 18 decimal places (rewards before they are paid)."""

    denom: Denom
    amount: Dec


class FeePool(Record):
    """The community pool: rewards that belong to no one yet (community tax, dust, rewards of empty periods)."""

    community_pool: list[DecCoin] = []


class ValidatorHistoricalRewards(Record):
    """The reward per token a stake earned from the validator's creation to the end of one period, and how many
    records still need it (the next period while it is current, delegations starting there, slash events)."""

    cumulative_reward_ratio: list[DecCoin]
    reference_count: Annotated[int, msgspec.Meta(ge=0, le=2**32 - 1)]


class ValidatorCurrentRewards(Record):
    """The rewards (after commission) of the period not yet closed, and its number."""

    rewards: list[DecCoin]
    period: Period


class DelegatorStartingInfo(Record):
    """Where a delegation's rewards start: the period it was last withdrawn at, its stake then and the height."""

    previous_period: Period
    stake: Dec
    height: Height


class ValidatorSlashEvent(Record):
    """A slash that ended ``validator_period``: stakes shrink by ``fraction`` from the next period on."""

    validator_period: Period
    fraction: Dec


class ValidatorOutstandingRewards(Record):
    """Everything allocated to a validator and not yet paid: its commission and its delegators' rewards."""

    rewards: list[DecCoin]


class ValidatorAccumulatedCommission(Record):
    """Commission not yet withdrawn by the operator."""

    commission: list[DecCoin]


# ---- genesis -------------------------------------------------------------------------------------------------------
class WithdrawAddressEntry(Record):
    delegator: Address
    withdraw_address: Address


class OutstandingRewardsEntry(Record):
    validator: ValAddress
    rewards: list[DecCoin]


class AccumulatedCommissionEntry(Record):
    validator: ValAddress
    commission: list[DecCoin]


class HistoricalRewardsEntry(Record):
    validator: ValAddress
    period: Period
    rewards: ValidatorHistoricalRewards


class CurrentRewardsEntry(Record):
    validator: ValAddress
    rewards: ValidatorCurrentRewards


class StartingInfoEntry(Record):
    delegator: Address
    validator: ValAddress
    info: DelegatorStartingInfo


class SlashEventEntry(Record):
    validator: ValAddress
    height: Height
    event: ValidatorSlashEvent


class GenesisState(Record):
    """The whole distribution state; ``last_inflation_time_ns`` 0 means "the genesis time"."""

    params: Params = msgspec.field(default_factory=Params)
    fee_pool: FeePool = msgspec.field(default_factory=FeePool)
    last_inflation_time_ns: Timestamp = 0
    withdraw_addresses: list[WithdrawAddressEntry] = []
    outstanding_rewards: list[OutstandingRewardsEntry] = []
    accumulated_commissions: list[AccumulatedCommissionEntry] = []
    historical_rewards: list[HistoricalRewardsEntry] = []
    current_rewards: list[CurrentRewardsEntry] = []
    starting_infos: list[StartingInfoEntry] = []
    slash_events: list[SlashEventEntry] = []


# ---- msgs ----------------------------------------------------------------------------------------------------------
class MsgWithdrawDelegatorReward(Msg, tag="distribution/MsgWithdrawDelegatorReward"):
    """Pay a delegation's rewards so far to the delegator's withdraw address."""

    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    validator: ValAddress


class MsgWithdrawValidatorCommission(Msg, tag="distribution/MsgWithdrawValidatorCommission"):
    """Pay a validator's accumulated commission to its operator's withdraw address; signed by the operator."""

    SIGNER_FIELD: ClassVar[str] = ""
    validator: ValAddress

    def signer(self) -> Address:
        """The operator's account (the same 20 bytes as the validator address)."""
        return Address.from_raw(self.validator.raw)


class MsgSetWithdrawAddress(Msg, tag="distribution/MsgSetWithdrawAddress"):
    """Send the delegator's future rewards (and commission, for an operator) to another account."""

    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    withdraw_address: Address


class MsgFundCommunityPool(Msg, tag="distribution/MsgFundCommunityPool"):
    """Give coins to the community pool."""

    SIGNER_FIELD: ClassVar[str] = "depositor"
    depositor: Address
    amount: Coins


# ---- queries -------------------------------------------------------------------------------------------------------
class QueryRewards(Record):
    delegator: Address
    validator: ValAddress | None = None


class QueryValidator(Record):
    validator: ValAddress


class QueryDelegator(Record):
    delegator: Address


class QueryParams(Record):
    pass


class DelegationRewards(Record):
    validator: ValAddress
    reward: list[DecCoin]


class RewardsResponse(Record):
    rewards: list[DelegationRewards]
    total: list[DecCoin]


class CommissionResponse(Record):
    commission: list[DecCoin]


class OutstandingResponse(Record):
    rewards: list[DecCoin]


class CommunityPoolResponse(Record):
    pool: list[DecCoin]


class WithdrawAddressResponse(Record):
    withdraw_address: Address
