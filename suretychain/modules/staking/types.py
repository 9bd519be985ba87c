"""Staking records, msgs, params, errors, events and hook records (Cosmos SDK x/staking semantics)."""
from __future__ import annotations

import enum
from typing import Annotated, ClassVar

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Amount, Denom, Height, Record, Timestamp, ValAddress
from suretychain.core.errors import register_error
from suretychain.core.events import TypedEvent
from suretychain.core.tx import Coin, Msg

MODULE = "staking"
BONDED_POOL = "bonded_tokens_pool"
NOT_BONDED_POOL = "not_bonded_tokens_pool"
POWER_REDUCTION = 10**6  # consensus power = tokens // 10^6 (one SRT is one unit of power)
DAY_NS = 86_400 * 10**9
PubKey = Annotated[bytes, msgspec.Meta(min_length=32, max_length=32)]

# ---- errors --------------------------------------------------------------------------------------------------------
ErrValidatorExists = register_error(MODULE, 2, "validator already exists for this operator")
ErrConsensusKeyTaken = register_error(MODULE, 3, "consensus public key already used by another validator")
ErrValidatorNotFound = register_error(MODULE, 4, "validator not found", not_found=True)
ErrBadDenom = register_error(MODULE, 5, "amount is not in the bond denom")
ErrCommissionInvalid = register_error(MODULE, 6, "invalid commission")
ErrCommissionChangeTooBig = register_error(MODULE, 7, "commission change exceeds the max daily change")
ErrCommissionChangeTooSoon = register_error(MODULE, 8, "commission can change once per 24 hours")
ErrSelfDelegationBelowMin = register_error(MODULE, 9, "self-delegation below the validator's minimum")
ErrMinSelfDelegationDecreased = register_error(MODULE, 10, "min self-delegation can only increase")
ErrDelegationNotFound = register_error(MODULE, 11, "delegation not found", not_found=True)
ErrNotEnoughDelegation = register_error(MODULE, 12, "undelegating more than delegated")
ErrTooManyEntries = register_error(MODULE, 13, "too many unbonding or redelegation entries for this pair")
ErrSelfRedelegation = register_error(MODULE, 14, "cannot redelegate to the same validator")
ErrTransitiveRedelegation = register_error(MODULE, 15, "redelegation into the source validator is still maturing")
ErrValidatorTombstoned = register_error(MODULE, 16, "validator is tombstoned")
ErrUnbondingNotFound = register_error(MODULE, 17, "unbonding entry not found", not_found=True)
ErrCancelTooMuch = register_error(MODULE, 18, "cancel amount exceeds the unbonding entry")
ErrValidatorJailed = register_error(MODULE, 19, "validator is jailed")
ErrInvalidDescription = register_error(MODULE, 20, "invalid description")
ErrZeroAmount = register_error(MODULE, 21, "amount must be positive")
ErrZeroShares = register_error(MODULE, 22, "amount too small: it buys no shares")
ErrValidatorHasNoTokens = register_error(MODULE, 23, "validator has no tokens and all its shares are worthless")
ErrInvalidParams = register_error(MODULE, 24, "invalid staking params")


class BondStatus(enum.IntEnum):
    """A validator's place in the consensus set."""

    UNBONDED = 1
    UNBONDING = 2
    BONDED = 3


class InfractionKind(enum.IntEnum):
    """Why a validator is slashed."""

    DOWNTIME = 1
    DOUBLE_SIGN = 2


# ---- params --------------------------------------------------------------------------------------------------------
class Params(Record):
    """Staking params.

    | name | default | unit | why |
    |---|---|---|---|
    | unbonding_time_ns | 21 days | ns | evidence of a fault can arrive this long after it; stake stays slashable |
    | max_validators | 100 | | the size of the consensus set |
    | max_entries | 7 | | unbonding/redelegation entries per pair (bounds the work of a slash) |
    | bond_denom | usrt | | the staked token |
    | min_commission_rate | 0 | Dec | a floor governance may raise |
    """

    unbonding_time_ns: Annotated[int, msgspec.Meta(ge=1)] = 21 * DAY_NS
    max_validators: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 100
    max_entries: Annotated[int, msgspec.Meta(ge=1, le=100)] = 7
    bond_denom: Denom = "usrt"
    min_commission_rate: Dec = Dec.ZERO


# ---- records -------------------------------------------------------------------------------------------------------
class Description(Record):
    """Who runs a validator, as they describe themselves."""

    moniker: Annotated[str, msgspec.Meta(min_length=1, max_length=70)]
    website: Annotated[str, msgspec.Meta(max_length=140)] = ""
    details: Annotated[str, msgspec.Meta(max_length=280)] = ""


class Commission(Record):
    """Commission rates and when the rate last changed."""

    rate: Dec
    max_rate: Dec
    max_change_rate: Dec
    update_time_ns: Timestamp = 0


class Validator(Record):
    """A validator: its keys, stake (tokens and the delegator shares that divide them), status and commission."""

    operator: ValAddress
    consensus_pubkey: PubKey
    vrf_pubkey: PubKey
    description: Description
    commission: Commission
    min_self_delegation: Amount
    tokens: Amount = 0
    delegator_shares: Dec = Dec.ZERO
    status: BondStatus = BondStatus.UNBONDED
    jailed: bool = False
    tombstoned: bool = False
    unbonding_height: Height = 0
    unbonding_time_ns: Timestamp = 0


class Delegation(Record):
    """A delegator's shares of a validator."""

    delegator: Address
    validator: ValAddress
    shares: Dec


class UnbondingEntry(Record):
    """Tokens leaving a validator: slashable until they are paid out at completion."""

    creation_height: Height
    completion_time_ns: Timestamp
    initial_balance: Amount
    balance: Amount


class UnbondingDelegation(Record):
    """All unbonding entries of one delegator from one validator."""

    delegator: Address
    validator: ValAddress
    entries: list[UnbondingEntry]


class RedelegationEntry(Record):
    """Stake moved from one validator to another: the source may still slash it until completion."""

    creation_height: Height
    completion_time_ns: Timestamp
    initial_balance: Amount
    shares_dst: Dec


class Redelegation(Record):
    """All redelegation entries of one delegator between one source and one destination."""

    delegator: Address
    src_validator: ValAddress
    dst_validator: ValAddress
    entries: list[RedelegationEntry]


class LastPower(Record):
    """A validator's power in the consensus set as of the last end-block."""

    operator: ValAddress
    power: int


class GenesisValidator(Record):
    """A validator to create at genesis from its operator's funds (like a gentx)."""

    operator: Address
    consensus_pubkey: PubKey
    vrf_pubkey: PubKey
    description: Description
    commission: Commission
    min_self_delegation: Amount
    self_bond: Amount


class GenesisDelegation(Record):
    """A delegation to make at genesis from the delegator's funded account (after the genesis validators)."""

    delegator: Address
    validator: ValAddress
    amount: Amount


class GenesisState(Record):
    """Staking genesis: the full state (as exported) plus validators and delegations to create from funded
    accounts, as txs at genesis would (so every module's hooks see them)."""

    params: Params = msgspec.field(default_factory=Params)
    validators: list[Validator] = []
    delegations: list[Delegation] = []
    unbonding_delegations: list[UnbondingDelegation] = []
    redelegations: list[Redelegation] = []
    last_powers: list[LastPower] = []
    genesis_validators: list[GenesisValidator] = []
    genesis_delegations: list[GenesisDelegation] = []


# ---- msgs ----------------------------------------------------------------------------------------------------------
class MsgCreateValidator(Msg, tag="staking/MsgCreateValidator"):
    """Become a validator with an initial self-bond."""

    SIGNER_FIELD: ClassVar[str] = "operator"
    operator: Address
    consensus_pubkey: PubKey
    vrf_pubkey: PubKey
    description: Description
    commission_rate: Dec
    commission_max_rate: Dec
    commission_max_change_rate: Dec
    min_self_delegation: Amount
    self_bond: Coin


class MsgEditValidator(Msg, tag="staking/MsgEditValidator"):
    """Change the description, the commission rate (within the daily max) or raise the min self-delegation."""

    SIGNER_FIELD: ClassVar[str] = "operator"
    operator: Address
    description: Description | None = None
    commission_rate: Dec | None = None
    min_self_delegation: Amount | None = None


class MsgDelegate(Msg, tag="staking/MsgDelegate"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    validator: ValAddress
    amount: Coin


class MsgUndelegate(Msg, tag="staking/MsgUndelegate"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    validator: ValAddress
    amount: Coin


class MsgBeginRedelegate(Msg, tag="staking/MsgBeginRedelegate"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    src_validator: ValAddress
    dst_validator: ValAddress
    amount: Coin


class MsgCancelUnbondingDelegation(Msg, tag="staking/MsgCancelUnbondingDelegation"):
    """Put (part of) an unbonding entry back into the delegation it came from."""

    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    validator: ValAddress
    amount: Coin
    creation_height: Height


# ---- events --------------------------------------------------------------------------------------------------------
class StakingEvent(TypedEvent):
    MODULE: ClassVar[str] = MODULE


class ValidatorCreated(StakingEvent):
    validator: ValAddress
    self_bond: str


class ValidatorEdited(StakingEvent):
    validator: ValAddress
    commission_rate: str
    min_self_delegation: int


class Delegated(StakingEvent):
    delegator: Address
    validator: ValAddress
    amount: int
    shares: str


class UnbondingBegun(StakingEvent):
    delegator: Address
    validator: ValAddress
    amount: int
    completion_time_ns: int


class UnbondingCompleted(StakingEvent):
    delegator: Address
    validator: ValAddress
    amount: int


class RedelegationBegun(StakingEvent):
    delegator: Address
    src_validator: ValAddress
    dst_validator: ValAddress
    amount: int
    completion_time_ns: int


class RedelegationCompleted(StakingEvent):
    delegator: Address
    src_validator: ValAddress
    dst_validator: ValAddress


class UnbondingCancelled(StakingEvent):
    delegator: Address
    validator: ValAddress
    amount: int
    creation_height: int


class ValidatorSetChanged(StakingEvent):
    validator: ValAddress
    power: int


class ValidatorStatusChanged(StakingEvent):
    validator: ValAddress
    status: str


class Slashed(StakingEvent):
    validator: ValAddress
    infraction: str
    infraction_height: int
    fraction: str
    burned: int


class Jailed(StakingEvent):
    validator: ValAddress
    reason: str


class Unjailed(StakingEvent):
    validator: ValAddress


class Tombstoned(StakingEvent):
    validator: ValAddress


# ---- hook records (see suretychain/core/hooks.py) ------------------------------------------------------------------
class HookValidatorCreated(Record):
    validator: ValAddress


class HookValidatorRemoved(Record):
    validator: ValAddress
    consensus_address: bytes


class HookValidatorBonded(Record):
    validator: ValAddress


class HookValidatorBeginUnbonding(Record):
    validator: ValAddress


class HookBeforeDelegationCreated(Record):
    delegator: Address
    validator: ValAddress


class HookBeforeDelegationSharesModified(Record):
    delegator: Address
    validator: ValAddress


class HookDelegationModified(Record):
    """After a delegation was created or its shares changed."""

    delegator: Address
    validator: ValAddress
    shares: Dec


class HookBeforeDelegationRemoved(Record):
    delegator: Address
    validator: ValAddress


class HookBeforeUnbond(Record):
    """Before stake leaves a delegation by undelegation or redelegation: a subscriber may refuse it with a coded
    error (the insurance module keeps an operator's insured collateral in place this way)."""

    delegator: Address
    validator: ValAddress
    tokens: Amount
    kind: str  # "undelegate" | "redelegate"


class HookUnbondingStarted(Record):
    delegator: Address
    validator: ValAddress
    creation_height: Height
    completion_time_ns: Timestamp
    amount: Amount


class HookUnbondingCompleted(Record):
    delegator: Address
    validator: ValAddress
    creation_height: Height
    amount_paid: Amount


class HookRedelegationStarted(Record):
    delegator: Address
    src_validator: ValAddress
    dst_validator: ValAddress
    creation_height: Height
    completion_time_ns: Timestamp
    amount: Amount


class HookRedelegationCompleted(Record):
    delegator: Address
    src_validator: ValAddress
    dst_validator: ValAddress
    creation_height: Height


class HookBeforeValidatorSlashed(Record):
    """Before the validator's tokens drop: ``fraction`` is the share of its tokens about to be burned."""

    validator: ValAddress
    fraction: Dec


class EntrySlash(Record):
    """What a slash took from one unbonding or redelegation entry."""

    delegator: Address
    kind: str  # "unbonding" | "redelegation"
    creation_height: Height
    amount: Amount
    dst_validator: ValAddress | None = None


class HookValidatorSlashed(Record):
    """After a slash: every figure the insurance and distribution modules need."""

    validator: ValAddress
    infraction: InfractionKind
    infraction_height: Height
    infraction_time_ns: Timestamp
    fraction: Dec  # the slash fraction asked for
    burned: Amount  # tokens actually burned from the validator's own tokens
    tokens_before: Amount
    tokens_after: Amount
    shares: Dec  # the validator's delegator shares (unchanged by a slash)
    entry_slashes: list[EntrySlash] = []


class HookValidatorJailed(Record):
    validator: ValAddress
    reason: str  # "downtime" | "double_sign" | "self_delegation_below_min"


class HookValidatorTombstoned(Record):
    validator: ValAddress


class HookValidatorUnjailed(Record):
    validator: ValAddress
