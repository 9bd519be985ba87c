"""End-block: due renewals of subscribed insurances (in queue order), then expiries."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.errors import SuretyError
from suretychain.modules.insurance import keys
from suretychain.modules.insurance.events import InsuranceExpired, InsuranceLapsed, InsuranceRenewed
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.lifecycle import remove_insurance
from suretychain.modules.insurance.premiums import compute_premium, has_funds, render
from suretychain.modules.insurance.purchase import extend_insurance
from suretychain.modules.insurance.types import Insurance


def end_block(keeper: InsuranceKeeper, ctx: Context) -> None:
    """The insurance steps of a block, in order."""
    process_renewals(keeper, ctx)
    process_expiries(keeper, ctx)


def get_lapse_reason(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance) -> str | None:
    """Why a subscribed insurance cannot renew, or None."""
    if keeper.get_exposure(ctx, insurance.validator).tombstoned:
        return "tombstoned"
    if keeper.get_term(ctx, insurance.term.id) != insurance.term:
        return "term_changed"
    if not has_funds(keeper, ctx, insurance.delegator, compute_premium(insurance.term, insurance.insured_stake)):
        return "insufficient_funds"
    return None


def renew_insurance(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance) -> None:
    """Renew for one duration from the old end date, or let it lapse (with the reason) if it cannot."""
    reason = get_lapse_reason(keeper, ctx, insurance)
    if reason is None:
        child, cache = ctx.branch()
        try:
            renewed, premium, _ = extend_insurance(keeper, child, insurance, insurance.end_ns, False)
        except SuretyError:
            reason = "solvency_cap"
        else:
            cache.write()
            ctx.events.extend(child.events)
            ctx.emit(InsuranceRenewed(insurance_id=insurance.id, premium=render(premium), end_ns=renewed.end_ns))
            return
    keeper.update_insurance(ctx, msgspec.structs.replace(insurance, subscribed=False))
    ctx.emit(InsuranceLapsed(insurance_id=insurance.id, reason=reason))


def process_renewals(keeper: InsuranceKeeper, ctx: Context) -> None:
    """Renew every subscribed insurance whose end date has come, oldest end date (then issuance) first."""
    for key in keeper.get_due(ctx, keys.RENEWAL_QUEUE, ctx.block.time_ns):
        keeper.queue_remove(ctx, key)
        insurance = keeper.get_insurance(ctx, keys.split_queue_id(key))
        if insurance is not None and insurance.subscribed:
            renew_insurance(keeper, ctx, insurance)


def process_expiries(keeper: InsuranceKeeper, ctx: Context) -> None:
    """Delete insurances whose end date plus evidence grace has passed; they leave the liability."""
    for key in keeper.get_due(ctx, keys.EXPIRY_QUEUE, ctx.block.time_ns):
        keeper.queue_remove(ctx, key)
        insurance = keeper.get_insurance(ctx, keys.split_queue_id(key))
        if insurance is not None and insurance.expire_ns <= ctx.block.time_ns:
            remove_insurance(keeper, ctx, insurance)
            ctx.emit(InsuranceExpired(insurance_id=insurance.id))
