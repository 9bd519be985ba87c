"""Court invariants, registered as ``court/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.court.disputes import get_fees_held, get_locks_held
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.types import COURT_ACCOUNT


def check_juror_stakes(keeper: CourtKeeper, ctx: Context) -> str | None:
    """Per juror: staked = sum of its direct stakes = free + locked (free >= 0), and locked = its open locks."""
    direct: dict[bytes, int] = {}
    for stake in keeper.iter_stakes(ctx):
        direct[stake.juror.raw] = direct.get(stake.juror.raw, 0) + stake.amount
    locks: dict[bytes, int] = {}
    for dispute in keeper.iter_disputes(ctx):
        for raw, amount in get_locks_held(dispute).items():
            locks[raw] = locks.get(raw, 0) + amount
    for juror in keeper.iter_jurors(ctx):
        raw = juror.juror.raw
        if direct.pop(raw, 0) != juror.staked:
            return f"juror {juror.juror}: staked != sum of its stakes"
        if not 0 <= juror.locked <= juror.staked or locks.pop(raw, 0) != juror.locked:
            return f"juror {juror.juror}: locked outside [0, staked] or != open locks"
    if any(direct.values()) or any(locks.values()):
        return "stakes or locks without a juror record"
    return None


def check_module_account(keeper: CourtKeeper, ctx: Context) -> str | None:
    """The court account holds exactly the stakes, pending withdrawals, unsettled fees and community shares."""
    expected = sum(j.staked for j in keeper.iter_jurors(ctx))
    expected += sum(w.amount for w in keeper.iter_withdrawals(ctx))
    expected += sum(get_fees_held(d) for d in keeper.iter_disputes(ctx))
    expected += sum(c.amount for c in keeper.iter_community(ctx))
    held = keeper.bank.get_balance(ctx, keeper.bank.module_account(COURT_ACCOUNT), keeper.get_params(ctx).denom)
    return None if held == expected else f"court account holds {held}, expected {expected}"
