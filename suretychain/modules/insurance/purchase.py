"""Delegator rules: buy, extend, cancel, subscribe, unsubscribe and switch an insurance."""
from __future__ import annotations

import msgspec

from suretychain.core.context import Context
from suretychain.core.encoding import ValAddress
from suretychain.core.errors import require
from suretychain.modules.insurance import keys
from suretychain.modules.insurance.errors import (
    ErrAlreadySubscribed,
    ErrNoDelegation,
    ErrNotSubscribed,
    ErrNotTermOwner,
    ErrSameTerm,
    ErrStakeNotDelegated,
    ErrTermChanged,
    ErrTermNotFound,
    ErrZeroStake,
)
from suretychain.modules.insurance.events import (
    InsuranceBought,
    InsuranceCancelled,
    InsuranceExtended,
    InsuranceSubscribed,
    InsuranceSwitched,
    InsuranceUnsubscribed,
)
from suretychain.modules.insurance.keeper import InsuranceKeeper
from suretychain.modules.insurance.lifecycle import (
    compute_grace_ns,
    get_live_insurance,
    remove_insurance,
    require_solvent,
    reschedule,
)
from suretychain.modules.insurance.premiums import (
    add_coins,
    compute_premium,
    compute_unused_premium,
    pay_premium,
    refund_premium,
    render,
    subtract_coins,
)
from suretychain.modules.insurance.solvency import add_exposure
from suretychain.modules.insurance.terms import require_validator
from suretychain.modules.insurance.types import (
    Insurance,
    MsgBuyInsurance,
    MsgCancelInsurance,
    MsgExtendInsurance,
    MsgSubscribeInsurance,
    MsgSwitchInsuranceTerm,
    MsgUnsubscribe,
    Term,
)
from suretychain.modules.staking.shares import compute_tokens_for_shares


def get_uninsured_tokens(keeper: InsuranceKeeper, ctx: Context, delegator: bytes, validator: bytes) -> int | None:
    """Delegated tokens not already insured by a running insurance; None without a delegation."""
    record = keeper.staking.get_validator(ctx, validator)
    delegation = keeper.staking.get_delegation(ctx, delegator, validator)
    if record is None or delegation is None:
        return None
    insured = sum(i.insured_stake for i in keeper.iter_delegation_insurances(ctx, delegator, validator)
                  if i.end_ns > ctx.block.time_ns)
    return compute_tokens_for_shares(record, delegation.shares) - insured


def get_current_term(keeper: InsuranceKeeper, ctx: Context, term_id: int, validator: ValAddress) -> Term:
    """A current term of ``validator``."""
    term = keeper.get_term(ctx, term_id)
    require(term is not None, ErrTermNotFound, str(term_id))
    require(term.validator.raw == validator.raw, ErrNotTermOwner, str(term_id))  # type: ignore[union-attr]
    return term  # type: ignore[return-value]


def process_buy_insurance(keeper: InsuranceKeeper, ctx: Context, msg: MsgBuyInsurance) -> None:
    """Insure part of a delegation under a current term, paying ``premium × insured_stake`` for one duration."""
    require(msg.insured_stake > 0, ErrZeroStake)
    require_validator(keeper, ctx, msg.validator)
    term = get_current_term(keeper, ctx, msg.term_id, msg.validator)
    uninsured = get_uninsured_tokens(keeper, ctx, msg.delegator.raw, msg.validator.raw)
    # Only a delegator of the insurer can buy (so only a bonded loss can be refunded)
    require(uninsured is not None, ErrNoDelegation, str(msg.validator))
    # The stake insured is delegated and not insured twice
    require(msg.insured_stake <= uninsured, ErrStakeNotDelegated, f"{msg.insured_stake} > {uninsured}")  # type: ignore[operator]
    exposure = add_exposure(keeper.get_exposure(ctx, msg.validator), term, msg.insured_stake, 1)
    keeper.set_exposure(ctx, require_solvent(keeper, ctx, exposure))
    premium = compute_premium(term, msg.insured_stake)
    net, commission = pay_premium(keeper, ctx, msg.delegator, msg.validator.raw, premium)
    insurance = issue_insurance(keeper, ctx, msg, term, net)
    ctx.emit(InsuranceBought(insurance_id=insurance.id, delegator=msg.delegator, validator=msg.validator,
                             term_id=term.id, insured_stake=msg.insured_stake, premium=render(premium),
                             commission=render(commission), end_ns=insurance.end_ns))


def issue_insurance(keeper: InsuranceKeeper, ctx: Context, msg: MsgBuyInsurance, term: Term, paid) -> Insurance:  # noqa: ANN001
    """Store a new insurance under the next id (its issuance order) and queue its expiry."""
    counters = keeper.get_counters(ctx)
    now = ctx.block.time_ns
    end = now + term.duration_ns
    insurance = Insurance(id=counters.next_insurance_id, delegator=msg.delegator, validator=msg.validator, term=term,
                          start_ns=now, end_ns=end, expire_ns=end + compute_grace_ns(keeper, ctx),
                          insured_stake=msg.insured_stake, period_start_ns=now, paid=paid)
    keeper.set_counters(ctx, msgspec.structs.replace(counters, next_insurance_id=counters.next_insurance_id + 1))
    keeper.set_insurance(ctx, insurance)
    keeper.queue_insert(ctx, keys.expiry_queue_key(insurance.expire_ns, insurance.id))
    return insurance


def require_term_unchanged(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance) -> None:
    """The term the insurance was bought under is still offered as it was."""
    # An edited term has a new id and a deleted one is gone: either way the old id no longer resolves
    require(keeper.get_term(ctx, insurance.term.id) == insurance.term, ErrTermChanged, str(insurance.term.id))


def extend_insurance(keeper: InsuranceKeeper, ctx: Context, insurance: Insurance, period_start_ns: int,
                     keep_paid: bool) -> tuple[Insurance, list, list]:  # noqa: ANN001
    """Charge one more duration and push the end date; returns the insurance, the premium and the commission."""
    keeper.set_exposure(ctx, require_solvent(keeper, ctx, keeper.get_exposure(ctx, insurance.validator)))
    premium = compute_premium(insurance.term, insurance.insured_stake)
    net, commission = pay_premium(keeper, ctx, insurance.delegator, insurance.validator.raw, premium)
    end = insurance.end_ns + insurance.term.duration_ns
    extended = msgspec.structs.replace(
        insurance, end_ns=end, expire_ns=end + compute_grace_ns(keeper, ctx), period_start_ns=period_start_ns,
        paid=add_coins(insurance.paid, net) if keep_paid else net)
    reschedule(keeper, ctx, insurance, extended)
    keeper.update_insurance(ctx, extended)
    return extended, premium, commission


def process_extend_insurance(keeper: InsuranceKeeper, ctx: Context, msg: MsgExtendInsurance) -> None:
    """Pay again for one more duration: only while the term is unchanged."""
    insurance = get_live_insurance(keeper, ctx, msg.insurance_id, msg.delegator.raw)
    require_term_unchanged(keeper, ctx, insurance)
    extended, premium, commission = extend_insurance(keeper, ctx, insurance, insurance.period_start_ns, True)
    ctx.emit(InsuranceExtended(insurance_id=insurance.id, premium=render(premium), commission=render(commission),
                               end_ns=extended.end_ns))


def process_cancel_insurance(keeper: InsuranceKeeper, ctx: Context, msg: MsgCancelInsurance) -> None:
    """End an insurance now; with ``cancel_refund`` the operator returns the premium of the unused time."""
    insurance = get_live_insurance(keeper, ctx, msg.insurance_id, msg.delegator.raw)
    refunded = []
    if keeper.get_params(ctx).cancel_refund:
        unused = compute_unused_premium(insurance, ctx.block.time_ns)
        refunded = refund_premium(keeper, ctx, insurance.validator.raw, insurance.delegator, unused)
    remove_insurance(keeper, ctx, insurance)
    ctx.emit(InsuranceCancelled(insurance_id=insurance.id, refund=render(refunded)))


def process_subscribe_insurance(keeper: InsuranceKeeper, ctx: Context, msg: MsgSubscribeInsurance) -> None:
    """Renew automatically at each end date (end-block), while the term is unchanged and funds suffice."""
    insurance = get_live_insurance(keeper, ctx, msg.insurance_id, msg.delegator.raw)
    require(not insurance.subscribed, ErrAlreadySubscribed, str(msg.insurance_id))
    keeper.update_insurance(ctx, msgspec.structs.replace(insurance, subscribed=True))
    keeper.queue_insert(ctx, keys.renewal_queue_key(insurance.end_ns, insurance.id))
    ctx.emit(InsuranceSubscribed(insurance_id=insurance.id))


def process_unsubscribe(keeper: InsuranceKeeper, ctx: Context, msg: MsgUnsubscribe) -> None:
    """Stop automatic renewal; the insurance runs to its end date."""
    insurance = get_live_insurance(keeper, ctx, msg.insurance_id, msg.delegator.raw)
    require(insurance.subscribed, ErrNotSubscribed, str(msg.insurance_id))
    keeper.update_insurance(ctx, msgspec.structs.replace(insurance, subscribed=False))
    keeper.queue_remove(ctx, keys.renewal_queue_key(insurance.end_ns, insurance.id))
    ctx.emit(InsuranceUnsubscribed(insurance_id=insurance.id))


def process_switch_insurance_term(keeper: InsuranceKeeper, ctx: Context, msg: MsgSwitchInsuranceTerm) -> None:
    """Move an insurance to another term of its validator from now on; the unused premium counts toward the new
    one (per denom), any excess credit is paid back by the operator."""
    insurance = get_live_insurance(keeper, ctx, msg.insurance_id, msg.delegator.raw)
    require(msg.term_id != insurance.term.id, ErrSameTerm, str(msg.term_id))
    term = get_current_term(keeper, ctx, msg.term_id, insurance.validator)
    exposure = add_exposure(keeper.get_exposure(ctx, insurance.validator), insurance.term, -insurance.insured_stake, 0)
    exposure = add_exposure(exposure, term, insurance.insured_stake, 0)
    keeper.set_exposure(ctx, require_solvent(keeper, ctx, exposure))
    credit = compute_unused_premium(insurance, ctx.block.time_ns)
    premium = compute_premium(term, insurance.insured_stake)
    credit_used = min_coins(credit, premium)
    due = subtract_coins(premium, credit_used)
    net, _ = pay_premium(keeper, ctx, insurance.delegator, insurance.validator.raw, due)
    refund_premium(keeper, ctx, insurance.validator.raw, insurance.delegator, subtract_coins(credit, credit_used))
    now = ctx.block.time_ns
    switched = msgspec.structs.replace(insurance, term=term, period_start_ns=now, end_ns=now + term.duration_ns,
                                       expire_ns=now + term.duration_ns + compute_grace_ns(keeper, ctx),
                                       paid=add_coins(credit_used, net))
    reschedule(keeper, ctx, insurance, switched)
    keeper.update_insurance(ctx, switched)
    ctx.emit(InsuranceSwitched(insurance_id=insurance.id, old_term_id=insurance.term.id, new_term_id=term.id,
                               credit=render(credit_used), premium=render(due), end_ns=switched.end_ns))


def min_coins(a: list, b: list) -> list:  # noqa: ANN001
    """Per denom, the smaller of ``a`` and ``b`` (denoms missing from either count as zero)."""
    other = {c.denom: c.amount for c in b}
    out = [msgspec.structs.replace(c, amount=min(c.amount, other.get(c.denom, 0))) for c in a]
    return [c for c in out if c.amount > 0]
