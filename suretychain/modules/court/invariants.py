"""Court invariants, registered as ``court/<name>``."""
from __future__ import annotations

from suretychain.core.context import Context
from suretychain.modules.court.disputes import get_fees_held, get_locks_held
from suretychain.modules.court.funding import get_funding_held
from suretychain.modules.court.genesis import compute_subtree_stakes
from suretychain.modules.court.keeper import CourtKeeper
from suretychain.modules.court.sumtree import check_tree
from suretychain.modules.court.types import COURT_ACCOUNT


def check_juror_stakes(keeper: CourtKeeper, ctx: Context) -> str | None:
    """Per juror: staked = sum of its direct stakes = free + locked (free >= 0), and locked = its open locks."""
    direct: dict[bytes, int] = {}
    for stake in keeper.iter_stakes(ctx):
        direct[stake.juror.raw] = direct.get(stake.juror.raw, 0) + stake.amount
    locks: dict[bytes, int] = {}
    for dispute in keeper.iter_disputes(ctx):
        for raw, amount in get_locks_held(keeper, ctx, dispute).items():
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
    """The court account holds exactly the stakes, pending withdrawals, unsettled fees, appeal funding of open
    disputes and community shares."""
    expected = sum(j.staked for j in keeper.iter_jurors(ctx))
    expected += sum(w.amount for w in keeper.iter_withdrawals(ctx))
    expected += sum(get_fees_held(d) + get_funding_held(d) for d in keeper.iter_disputes(ctx))
    expected += sum(c.amount for c in keeper.iter_community(ctx))
    held = keeper.bank.get_balance(ctx, keeper.bank.module_account(COURT_ACCOUNT), keeper.get_params(ctx).denom)
    return None if held == expected else f"court account holds {held}, expected {expected}"


def check_sum_trees(keeper: CourtKeeper, ctx: Context) -> str | None:
    """Each court tree's current leaves are the subtree stakes, each internal node the sum of its children, the
    root their total; each court's open snapshot epochs are those of its undrawn rounds."""
    courts = list(keeper.iter_courts(ctx))
    stakes = compute_subtree_stakes(courts, list(keeper.iter_stakes(ctx)))
    for court in courts:
        broken = check_tree(keeper, ctx, court.id, stakes[court.id])
        if broken:
            return broken
    undrawn: dict[int, list[int]] = {}
    for dispute in keeper.iter_disputes(ctx):
        for round_ in dispute.rounds:
            if not round_.drawn:
                undrawn.setdefault(dispute.court, []).append(round_.snapshot_epoch)
    for meta in keeper.iter_tree_metas(ctx):
        if sorted(meta.open_epochs) != sorted(undrawn.pop(meta.court, [])):
            return f"court {meta.court}: open snapshot epochs != its undrawn rounds'"
    return "undrawn rounds without a court tree" if undrawn else None


def check_round_counters(keeper: CourtKeeper, ctx: Context) -> str | None:
    """Each round's counters (jurors, seats, commits, reveals) count its stored votes."""
    for dispute in keeper.iter_disputes(ctx):
        for index, round_ in enumerate(dispute.rounds):
            votes = keeper.get_round_votes(ctx, dispute.id, index)
            counted = (len(votes), sum(v.seats for v in votes), sum(1 for v in votes if v.commitment),
                       sum(1 for v in votes if v.revealed))
            if counted != (round_.jurors, round_.seats, round_.commits, round_.reveals):
                return f"dispute {dispute.id} round {index}: counters != its votes"
    return None
