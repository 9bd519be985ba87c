"""Insurance events."""
from __future__ import annotations

from typing import ClassVar

from suretychain.core.encoding import Address, ValAddress
from suretychain.core.events import TypedEvent
from suretychain.modules.insurance.types import MODULE


class InsuranceEvent(TypedEvent):
    MODULE: ClassVar[str] = MODULE


class TermCreated(InsuranceEvent):
    validator: ValAddress
    term_id: int


class TermEdited(InsuranceEvent):
    validator: ValAddress
    old_term_id: int
    new_term_id: int


class TermDeleted(InsuranceEvent):
    validator: ValAddress
    term_id: int


class InsuranceBought(InsuranceEvent):
    insurance_id: int
    delegator: Address
    validator: ValAddress
    term_id: int
    insured_stake: int
    premium: str
    commission: str
    end_ns: int


class InsuranceExtended(InsuranceEvent):
    insurance_id: int
    premium: str
    commission: str
    end_ns: int


class InsuranceCancelled(InsuranceEvent):
    insurance_id: int
    refund: str


class InsuranceRenewed(InsuranceEvent):
    insurance_id: int
    premium: str
    end_ns: int


class InsuranceLapsed(InsuranceEvent):
    insurance_id: int
    reason: str  # "term_changed" | "insufficient_funds" | "solvency_cap" | "tombstoned"


class InsuranceSubscribed(InsuranceEvent):
    insurance_id: int


class InsuranceUnsubscribed(InsuranceEvent):
    insurance_id: int


class InsuranceSwitched(InsuranceEvent):
    insurance_id: int
    old_term_id: int
    new_term_id: int
    credit: str
    premium: str
    end_ns: int


class InsuredStakeReduced(InsuranceEvent):
    insurance_id: int
    insured_stake: int


class InsuranceExpired(InsuranceEvent):
    insurance_id: int


class RefundPaid(InsuranceEvent):
    insurance_id: int
    delegator: Address
    amount: int


class RefundShortfall(InsuranceEvent):
    insurance_id: int
    delegator: Address
    owed: int
    paid: int


class RefundsPaid(InsuranceEvent):
    validator: ValAddress
    infraction: str
    insurances: int
    owed: int
    paid: int
    shortfall: int


class InsurancesFinalized(InsuranceEvent):
    validator: ValAddress
    insurances: int
