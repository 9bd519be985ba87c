"""Insurance records, msgs, genesis and query types, with their field bounds."""
from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec

from suretychain.core.dec import Dec
from suretychain.core.encoding import Address, Amount, Denom, Record, Timestamp, ValAddress
from suretychain.core.tx import Coin, Msg
from suretychain.modules.insurance.params import Params
from suretychain.modules.staking.types import InfractionKind

MODULE = "insurance"
INSURANCE_ACCOUNT = "insurance"  # transit account: the forfeited self-bond passes through it to the delegators
TREASURY = "treasury"  # receives the protocol commission on premiums
MAX_PREMIUM_DENOMS = 4
MAX_DURATION_NS = 10 * 365 * 86_400 * 10**9  # ten years: keeps end dates far inside a Timestamp
Id = Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
Duration = Annotated[int, msgspec.Meta(ge=1, le=MAX_DURATION_NS)]
Infractions = Annotated[list[InfractionKind], msgspec.Meta(min_length=1, max_length=2)]


class PremiumRate(Record):
    """A premium in one denom: ``rate`` base units of ``denom`` per insured base unit of stake, per duration."""

    denom: Denom
    rate: Dec


Premium = Annotated[list[PremiumRate], msgspec.Meta(max_length=MAX_PREMIUM_DENOMS)]


# ---- records -------------------------------------------------------------------------------------------------------
class Term(Record):
    """A validator's insurance offer (the seed's ``Term``)."""

    id: Id
    validator: ValAddress
    coverage: Dec  # fraction of the loss refunded, in (0, 1]
    premium: Premium
    duration_ns: Duration
    slashing_infractions: Infractions  # ascending, no duplicates


class Insurance(Record):
    """A bought insurance: a copy of the term as bought, the covered period and the insured stake. ``id`` is the
    issuance order (refunds are paid oldest first)."""

    id: Id
    delegator: Address
    validator: ValAddress
    term: Term
    start_ns: Timestamp  # when it was bought: infractions before it are not covered
    end_ns: Timestamp  # end date: infractions at or after it are not covered
    expire_ns: Timestamp  # when it leaves the state: end date + the evidence grace of that time
    insured_stake: Amount
    period_start_ns: Timestamp  # start of the paid time that ``paid`` buys (for pro-rata credit)
    paid: list[Coin] = []  # premium paid for [period_start_ns, end_ns], net of the protocol commission
    subscribed: bool = False
    refunded: Amount = 0  # total refunds received
    shortfall: Amount = 0  # total refunds owed but not paid (collateral ran out)


class Exposure(Record):
    """A validator's insurance liability, in the sums the solvency rule needs (``Σ coverage × insured stake`` over its
    live insurances, split by the infractions they cover), plus what happened to it."""

    validator: ValAddress
    downtime_only: Dec = Dec.ZERO
    double_sign_only: Dec = Dec.ZERO
    both: Dec = Dec.ZERO
    count: Amount = 0  # live insurances (not expired, not finalized)
    impaired: bool = False  # a slash left the self-bond short of TotalRefund (shortfall events account for it)
    tombstoned: bool = False  # its insurances are finalized
    shortfall: Amount = 0  # total refunds owed but not paid


class Counters(Record):
    next_term_id: Id = 1
    next_insurance_id: Id = 1


# ---- msgs ----------------------------------------------------------------------------------------------------------
class MsgCreateInsuranceTerm(Msg, tag="insurance/MsgCreateInsuranceTerm"):
    SIGNER_FIELD: ClassVar[str] = "operator"
    operator: Address
    coverage: Dec
    premium: Premium
    duration_ns: Duration
    slashing_infractions: Infractions


class MsgEditInsuranceTerm(Msg, tag="insurance/MsgEditInsuranceTerm"):
    """Replace a term: the new one gets a new id; insurances bought under the old one keep it."""

    SIGNER_FIELD: ClassVar[str] = "operator"
    operator: Address
    term_id: Id
    coverage: Dec
    premium: Premium
    duration_ns: Duration
    slashing_infractions: Infractions


class MsgDeleteInsuranceTerm(Msg, tag="insurance/MsgDeleteInsuranceTerm"):
    SIGNER_FIELD: ClassVar[str] = "operator"
    operator: Address
    term_id: Id


class MsgBuyInsurance(Msg, tag="insurance/MsgBuyInsurance"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    validator: ValAddress
    term_id: Id
    insured_stake: Amount


class MsgExtendInsurance(Msg, tag="insurance/MsgExtendInsurance"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    insurance_id: Id


class MsgCancelInsurance(Msg, tag="insurance/MsgCancelInsurance"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    insurance_id: Id


class MsgSubscribeInsurance(Msg, tag="insurance/MsgSubscribeInsurance"):
    """Renew the insurance at each end date from the delegator's balance while the term is unchanged."""

    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    insurance_id: Id


class MsgUnsubscribe(Msg, tag="insurance/MsgUnsubscribe"):
    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    insurance_id: Id


class MsgSwitchInsuranceTerm(Msg, tag="insurance/MsgSwitchInsuranceTerm"):
    """Move an insurance to another term of the same validator, crediting the unused premium."""

    SIGNER_FIELD: ClassVar[str] = "delegator"
    delegator: Address
    insurance_id: Id
    term_id: Id


# ---- genesis -------------------------------------------------------------------------------------------------------
class ValidatorState(Record):
    """What genesis keeps of an ``Exposure`` beyond the sums (which init recomputes from the insurances)."""

    validator: ValAddress
    impaired: bool = False
    tombstoned: bool = False
    shortfall: Amount = 0


class GenesisState(Record):
    params: Params = msgspec.field(default_factory=Params)
    counters: Counters = msgspec.field(default_factory=Counters)
    terms: list[Term] = []
    insurances: list[Insurance] = []
    validator_states: list[ValidatorState] = []


# ---- queries -------------------------------------------------------------------------------------------------------
class QueryParams(Record):
    pass


class QueryValidator(Record):
    validator: ValAddress


class QueryId(Record):
    id: Id


class QueryInsurances(Record):
    delegator: Address | None = None
    validator: ValAddress | None = None


class TermsResponse(Record):
    terms: list[Term]


class InsuranceView(Record):
    """An insurance covers infractions at times in [start_ns, end_ns) unless ``finalized`` (queries carry no block
    time: compare ``end_ns`` with the time of the queried height)."""

    insurance: Insurance
    finalized: bool  # the validator was tombstoned: it covers nothing more


class InsurancesResponse(Record):
    insurances: list[InsuranceView]


class RefundRecord(Record):
    """What one insurance has been refunded, and what it was owed but not paid (collateral ran out)."""

    insurance_id: Id
    delegator: Address
    validator: ValAddress
    refunded: Amount
    shortfall: Amount


class RefundsResponse(Record):
    refunds: list[RefundRecord]
    total_refunded: Amount
    total_shortfall: Amount


class SolvencyResponse(Record):
    """The seed's transparency check, provable against the app hash at ``height`` (``prove=true``)."""

    validator: ValAddress
    self_bond: Amount
    worst_slash_fraction: Dec
    self_bond_after_worst_slash: Amount
    total_refund: Amount
    headroom: int  # self_bond_after_worst_slash - total_refund (negative when impaired)
    max_unbond: Amount
    active_insurances: Amount
    impaired: bool
    tombstoned: bool
    shortfall: Amount
