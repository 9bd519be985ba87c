"""Insurance genesis: validate, init (exposures are recomputed from the insurances), export."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import Dec
from suretychain.core.errors import SuretyError, require
from suretychain.modules.insurance import keys
from suretychain.modules.insurance.errors import ErrInvalidGenesis
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.params import validate_params
from suretychain.modules.insurance.solvency import add_exposure
from suretychain.modules.insurance.terms import validate_term_fields
from suretychain.modules.insurance.types import Exposure, GenesisState, Insurance, Term, ValidatorState


def default_genesis() -> GenesisState:
    return GenesisState()


def validate_term(term: Term, what: str) -> None:
    try:
        validate_term_fields(term.coverage, term.premium, term.slashing_infractions)
    except SuretyError as exc:
        raise ErrInvalidGenesis(f"{what}: {exc.log}") from None


def validate_insurance(insurance: Insurance, i: int) -> None:
    """A well-formed insurance: a valid term copy and ordered dates."""
    validate_term(insurance.term, f"insurances[{i}].term")
    require(insurance.insured_stake > 0, ErrInvalidGenesis, f"insurances[{i}]: zero insured stake")
    require(insurance.start_ns <= insurance.period_start_ns <= insurance.end_ns <= insurance.expire_ns,
            ErrInvalidGenesis, f"insurances[{i}]: dates out of order")


def validate_genesis(state: GenesisState) -> None:
    """Params valid; ids unique and below the counters; records well formed."""
    try:
        validate_params(state.params)
    except SuretyError as exc:
        raise ErrInvalidGenesis(exc.log) from None
    term_ids = [t.id for t in state.terms]
    require(len(set(term_ids)) == len(term_ids), ErrInvalidGenesis, "duplicate term id")
    require(all(0 < i < state.counters.next_term_id for i in term_ids), ErrInvalidGenesis, "term id >= next_term_id")
    for i, term in enumerate(state.terms):
        validate_term(term, f"terms[{i}]")
    ids = [ins.id for ins in state.insurances]
    require(len(set(ids)) == len(ids), ErrInvalidGenesis, "duplicate insurance id")
    require(all(0 < i < state.counters.next_insurance_id for i in ids), ErrInvalidGenesis,
            "insurance id >= next_insurance_id")
    for i, insurance in enumerate(state.insurances):
        validate_insurance(insurance, i)
    validators = [v.validator.raw for v in state.validator_states]
    require(len(set(validators)) == len(validators), ErrInvalidGenesis, "duplicate validator state")


def init_genesis(keeper: InsuranceKeeper, ctx: Context, state: GenesisState) -> None:
    """Write params, counters, terms and insurances with their queues; rebuild each validator's exposure."""
    keeper.set_params(ctx, state.params)
    keeper.set_counters(ctx, state.counters)
    for term in state.terms:
        keeper.set_term(ctx, term)
    exposures = {v.validator.raw: Exposure(validator=v.validator, impaired=v.impaired, tombstoned=v.tombstoned,
                                           shortfall=v.shortfall) for v in state.validator_states}
    for insurance in state.insurances:
        keeper.set_insurance(ctx, insurance)
        keeper.queue_insert(ctx, keys.expiry_queue_key(insurance.expire_ns, insurance.id))
        if insurance.subscribed:
            keeper.queue_insert(ctx, keys.renewal_queue_key(insurance.end_ns, insurance.id))
        exposure = exposures.get(insurance.validator.raw) or Exposure(validator=insurance.validator)
        if not exposure.tombstoned:
            exposure = add_exposure(exposure, insurance.term, insurance.insured_stake, 1)
        exposures[insurance.validator.raw] = exposure
    for validator in sorted(exposures):
        keeper.set_exposure(ctx, exposures[validator])


def export_genesis(keeper: InsuranceKeeper, ctx: Context) -> GenesisState:
    """Everything in store order; the exposure sums are derived, so only their flags are exported."""
    states = [ValidatorState(validator=e.validator, impaired=e.impaired, tombstoned=e.tombstoned, shortfall=e.shortfall)
              for e in keeper.iter_exposures(ctx) if e.impaired or e.tombstoned or e.shortfall]
    return GenesisState(params=keeper.get_params(ctx), counters=keeper.get_counters(ctx),
                        terms=list(keeper.iter_terms(ctx)), insurances=list(keeper.iter_insurances(ctx)),
                        validator_states=states)


def compute_exposures(insurances: list[Insurance], flags: dict[bytes, Exposure]) -> dict[bytes, Exposure]:
    """The exposures the insurances imply (for the invariant)."""
    out = {k: msgspec.structs.replace(v, downtime_only=Dec.ZERO, double_sign_only=Dec.ZERO, both=Dec.ZERO,
                                      count=0) for k, v in flags.items()}
    for insurance in insurances:
        exposure = out.get(insurance.validator.raw) or Exposure(validator=insurance.validator)
        if not exposure.tombstoned:
            exposure = add_exposure(exposure, insurance.term, insurance.insured_stake, 1)
        out[insurance.validator.raw] = exposure
    return out
