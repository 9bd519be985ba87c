"""Staking keeper: typed access to the staking prefix, plus the pool movements bonding needs."""
from __future__ import annotations

from typing import Iterator

from suretychain.core.context import Context
from suretychain.core.crypto import address_of
from suretychain.core.encoding import decode_record, encode
from suretychain.core.hooks import Hooks
from suretychain.core.keeper import ModuleKeeper
from suretychain.core.tx import Coin
from suretychain.modules.staking import keys
from suretychain.modules.staking.expected import BankKeeper
from suretychain.modules.staking.types import (
    BONDED_POOL,
    NOT_BONDED_POOL,
    POWER_REDUCTION,
    BondStatus,
    Delegation,
    LastPower,
    Params,
    Redelegation,
    UnbondingDelegation,
    Validator,
)


def compute_power(tokens: int) -> int:
    """Consensus power of ``tokens``: whole SRT, rounded down."""
    return tokens // POWER_REDUCTION


def compute_consensus_address(pubkey: bytes) -> bytes:
    """CometBFT's validator address: the first 20 bytes of sha256 of the ed25519 public key."""
    return address_of(pubkey)


class StakingKeeper(ModuleKeeper):
    """Validators, delegations, entries, queues and the last validator set."""

    STORE_PREFIX = keys.STORE_PREFIX
    PARAMS_TYPE = Params

    def __init__(self, bank: BankKeeper, hooks: Hooks) -> None:
        self.bank = bank
        self.hooks = hooks

    # ---- validators ------------------------------------------------------------------------------------------
    def get_validator(self, ctx: Context, operator: bytes) -> Validator | None:
        raw = self._kv(ctx).get(keys.validator_key(operator))
        return decode_record(raw, Validator) if raw else None

    def get_validator_by_consensus(self, ctx: Context, cons_address: bytes) -> Validator | None:
        operator = self._kv(ctx).get(keys.validator_by_cons_key(cons_address))
        return self.get_validator(ctx, operator) if operator else None

    def set_validator(self, ctx: Context, validator: Validator) -> None:
        """Write a validator and keep its power index entry in step (jailed validators are not indexed)."""
        operator = validator.operator.raw
        old = self.get_validator(ctx, operator)
        kv = self._kv(ctx)
        if old is not None and not old.jailed:
            kv.delete(keys.power_index_key(compute_power(old.tokens), operator))
        if not validator.jailed:
            kv.set(keys.power_index_key(compute_power(validator.tokens), operator), b"")
        kv.set(keys.validator_key(operator), encode(validator))
        kv.set(keys.validator_by_cons_key(compute_consensus_address(validator.consensus_pubkey)), operator)

    def delete_validator(self, ctx: Context, validator: Validator) -> None:
        kv = self._kv(ctx)
        operator = validator.operator.raw
        if not validator.jailed:
            kv.delete(keys.power_index_key(compute_power(validator.tokens), operator))
        kv.delete(keys.validator_key(operator))
        kv.delete(keys.validator_by_cons_key(compute_consensus_address(validator.consensus_pubkey)))

    def iter_validators(self, ctx: Context) -> Iterator[Validator]:
        """Every validator in operator-byte order."""
        for _, raw in self._kv(ctx).iterate_prefix(keys.VALIDATOR):
            yield decode_record(raw, Validator)

    def iter_validators_by_power(self, ctx: Context) -> Iterator[bytes]:
        """Operators of non-jailed validators, highest power first (ties: higher operator bytes first)."""
        for key, _ in self._kv(ctx).iterate_prefix(keys.POWER_INDEX, reverse=True):
            yield key[9:]

    # ---- last validator set ----------------------------------------------------------------------------------
    def get_last_power(self, ctx: Context, operator: bytes) -> int:
        raw = self._kv(ctx).get(keys.last_power_key(operator))
        return decode_record(raw, LastPower).power if raw else 0

    def set_last_power(self, ctx: Context, record: LastPower) -> None:
        if record.power == 0:
            self._kv(ctx).delete(keys.last_power_key(record.operator.raw))
        else:
            self._kv(ctx).set(keys.last_power_key(record.operator.raw), encode(record))

    def iter_last_powers(self, ctx: Context) -> Iterator[LastPower]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.LAST_POWER):
            yield decode_record(raw, LastPower)

    # ---- delegations -----------------------------------------------------------------------------------------
    def get_delegation(self, ctx: Context, delegator: bytes, operator: bytes) -> Delegation | None:
        raw = self._kv(ctx).get(keys.delegation_key(delegator, operator))
        return decode_record(raw, Delegation) if raw else None

    def set_delegation(self, ctx: Context, delegation: Delegation) -> None:
        d, v = delegation.delegator.raw, delegation.validator.raw
        self._kv(ctx).set(keys.delegation_key(d, v), encode(delegation))
        self._kv(ctx).set(keys.delegation_by_val_key(v, d), b"")

    def remove_delegation(self, ctx: Context, delegation: Delegation) -> None:
        d, v = delegation.delegator.raw, delegation.validator.raw
        self._kv(ctx).delete(keys.delegation_key(d, v))
        self._kv(ctx).delete(keys.delegation_by_val_key(v, d))

    def iter_delegations(self, ctx: Context) -> Iterator[Delegation]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.DELEGATION):
            yield decode_record(raw, Delegation)

    def iter_delegator_delegations(self, ctx: Context, delegator: bytes) -> Iterator[Delegation]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.DELEGATION + delegator):
            yield decode_record(raw, Delegation)

    def iter_validator_delegations(self, ctx: Context, operator: bytes) -> Iterator[Delegation]:
        for key, _ in self._kv(ctx).iterate_prefix(keys.DELEGATION_BY_VAL + operator):
            delegation = self.get_delegation(ctx, key[21:], operator)
            if delegation is not None:
                yield delegation

    # ---- unbonding delegations -------------------------------------------------------------------------------
    def get_unbonding(self, ctx: Context, delegator: bytes, operator: bytes) -> UnbondingDelegation | None:
        raw = self._kv(ctx).get(keys.unbonding_key(delegator, operator))
        return decode_record(raw, UnbondingDelegation) if raw else None

    def set_unbonding(self, ctx: Context, ubd: UnbondingDelegation) -> None:
        d, v = ubd.delegator.raw, ubd.validator.raw
        if not ubd.entries:
            self._kv(ctx).delete(keys.unbonding_key(d, v))
            self._kv(ctx).delete(keys.unbonding_by_val_key(v, d))
            return
        self._kv(ctx).set(keys.unbonding_key(d, v), encode(ubd))
        self._kv(ctx).set(keys.unbonding_by_val_key(v, d), b"")

    def iter_unbondings(self, ctx: Context) -> Iterator[UnbondingDelegation]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.UNBONDING):
            yield decode_record(raw, UnbondingDelegation)

    def iter_validator_unbondings(self, ctx: Context, operator: bytes) -> Iterator[UnbondingDelegation]:
        for key, _ in self._kv(ctx).iterate_prefix(keys.UNBONDING_BY_VAL + operator):
            ubd = self.get_unbonding(ctx, key[21:], operator)
            if ubd is not None:
                yield ubd

    # ---- redelegations ---------------------------------------------------------------------------------------
    def get_redelegation(self, ctx: Context, delegator: bytes, src: bytes, dst: bytes) -> Redelegation | None:
        raw = self._kv(ctx).get(keys.redelegation_key(delegator, src, dst))
        return decode_record(raw, Redelegation) if raw else None

    def set_redelegation(self, ctx: Context, red: Redelegation) -> None:
        d, s, t = red.delegator.raw, red.src_validator.raw, red.dst_validator.raw
        kv = self._kv(ctx)
        if not red.entries:
            kv.delete(keys.redelegation_key(d, s, t))
            kv.delete(keys.redelegation_by_src_key(s, d, t))
            kv.delete(keys.redelegation_by_dst_key(t, d, s))
            return
        kv.set(keys.redelegation_key(d, s, t), encode(red))
        kv.set(keys.redelegation_by_src_key(s, d, t), b"")
        kv.set(keys.redelegation_by_dst_key(t, d, s), b"")

    def iter_redelegations(self, ctx: Context) -> Iterator[Redelegation]:
        for _, raw in self._kv(ctx).iterate_prefix(keys.REDELEGATION):
            yield decode_record(raw, Redelegation)

    def iter_redelegations_from(self, ctx: Context, src: bytes) -> Iterator[Redelegation]:
        for key, _ in self._kv(ctx).iterate_prefix(keys.REDELEGATION_BY_SRC + src):
            red = self.get_redelegation(ctx, key[21:41], src, key[41:61])
            if red is not None:
                yield red

    def has_receiving_redelegation(self, ctx: Context, delegator: bytes, dst: bytes) -> bool:
        """True if ``delegator`` has a maturing redelegation into ``dst``."""
        return any(True for _ in self._kv(ctx).iterate_prefix(keys.REDELEGATION_BY_DST + dst + delegator))

    # ---- queues ----------------------------------------------------------------------------------------------
    def queue_insert(self, ctx: Context, key: bytes) -> None:
        self._kv(ctx).set(key, b"")

    def queue_remove(self, ctx: Context, key: bytes) -> None:
        self._kv(ctx).delete(key)

    def iter_queue_until(self, ctx: Context, prefix: bytes, time_ns: int) -> list[bytes]:
        """Keys of queue ``prefix`` due at or before ``time_ns``, oldest first (materialised: callers delete)."""
        return [key for key, _ in self._kv(ctx).iterate(prefix, keys.queue_until(prefix, time_ns))]

    # ---- the interface the slashing module uses (rules in slash.py) ------------------------------------------
    def slash(self, ctx: Context, cons_address: bytes, infraction_height: int, infraction_time_ns: int, power: int,
              fraction, kind) -> int:  # noqa: ANN001
        """Burn ``fraction`` of the stake at ``infraction_height`` (see ``slash.slash``); return the total burned."""
        from suretychain.modules.staking.slash import slash

        return slash(self, ctx, cons_address, infraction_height, infraction_time_ns, power, fraction, kind)

    def jail(self, ctx: Context, cons_address: bytes, reason: str) -> None:
        from suretychain.modules.staking.slash import jail

        jail(self, ctx, cons_address, reason)

    def unjail(self, ctx: Context, validator: Validator) -> None:
        from suretychain.modules.staking.slash import unjail

        unjail(self, ctx, validator)

    def tombstone(self, ctx: Context, cons_address: bytes) -> None:
        from suretychain.modules.staking.slash import tombstone

        tombstone(self, ctx, cons_address)

    def pay_from_self_bond(self, ctx: Context, operator, amount: int, recipient) -> int:  # noqa: ANN001
        """Forfeit up to ``amount`` of the operator's self-bond to ``recipient`` at once (see delegation.py)."""
        from suretychain.modules.staking.delegation import pay_from_self_bond

        return pay_from_self_bond(self, ctx, operator, amount, recipient)

    def get_self_delegation_tokens(self, ctx: Context, validator: Validator) -> int:
        """Tokens the operator's own delegation to ``validator`` is worth now."""
        from suretychain.modules.staking.shares import compute_tokens_for_shares

        delegation = self.get_delegation(ctx, validator.operator.raw, validator.operator.raw)
        return compute_tokens_for_shares(validator, delegation.shares) if delegation else 0

    # ---- pools -----------------------------------------------------------------------------------------------
    def pool_of(self, status: BondStatus) -> str:
        """Which pool holds a validator's tokens: the bonded pool only while it is bonded."""
        return BONDED_POOL if status == BondStatus.BONDED else NOT_BONDED_POOL

    def move_between_pools(self, ctx: Context, src: str, dst: str, amount: int) -> None:
        if amount > 0 and src != dst:
            denom = self.get_params(ctx).bond_denom
            self.bank.send_coins_from_module_to_module(ctx, src, dst, [Coin(denom=denom, amount=amount)])

    def pool_balance(self, ctx: Context, pool: str) -> int:
        return self.bank.get_balance(ctx, self.bank.module_account(pool), self.get_params(ctx).bond_denom)
