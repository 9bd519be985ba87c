"""Solvency (the seed's FAQ): liability, TotalRefund, the acceptance cap and MaxUnbond.

``liability(i) = coverage_i × insured_stake_i × max slash fraction of i's covered infractions``;
``TotalRefund = ceil(refund_weight_per_slash × Σ liability)`` over the validator's live insurances;
``SelfBondAfterWorstSlash = floor(SelfBond × (1 − max(slash_fraction_downtime, slash_fraction_double_sign)))``;
solvent while ``SelfBondAfterWorstSlash >= TotalRefund``;
``MaxUnbond = SelfBond − ceil(TotalRefund / (1 − worst fraction))`` (0 if negative), the most the operator can
unbond with the rule still holding.
"""
from __future__ import annotations

import msgspec

from suretychain.core.dec import SCALE, Dec, Rounding, compute_rounded_quotient
from suretychain.modules.insurance.expected import SlashingParams
from suretychain.modules.insurance.types import Exposure, Term
from suretychain.modules.staking.types import InfractionKind

BOTH = (InfractionKind.DOWNTIME, InfractionKind.DOUBLE_SIGN)


def compute_exposure_field(term: Term) -> str:
    """Which exposure sum an insurance under ``term`` adds to."""
    kinds = tuple(term.slashing_infractions)
    if kinds == BOTH:
        return "both"
    return "downtime_only" if kinds == (InfractionKind.DOWNTIME,) else "double_sign_only"


def add_exposure(exposure: Exposure, term: Term, stake: int, count: int) -> Exposure:
    """``exposure`` with ``coverage × stake`` added (negative ``stake`` removes) and ``count`` live insurances more."""
    field = compute_exposure_field(term)
    amount = Dec.from_atoms(term.coverage.atoms * stake)  # exact: coverage has 18 places, stake is an integer
    return msgspec.structs.replace(exposure, **{field: getattr(exposure, field) + amount},
                                   count=exposure.count + count)


def compute_worst_fraction(params: SlashingParams) -> Dec:
    """The largest fraction a single slash can take: the worst covered infraction."""
    return max(params.slash_fraction_downtime, params.slash_fraction_double_sign)


def compute_total_refund(exposure: Exposure, params: SlashingParams, weight: Dec) -> int:
    """``ceil(weight × Σ coverage × insured × max covered fraction)``: charges round up (against the insurer)."""
    if exposure.tombstoned:
        return 0
    fd, fds = params.slash_fraction_downtime, params.slash_fraction_double_sign
    liability = (exposure.downtime_only.atoms * fd.atoms + exposure.double_sign_only.atoms * fds.atoms
                 + exposure.both.atoms * max(fd, fds).atoms)  # scale 10^36
    return compute_rounded_quotient(liability * weight.atoms, SCALE ** 3, Rounding.UP)


def compute_self_bond_after_worst_slash(self_bond: int, params: SlashingParams) -> int:
    """``floor(self_bond × (1 − worst fraction))``: what is left to pay refunds after the worst slash."""
    return (Dec.ONE - compute_worst_fraction(params)).mul_int(self_bond, Rounding.DOWN)


def is_solvent(self_bond: int, total_refund: int, params: SlashingParams) -> bool:
    """Check the seed's cap: ``SelfBondAfterWorstSlash >= TotalRefund``."""
    return compute_self_bond_after_worst_slash(self_bond, params) >= total_refund


def compute_max_unbond(self_bond: int, total_refund: int, params: SlashingParams) -> int:
    """The most self-bond the operator may unbond with the cap still holding."""
    if total_refund == 0:
        return self_bond
    keep = (Dec.ONE - compute_worst_fraction(params)).atoms
    if keep == 0:
        return 0
    need = compute_rounded_quotient(total_refund * SCALE, keep, Rounding.UP)
    return max(0, self_bond - need)
