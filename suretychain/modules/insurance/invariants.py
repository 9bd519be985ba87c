"""Insurance invariants, registered as ``insurance/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.insurance.genesis import compute_exposures
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.lifecycle import is_exposure_solvent


def check_solvency(keeper: InsuranceKeeper, ctx: Context) -> str | None:
    """Every insurer keeps ``SelfBondAfterWorstSlash >= TotalRefund``, unless a slash impaired it (then its
    shortfall events account for the difference)."""
    for exposure in keeper.iter_exposures(ctx):
        if exposure.impaired or exposure.tombstoned or exposure.count == 0:
            continue
        if not is_exposure_solvent(keeper, ctx, exposure):
            return f"validator {exposure.validator} is below its solvency cap without a slash"
    return None


def check_exposure_sums(keeper: InsuranceKeeper, ctx: Context) -> str | None:
    """Each stored exposure equals the sums of the insurances it backs."""
    stored = {e.validator.raw: e for e in keeper.iter_exposures(ctx)}
    expected = compute_exposures(list(keeper.iter_insurances(ctx)), stored)
    for validator in sorted(set(stored) | set(expected)):
        if stored.get(validator) != expected.get(validator):
            return f"exposure of {validator.hex()} does not match its insurances"
    return None
