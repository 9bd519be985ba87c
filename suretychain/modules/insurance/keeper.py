"""Insurance keeper: typed get_/set_/iter_ accessors over the insurance prefix, and the keepers it declared."""
from __future__ import annotations

from typing import Iterator

from suretychain.core.context import Context
from suretychain.core.encoding import decode_record, encode
from suretychain.core.keeper import ModuleKeeper
from suretychain.modules.insurance import keys
from suretychain.modules.insurance.expected import BankKeeper, SlashingKeeper, StakingKeeper
from suretychain.modules.insurance.params import Params
from suretychain.modules.insurance.types import Counters, Exposure, Insurance, Term
from suretychain.modules.staking.types import ValAddress


class InsuranceKeeper(ModuleKeeper):
    """Terms, insurances, exposures and queues; ``bank``, ``staking`` and ``slashing`` as declared Protocols."""

    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, bank: BankKeeper, staking: StakingKeeper, slashing: SlashingKeeper) -> None:
        self.bank = bank
        self.staking = staking
        self.slashing = slashing

    # ---- counters --------------------------------------------------------------------------------------------
    def get_counters(self, ctx: Context) -> Counters:
        raw = self._kv(ctx).get(keys.COUNTERS_KEY)
        return decode_record(raw, Counters) if raw else Counters()

    def set_counters(self, ctx: Context, counters: Counters) -> None:
        self._kv(ctx).set(keys.COUNTERS_KEY, encode(counters))

    # ---- terms -----------------------------------------------------------------------------------------------
    def get_term(self, ctx: Context, term_id: int) -> Term | None:
        raw = self._kv(ctx).get(keys.term_key(term_id))
        return decode_record(raw, Term) if raw else None

    def set_term(self, ctx: Context, term: Term) -> None:
        self._kv(ctx).set(keys.term_key(term.id), encode(term))
        self._kv(ctx).set(keys.term_by_validator_key(term.validator.raw, term.id), b"")

    def delete_term(self, ctx: Context, term: Term) -> None:
        self._kv(ctx).delete(keys.term_key(term.id))
        self._kv(ctx).delete(keys.term_by_validator_key(term.validator.raw, term.id))

    def iter_terms(self, ctx: Context) -> Iterator[Term]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.TERM):
            yield decode_record(raw, Term)

    def get_validator_term_ids(self, ctx: Context, validator: bytes) -> list[int]:
        return [keys.split_queue_id(key)
                for key, _ in self._kv(ctx).iterate_prefix(keys.TERM_BY_VALIDATOR + validator)]

    # ---- insurances ------------------------------------------------------------------------------------------
    def get_insurance(self, ctx: Context, insurance_id: int) -> Insurance | None:
        raw = self._kv(ctx).get(keys.insurance_key(insurance_id))
        return decode_record(raw, Insurance) if raw else None

    def set_insurance(self, ctx: Context, insurance: Insurance) -> None:
        """Write an insurance and its two indexes."""
        kv = self._kv(ctx)
        d, v = insurance.delegator.raw, insurance.validator.raw
        kv.set(keys.insurance_key(insurance.id), encode(insurance))
        kv.set(keys.insurance_by_validator_key(v, insurance.id), b"")
        kv.set(keys.insurance_by_delegator_key(d, v, insurance.id), b"")

    def update_insurance(self, ctx: Context, insurance: Insurance) -> None:
        """Rewrite an existing insurance (its indexes are unchanged)."""
        self._kv(ctx).set(keys.insurance_key(insurance.id), encode(insurance))

    def delete_insurance(self, ctx: Context, insurance: Insurance) -> None:
        kv = self._kv(ctx)
        d, v = insurance.delegator.raw, insurance.validator.raw
        kv.delete(keys.insurance_key(insurance.id))
        kv.delete(keys.insurance_by_validator_key(v, insurance.id))
        kv.delete(keys.insurance_by_delegator_key(d, v, insurance.id))
        kv.delete(keys.expiry_queue_key(insurance.expire_ns, insurance.id))
        if insurance.subscribed:
            kv.delete(keys.renewal_queue_key(insurance.end_ns, insurance.id))

    def iter_insurances(self, ctx: Context) -> Iterator[Insurance]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.INSURANCE):
            yield decode_record(raw, Insurance)

    def iter_validator_insurances(self, ctx: Context, validator: bytes) -> list[Insurance]:
        """The validator's insurances, oldest issuance first (materialised: callers write)."""
        ids = [keys.split_queue_id(key)
               for key, _ in self._kv(ctx).iterate_prefix(keys.INSURANCE_BY_VALIDATOR + validator)]
        return [ins for ins in (self.get_insurance(ctx, i) for i in ids) if ins is not None]

    def iter_delegation_insurances(self, ctx: Context, delegator: bytes, validator: bytes) -> list[Insurance]:
        """One delegator's insurances with one validator, oldest first."""
        ids = [keys.split_queue_id(key)
               for key, _ in self._kv(ctx).iterate_prefix(keys.INSURANCE_BY_DELEGATOR + delegator + validator)]
        return [ins for ins in (self.get_insurance(ctx, i) for i in ids) if ins is not None]

    def iter_delegator_insurances(self, ctx: Context, delegator: bytes) -> list[Insurance]:
        ids = [keys.split_queue_id(key)
               for key, _ in self._kv(ctx).iterate_prefix(keys.INSURANCE_BY_DELEGATOR + delegator)]
        return [ins for ins in (self.get_insurance(ctx, i) for i in ids) if ins is not None]

    # ---- exposures -------------------------------------------------------------------------------------------
    def get_exposure(self, ctx: Context, validator: ValAddress) -> Exposure:
        raw = self._kv(ctx).get(keys.exposure_key(validator.raw))
        return decode_record(raw, Exposure) if raw else Exposure(validator=validator)

    def set_exposure(self, ctx: Context, exposure: Exposure) -> None:
        self._kv(ctx).set(keys.exposure_key(exposure.validator.raw), encode(exposure))

    def iter_exposures(self, ctx: Context) -> Iterator[Exposure]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.EXPOSURE):
            yield decode_record(raw, Exposure)

    # ---- queues ----------------------------------------------------------------------------------------------
    def queue_insert(self, ctx: Context, key: bytes) -> None:
        self._kv(ctx).set(key, b"")

    def queue_remove(self, ctx: Context, key: bytes) -> None:
        self._kv(ctx).delete(key)

    def get_due(self, ctx: Context, prefix: bytes, time_ns: int) -> list[bytes]:
        """Keys of queue ``prefix`` due at or before ``time_ns``, oldest first (materialised)."""
        return [key for key, _ in self._kv(ctx).iterate(prefix, keys.queue_until(prefix, time_ns))]
