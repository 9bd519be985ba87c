"""Refunds on a slash: every covering insurance of the slashed validator is paid, oldest issuance first, from the
operator's self-bond (already reduced by the slash).

For a slash that burned ``burned`` of the validator's ``tokens_before``, ``f = burned / tokens_before`` (exact
rational), and each covering insurance is owed

    refund = floor(coverage × refund_weight_per_slash × covered_stake × f)

where ``covered_stake = min(insured_stake, hit stake not yet claimed by the delegator's older insurances)`` and the
delegator's hit stake is its bonded stake before the slash (``shares × tokens_before / validator shares``) plus the
original balance of each of its unbonding/redelegation entries this slash reached. A refund is also capped at
``coverage × weight × covered_stake × loss / hit`` (the delegator's real loss in tokens), so rounding can never make
a slash profitable for a fully insured delegator.
"""
from __future__ import annotations

from dataclasses import dataclass

import msgspec

from suretychain.core.context import Context
from suretychain.core.dec import SCALE, Dec, Rounding
from suretychain.core.encoding import Address, ValAddress
from suretychain.core.tx import Coin
from suretychain.modules.insurance.events import RefundPaid, RefundShortfall, RefundsPaid
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.lifecycle import get_self_bond, is_covering, is_exposure_solvent
from suretychain.modules.insurance.types import INSURANCE_ACCOUNT, Insurance
from suretychain.modules.staking.types import EntrySlash, HookValidatorSlashed


@dataclass
class DelegatorLoss:
    """What one slash did to one delegator: the stake it hit, the tokens it took, the hit stake not yet covered."""

    hit: int
    loss: int
    uncovered: int


@dataclass(frozen=True)
class Claim:
    insurance: Insurance
    owed: int


def compute_burned_fraction(record: HookValidatorSlashed) -> tuple[int, int]:
    """``f = burned / tokens_before`` as an exact ratio (the asked fraction if the validator had no tokens left)."""
    if record.tokens_before > 0:
        return record.burned, record.tokens_before
    return record.fraction.atoms, SCALE


def compute_refund(coverage: Dec, weight: Dec, covered: int, fraction: tuple[int, int], loss: DelegatorLoss) -> int:
    """``floor(coverage × weight × covered × f)``, capped at the same share of the real loss: a payout, rounded down."""
    rate = coverage.mul(weight, Rounding.DOWN).atoms
    refund = rate * covered * fraction[0] // (SCALE * fraction[1])
    cap = rate * covered * loss.loss // (SCALE * loss.hit) if loss.hit else 0
    return min(refund, cap)


def get_entry_stake(keeper: InsuranceKeeper, ctx: Context, validator: ValAddress, entry: EntrySlash) -> int:
    """The original balance of the delegator's entries created at ``entry.creation_height`` that the slash reached."""
    if entry.kind == "unbonding":
        ubd = keeper.staking.get_unbonding(ctx, entry.delegator.raw, validator.raw)
        entries = ubd.entries if ubd is not None else []
    else:
        red = keeper.staking.get_redelegation(ctx, entry.delegator.raw, validator.raw, entry.dst_validator.raw)  # type: ignore[union-attr]
        entries = red.entries if red is not None else []
    return sum(e.initial_balance for e in entries if e.creation_height == entry.creation_height)


def compute_delegator_loss(keeper: InsuranceKeeper, ctx: Context, record: HookValidatorSlashed, delegator: Address,
                           entries: list[EntrySlash]) -> DelegatorLoss:
    """The delegator's hit stake and real loss in this slash: its bonded share plus the entries the slash reached."""
    bonded_before = bonded_after = 0
    delegation = keeper.staking.get_delegation(ctx, delegator.raw, record.validator.raw)
    if delegation is not None and record.shares.is_positive():
        bonded_before = delegation.shares.atoms * record.tokens_before // record.shares.atoms
        bonded_after = delegation.shares.atoms * record.tokens_after // record.shares.atoms
    seen = {(e.kind, e.dst_validator, e.creation_height): e for e in entries}  # one lookup per entry height
    entry_stake = sum(get_entry_stake(keeper, ctx, record.validator, e) for e in seen.values())
    hit = bonded_before + entry_stake
    return DelegatorLoss(hit=hit, loss=bonded_before - bonded_after + sum(e.amount for e in entries), uncovered=hit)


def get_claims(keeper: InsuranceKeeper, ctx: Context, record: HookValidatorSlashed) -> list[Claim]:
    """What each covering insurance is owed for this slash, oldest issuance first."""
    fraction = compute_burned_fraction(record)
    weight = keeper.get_params(ctx).refund_weight_per_slash
    exposure = keeper.get_exposure(ctx, record.validator)
    entries: dict[bytes, list[EntrySlash]] = {}
    for entry in record.entry_slashes:
        entries.setdefault(entry.delegator.raw, []).append(entry)
    losses: dict[bytes, DelegatorLoss] = {}
    claims = []
    for insurance in keeper.iter_validator_insurances(ctx, record.validator.raw):
        if record.infraction not in insurance.term.slashing_infractions or \
                not is_covering(insurance, exposure, record.infraction_time_ns):
            continue
        key = insurance.delegator.raw
        if key not in losses:
            losses[key] = compute_delegator_loss(keeper, ctx, record, insurance.delegator, entries.get(key, []))
        loss = losses[key]
        covered = min(insurance.insured_stake, loss.uncovered)
        loss.uncovered -= covered
        owed = compute_refund(insurance.term.coverage, weight, covered, fraction, loss)
        if owed > 0:
            claims.append(Claim(insurance, owed))
    return claims


def pay_refund(keeper: InsuranceKeeper, ctx: Context, claim: Claim, amount: int, denom: str) -> None:
    """Pay one insurance from the transit account; record what it got and what it was short."""
    insurance = claim.insurance
    if amount:
        keeper.bank.send_coins_from_module_to_account(ctx, INSURANCE_ACCOUNT, insurance.delegator.raw,
                                                      [Coin(denom=denom, amount=amount)])
        ctx.emit(RefundPaid(insurance_id=insurance.id, delegator=insurance.delegator, amount=amount))
    if amount < claim.owed:
        ctx.emit(RefundShortfall(insurance_id=insurance.id, delegator=insurance.delegator, owed=claim.owed,
                                 paid=amount))
    keeper.update_insurance(ctx, msgspec.structs.replace(insurance, refunded=insurance.refunded + amount,
                                                         shortfall=insurance.shortfall + claim.owed - amount))


def process_slash_refunds(keeper: InsuranceKeeper, ctx: Context, record: HookValidatorSlashed) -> int:
    """Refund the covering insurances of a slashed validator, oldest first, from its self-bond; return the paid."""
    claims = get_claims(keeper, ctx, record)
    owed = sum(c.owed for c in claims)
    if owed == 0:
        return 0
    available = get_self_bond(keeper, ctx, record.validator)
    transit = Address.from_raw(keeper.bank.module_account(INSURANCE_ACCOUNT))
    paid = keeper.staking.pay_from_self_bond(ctx, record.validator, min(owed, available), transit)
    denom = keeper.staking.get_params(ctx).bond_denom
    left = paid
    for claim in claims:
        amount = min(claim.owed, left)
        pay_refund(keeper, ctx, claim, amount, denom)
        left -= amount
    record_slash_outcome(keeper, ctx, record.validator, owed - paid)
    ctx.emit(RefundsPaid(validator=record.validator, infraction=record.infraction.name.lower(),
                         insurances=len(claims), owed=owed, paid=paid, shortfall=owed - paid))
    return paid


def record_slash_outcome(keeper: InsuranceKeeper, ctx: Context, validator: ValAddress, shortfall: int) -> None:
    """Add the shortfall to the validator's record and flag it impaired if the cap no longer holds."""
    exposure = keeper.get_exposure(ctx, validator)
    impaired = exposure.impaired or not is_exposure_solvent(keeper, ctx, exposure)
    keeper.set_exposure(ctx, msgspec.structs.replace(exposure, shortfall=exposure.shortfall + shortfall,
                                                     impaired=impaired))
