"""Terms: a validator's offers. Editing gives a new id; insurances keep the copy of the term they bought."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.encoding import ValAddress
from suretychain.core.errors import require
from suretychain.modules.insurance.errors import (
    ErrInvalidCoverage,
    ErrInvalidInfractions,
    ErrInvalidPremium,
    ErrNotTermOwner,
    ErrTermNotFound,
    ErrTooManyTerms,
    ErrValidatorNotFound,
    ErrValidatorTombstoned,
)
from suretychain.modules.insurance.events import TermCreated, TermDeleted, TermEdited
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.types import (
    MsgCreateInsuranceTerm,
    MsgDeleteInsuranceTerm,
    MsgEditInsuranceTerm,
    PremiumRate,
    Term,
)
from suretychain.modules.staking.types import InfractionKind


def validate_term_fields(coverage: Dec, premium: list[PremiumRate], infractions: list[InfractionKind]) -> None:
    """The stateless bounds of a term."""
    # Coverage above 100% would let a delegator profit from its validator's slash (the seed's griefing argument)
    require(Dec.ZERO < coverage <= Dec.ONE, ErrInvalidCoverage, str(coverage))
    # One rate per denom, in denom order, none negative
    denoms = [p.denom for p in premium]
    require(denoms == sorted(set(denoms)), ErrInvalidPremium, "denoms must be unique and sorted")
    require(all(not p.rate.is_negative() for p in premium), ErrInvalidPremium, "negative rate")
    # The covered infractions are a set, in ascending order
    require(list(infractions) == sorted(set(infractions)), ErrInvalidInfractions, "must be unique and ascending")


def require_validator(keeper: InsuranceKeeper, ctx: Context, operator: ValAddress) -> None:
    """The operator runs a validator that can still be insured."""
    validator = keeper.staking.get_validator(ctx, operator.raw)
    require(validator is not None, ErrValidatorNotFound, str(operator))
    require(not validator.tombstoned, ErrValidatorTombstoned, str(operator))  # type: ignore[union-attr]


def get_owned_term(keeper: InsuranceKeeper, ctx: Context, term_id: int, operator: ValAddress) -> Term:
    """The current term ``term_id`` of ``operator``."""
    term = keeper.get_term(ctx, term_id)
    require(term is not None, ErrTermNotFound, str(term_id))
    require(term.validator.raw == operator.raw, ErrNotTermOwner, str(term_id))  # type: ignore[union-attr]
    return term  # type: ignore[return-value]


def new_term(keeper: InsuranceKeeper, ctx: Context, operator: ValAddress, msg) -> Term:  # noqa: ANN001
    """Store a term built from ``msg``'s fields under the next id."""
    counters = keeper.get_counters(ctx)
    term = Term(id=counters.next_term_id, validator=operator, coverage=msg.coverage, premium=msg.premium,
                duration_ns=msg.duration_ns, slashing_infractions=msg.slashing_infractions)
    keeper.set_counters(ctx, msgspec.structs.replace(counters, next_term_id=counters.next_term_id + 1))
    keeper.set_term(ctx, term)
    return term


def process_create_insurance_term(keeper: InsuranceKeeper, ctx: Context, msg: MsgCreateInsuranceTerm) -> None:
    """A validator offers a new term."""
    operator = ValAddress.from_raw(msg.operator.raw)
    validate_term_fields(msg.coverage, msg.premium, msg.slashing_infractions)
    require_validator(keeper, ctx, operator)
    # The terms of one validator are bounded (queries and genesis stay small)
    limit = keeper.get_params(ctx).max_terms_per_validator
    require(len(keeper.get_validator_term_ids(ctx, operator.raw)) < limit, ErrTooManyTerms, str(limit))
    term = new_term(keeper, ctx, operator, msg)
    ctx.emit(TermCreated(validator=operator, term_id=term.id))


def process_edit_insurance_term(keeper: InsuranceKeeper, ctx: Context, msg: MsgEditInsuranceTerm) -> None:
    """Replace a term by a new one with a new id: insurances under the old id keep their copy and cannot extend."""
    operator = ValAddress.from_raw(msg.operator.raw)
    validate_term_fields(msg.coverage, msg.premium, msg.slashing_infractions)
    old = get_owned_term(keeper, ctx, msg.term_id, operator)
    keeper.delete_term(ctx, old)
    term = new_term(keeper, ctx, operator, msg)
    ctx.emit(TermEdited(validator=operator, old_term_id=old.id, new_term_id=term.id))


def process_delete_insurance_term(keeper: InsuranceKeeper, ctx: Context, msg: MsgDeleteInsuranceTerm) -> None:
    """Withdraw a term: no new insurances or extensions under it; bought insurances are unaffected."""
    operator = ValAddress.from_raw(msg.operator.raw)
    term = get_owned_term(keeper, ctx, msg.term_id, operator)
    keeper.delete_term(ctx, term)
    ctx.emit(TermDeleted(validator=operator, term_id=term.id))
